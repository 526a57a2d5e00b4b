"""The tenant, its people and its keys. Persistence only: no logic in save() or signals."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django_otp.plugins.otp_totp.models import TOTPDevice


def default_note_formats() -> list[str]:
    return ["SOAP", "DAP", "BIRP", "narrative"]


class PracticeScoped(models.Model):
    """A row of one practice (a tenant table, distributed on `practice_id` on Citus).
    Saving a loaded row updates it by its id and its practice, so on a distributed
    database the UPDATE is a router statement on the practice's shard, not one sent to
    every shard. The practice of a row never changes."""

    class Meta:
        abstract = True

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        if self.practice_id is not None:
            base_qs = base_qs.filter(practice_id=self.practice_id)
        return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)


class Practice(models.Model):
    """The tenant. Every client-owned row carries its practice."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    jurisdiction = models.CharField(max_length=16, default="US-WA")
    timezone = models.CharField(max_length=64, default="America/Los_Angeles")
    created_at = models.DateTimeField(auto_now_add=True)
    # What reminders say of the practice (DESIGN.md promise 10): a neutral sender name
    # (blank: derived from the name, without its revealing words) and the number a
    # client is asked to call back. Set through services.messages.practice_messaging_set.
    message_sender = models.CharField(max_length=60, blank=True, default="")
    callback_phone = models.CharField(max_length=40, blank=True, default="")
    # The progress-note formats this practice writes in (services.charting refuses any
    # other). Set by the practice admin; the default is the common set.
    note_formats = models.JSONField(default=default_note_formats)
    # What a claim says of the practice, no client information: its billing NPI, tax
    # id, taxonomy, address and phone, each provider's NPI and taxonomy, the fee
    # schedule (CPT -> fee) and the CPT code of each appointment type. Set through
    # services.billing.settings by the practice admin or the biller.
    billing_profile = models.JSONField(default=dict)

    def __str__(self) -> str:
        return self.name


class PracticeKey(models.Model):
    """The practice's index key (blind indexes, audit pseudonyms), wrapped by the master key."""

    practice = models.OneToOneField(Practice, on_delete=models.CASCADE, primary_key=True, related_name="key")
    master_key_id = models.CharField(max_length=64)
    wrapped = models.BinaryField()


class InstanceKey(models.Model):
    """A key of the installation rather than of one practice (portal logins, second
    factors, sign-in throttling), random and wrapped by the master key like every data
    key, so a master key rotation re-wraps it and what it keys stays valid. Each use
    derives its own subkey from it (HKDF)."""

    purpose = models.CharField(max_length=32, primary_key=True)
    master_key_id = models.CharField(max_length=64)
    wrapped = models.BinaryField()


class User(AbstractUser):
    """Staff, clients and personal representatives all sign in as users.

    A client's or representative's row holds no identifier in plain text: its
    `username` is an opaque random handle, the login they chose (a name or an email)
    is found through `login_digest` (a keyed blind index) and kept encrypted in
    `login_enc`; names and email stay empty. Who the client is lives encrypted in the
    client record, reached through `records.ClientAccount`.
    """

    ROLES = [
        ("clinician", "Clinician"),
        ("supervisor", "Supervising clinician"),
        ("biller", "Biller"),
        ("front_desk", "Front desk"),
        ("practice_admin", "Practice admin"),
        ("client", "Client"),
        ("representative", "Personal representative"),
    ]
    STAFF_ROLES = frozenset({"clinician", "supervisor", "biller", "front_desk", "practice_admin"})
    LICENSED = ["psychologist", "psychiatrist", "LCSW", "LMHC", "LPC", "LMFT"]

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, null=True, related_name="users")
    role = models.CharField(max_length=20, choices=ROLES)
    licence = models.CharField(max_length=60, blank=True, default="")
    licence_number = models.CharField(max_length=60, blank=True, default="")
    licensed = models.BooleanField(default=False)
    full_name = models.CharField(max_length=200, blank=True, default="")
    login_digest = models.CharField(max_length=64, null=True, unique=True, default=None)
    login_enc = models.BinaryField(null=True, default=None)

    @property
    def is_staff_member(self) -> bool:
        return self.role in self.STAFF_ROLES


class SupervisionLink(PracticeScoped):
    """A supervisor supervises a (usually pre-licensed) clinician."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE)
    supervisor = models.ForeignKey(User, on_delete=models.CASCADE, related_name="supervisees_links")
    supervisee = models.ForeignKey(User, on_delete=models.CASCADE, related_name="supervisor_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["practice", "supervisor", "supervisee"],
                                               name="uniq_supervision_in_practice")]


class SealedTOTPDevice(TOTPDevice):
    """django-otp's TOTP device whose secret is stored sealed: `key` holds the hex of
    the secret encrypted (AES-SIV, bound to the device's id) under a subkey of an
    instance key, never the secret itself. Only this class can produce codes."""

    class Meta:
        proxy = True

    @property
    def bin_key(self) -> bytes:
        from confide.services.second_factor import totp_secret

        return totp_secret(self)


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored. It expires, and
    records when it was last used."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True)
    last_used_at = models.DateTimeField(null=True)
    revoked_at = models.DateTimeField(null=True)


class SignInThrottle(models.Model):
    """Failed sign-ins counted per account and per network address, each row named by
    a keyed digest (never the login or the address). Each failure past the first few
    makes the next try wait longer; rows older than the retention are deleted."""

    digest = models.CharField(max_length=64, primary_key=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField()
    wait_until = models.DateTimeField()


class PayerAgreement(PracticeScoped):
    """What the practice agreed with a payer: whether claims must carry medications,
    and whether managed-care treatment reports are part of the contract."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="payer_agreements")
    payer = models.CharField(max_length=200)
    requires_medications = models.BooleanField(default=False)
    managed_care_reports = models.BooleanField(default=False)
    reference = models.CharField(max_length=200, blank=True, default="")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["practice", "payer"], name="uniq_payer_agreement")]


class Invitation(PracticeScoped):
    """An expiring, single-use link that lets a person set their password: a staff
    member's invitation, a portal login's (client or representative), or a password
    reset. Only the token's SHA-256 is stored; the link goes out through the outbox."""

    PURPOSES = (("staff", "Staff invitation"), ("portal", "Portal invitation"), ("reset", "Password reset"))
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    purpose = models.CharField(max_length=10, choices=PURPOSES)
    token_hash = models.CharField(max_length=64, db_index=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True)
    revoked_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["practice", "token_hash"], name="uniq_invitation_token")]


class Room(PracticeScoped):
    """A room of the practice (settings data). Its name shows on calendars and in a
    booking conflict; an appointment holds it for its length."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(max_length=60)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["practice", "name"], name="uniq_room_name")]


class AppointmentType(PracticeScoped):
    """A kind of appointment with a neutral label ("Session", "First session"): the
    label is what the front desk, every calendar and any reminder show, so it names no
    clinical matter. Settings data; its default length fills the booking form."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="appointment_types")
    label = models.CharField(max_length=60)
    minutes = models.PositiveSmallIntegerField(default=50)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["practice", "label"], name="uniq_appointment_type_label")]
