"""The demo practice (Harbor Light Counseling), built through the real services."""
