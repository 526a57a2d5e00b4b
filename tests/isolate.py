"""Loaded with `-p tests.isolate` before pytest-django reads the settings: the test
run gets its own var dir, so it never creates or uses the repository's master key.

Under pytest-xdist every worker gets a var dir of its own (master key, secret key,
message outbox), even though workers inherit the controller's environment: a var dir
this module made is marked as such and replaced in each worker, while one the caller
chose (CONFIDE_VAR_DIR set before pytest started) is kept. Browser tests never download
a browser: they drive the system's Chromium."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

_MADE = "CONFIDE_TEST_VAR_DIR_MADE"
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

if "CONFIDE_VAR_DIR" not in os.environ or (os.environ.get(_MADE) and os.environ.get("PYTEST_XDIST_WORKER")):
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    var_dir = tempfile.mkdtemp(prefix=f"confide-test-{worker}-")
    os.environ["CONFIDE_VAR_DIR"] = var_dir
    os.environ[_MADE] = "1"
    atexit.register(shutil.rmtree, var_dir, ignore_errors=True)
