"""Loaded with `-p tests.isolate` before pytest-django reads the settings: the test
run gets its own var dir, so it never creates or uses the repository's master key."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("CONFIDE_VAR_DIR", tempfile.mkdtemp(prefix="confide-test-"))
