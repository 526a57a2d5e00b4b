"""Fixtures for the portal tests: an outbox of the test's own (re-exported)."""

from tests.messages.conftest import outbox, smtp  # noqa: F401  (fixtures, re-exported for this package)
