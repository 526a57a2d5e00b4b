"""Shared fixtures. The demo practice is created once per test session, through the
real services, in the test database (SQLite by default, PostgreSQL when
CONFIDE_DATABASE_URL says so); each test runs in a transaction rolled back after it."""

from __future__ import annotations

import pytest

# The test run's own var dir (master key, secret key) is set by tests/isolate.py,
# loaded as an early plugin (pyproject.toml addopts).


@pytest.fixture(autouse=True)
def audit_checkpoint_dir(settings, tmp_path):
    """Each test writes audit checkpoints to a directory of its own: a test's database
    work is rolled back after it, and a checkpoint of it left behind would make a later
    test's chains look truncated."""
    path = tmp_path / "audit-checkpoints"
    settings.CONFIDE = {**settings.CONFIDE, "AUDIT_CHECKPOINT_DIR": path}
    return path


@pytest.fixture(scope="session")
def demo(django_db_setup, django_db_blocker):
    """The demo practice: DemoResult with client_ids by demo key (c1..c7)."""
    from confide.services.demo.build import demo_create

    with django_db_blocker.unblock():
        return demo_create()


@pytest.fixture
def staff(demo, db):
    """Demo users by the login they type (staff usernames, portal logins)."""
    from confide.apps.practice.models import User
    from confide.services.accounts import login_of

    return {login_of(u): u for u in User.objects.all()}


@pytest.fixture
def cid(demo):
    """Demo client ids by demo key."""
    return demo.client_ids


@pytest.fixture
def other_practice(db):
    """A second practice with one clinician and one client of its own."""
    from confide.apps.practice.models import Practice, User
    from confide.services.intake import client_create

    practice = Practice.objects.create(name="Elsewhere Counseling")
    clinician = User.objects.create(username="elsewhere", role="clinician", licensed=True, licence="LCSW",
                                    practice=practice, full_name="Other Clinician")
    client_id = client_create(user=clinician, identity={"legal_name": "Quill Otherpractice"})
    return {"practice": practice, "clinician": clinician, "client_id": client_id}


def current_code(user) -> str:
    """The user's current one-time code (enrolling a device if it has none)."""
    from confide.apps.practice.models import SealedTOTPDevice
    from confide.services.second_factor import totp_code_now, totp_device_create

    device = SealedTOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = totp_device_create(user=user, name="test authenticator")
    return totp_code_now(device)


def issue_token(user, **kwargs) -> str:
    """A token for `user`, issued as the services require (after the second factor)."""
    from confide.apps.practice.models import SealedTOTPDevice
    from confide.services.tokens import second_factor_needed, token_create

    # A device refuses a code it has seen (replay), by design; a test that signs in and
    # issues a token within the same 30 seconds uses the same code twice.
    SealedTOTPDevice.objects.filter(user=user).update(last_t=-1)
    token = token_create(user=user, otp=current_code(user) if second_factor_needed(user) else "", **kwargs)
    SealedTOTPDevice.objects.filter(user=user).update(last_t=-1)
    return token


@pytest.fixture
def api_client(db):
    """A Django test client with a bearer token for the given user: api_client(user)."""
    from django.test import Client

    def make(user):
        token = issue_token(user)
        return Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    return make


AUDITED_APPS = ("records", "practice", "auditlog")


@pytest.fixture
def counts(db):
    """counts() -> {model label: row count} for every model of records, practice, auditlog:
    a request that must change nothing leaves them as they were."""
    from django.apps import apps

    models = [m for label in AUDITED_APPS for m in apps.get_app_config(label).get_models()]

    def snapshot() -> dict[str, int]:
        return {m._meta.label: m.objects.count() for m in models}
    return snapshot
