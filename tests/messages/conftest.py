"""Fixtures for the messages tests: an outbox directory of the test's own, the SMTP
backend over Django's locmem email backend, and row counts."""

from __future__ import annotations

import pytest

from tests.api.conftest import web_client  # noqa: F401  (a fixture, re-exported for this package)


@pytest.fixture
def outbox(settings, tmp_path):
    """The file backend (the default) writing into a fresh directory; returns a function
    listing the files written there."""
    directory = tmp_path / "outbox"
    settings.CONFIDE = {**settings.CONFIDE, "MESSAGE_BACKEND": "file", "MESSAGE_OUTBOX_DIR": directory}

    def files():
        return sorted(directory.iterdir()) if directory.exists() else []
    files.directory = directory
    return files


@pytest.fixture
def smtp(settings, tmp_path, mailoutbox):
    """CONFIDE_MESSAGE_BACKEND=smtp over Django's locmem email backend: returns the
    list of sent EmailMessages (django.core.mail.outbox)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CONFIDE = {**settings.CONFIDE, "MESSAGE_BACKEND": "smtp", "MESSAGE_OUTBOX_DIR": tmp_path / "outbox"}
    return mailoutbox
