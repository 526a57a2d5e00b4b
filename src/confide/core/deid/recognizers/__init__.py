"""One module per kind of identifier (Presidio's shape): each class finds spans with reasons."""
