"""Client records. Persistence only.

Each encrypted column holds one JSON document of exactly one information category,
AES-256-GCM under the client's data key, with associated data binding it to its table,
column and row (see confide.core.crypto). `CATEGORY_OF` on each model maps every
non-structural column to its category; a test keeps that map complete.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from confide.apps.practice.models import Practice

# Columns every client-owned row has that carry no client information by themselves.
STRUCTURAL_FIELDS = frozenset({"id", "practice", "client", "created_at", "updated_at"})


class ClientOwned(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    CATEGORY_OF: dict[str, str] = {}

    class Meta:
        abstract = True


class Client(ClientOwned):
    identity_enc = models.BinaryField()  # legal_name, preferred_name, dob, pronouns, record_number
    contact_enc = models.BinaryField(null=True)  # email, phone, address
    fact_enc = models.BinaryField(null=True)  # status, program, admitted_on, minor_consent
    billing_enc = models.BinaryField(null=True)  # payer, member_id, group, self_pay
    preferences_enc = models.BinaryField(null=True)  # voicemail, text, email, postal, alternate_address

    CATEGORY_OF = {
        "identity_enc": "identity",
        "contact_enc": "contact",
        "fact_enc": "fact_of_treatment",
        "billing_enc": "billing",
        "preferences_enc": "contact_preferences",
    }


class ClientKey(models.Model):
    """The client's data key, wrapped by the master key. Deleting it shreds the client."""

    client = models.OneToOneField(Client, on_delete=models.CASCADE, primary_key=True, related_name="key")
    master_key_id = models.CharField(max_length=64, db_index=True)
    wrapped = models.BinaryField()


class BlindIndex(models.Model):
    """Keyed exact-match lookups (name, email, phone) without storing the value."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="blind_indexes")
    kind = models.CharField(max_length=16)
    digest = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["practice", "kind", "digest"])]


class ClientOwnedChild(ClientOwned):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True


class CareTeamMember(ClientOwnedChild):
    """A staff member's relationship to a client (treating). Supervision follows SupervisionLink."""

    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_team")
    relationship = models.CharField(max_length=16, default="treating")
    ended_at = models.DateTimeField(null=True)

    CATEGORY_OF = {"staff": "fact_of_treatment", "relationship": "fact_of_treatment", "ended_at": "fact_of_treatment"}

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "staff", "relationship"], name="uniq_care_team")]


class ClientAccount(ClientOwnedChild):
    """A portal login for the client (self) or a personal representative."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="client_account")
    relationship = models.CharField(max_length=16)  # self | representative

    CATEGORY_OF = {"user": "identity", "relationship": "family_contacts"}


class Contact(ClientOwnedChild):
    data_enc = models.BinaryField()  # name, relationship, phone, email, emergency, guardian
    CATEGORY_OF = {"data_enc": "family_contacts"}


class Appointment(ClientOwnedChild):
    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Start and length stay plaintext so calendars can be queried; they say nothing of
    # who the client is without the encrypted identity.
    starts_at = models.DateTimeField(db_index=True)
    minutes = models.PositiveSmallIntegerField(default=50)
    details_enc = models.BinaryField()  # neutral label, room
    attendance_enc = models.BinaryField(null=True)  # status

    CATEGORY_OF = {
        "clinician": "appointments", "starts_at": "appointments", "minutes": "appointments",
        "details_enc": "appointments", "attendance_enc": "attendance",
    }


class ProgressNote(ClientOwnedChild):
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    session_date = models.DateField()
    body_enc = models.BinaryField()  # format, text
    CATEGORY_OF = {"author": "progress_notes", "session_date": "progress_notes", "body_enc": "progress_notes"}


class PsychotherapyNote(ClientOwnedChild):
    """Kept apart from the record (45 CFR 164.501): its own table, read by its author only."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    session_date = models.DateField()
    body_enc = models.BinaryField()
    CATEGORY_OF = {"author": "psychotherapy_notes", "session_date": "psychotherapy_notes",
                   "body_enc": "psychotherapy_notes"}


class Diagnosis(ClientOwnedChild):
    body_enc = models.BinaryField()  # code, description, since
    CATEGORY_OF = {"body_enc": "diagnosis"}


class Medication(ClientOwnedChild):
    body_enc = models.BinaryField()  # name, dose, prescriber
    CATEGORY_OF = {"body_enc": "medications"}


class TreatmentPlan(ClientOwnedChild):
    body_enc = models.BinaryField()  # summary, goals [{text, progress, target}]
    CATEGORY_OF = {"body_enc": "treatment_plan"}


class Assessment(ClientOwnedChild):
    body_enc = models.BinaryField()  # instrument, score, date
    CATEGORY_OF = {"body_enc": "assessments"}


class RiskAssessment(ClientOwnedChild):
    body_enc = models.BinaryField()  # level, summary, safety_plan, date
    CATEGORY_OF = {"body_enc": "risk_assessment"}


class BreakGlassGrant(ClientOwnedChild):
    """Emergency access by a licensed clinician with no relationship; expires; reviewed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason_enc = models.BinaryField()
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    # The grant is access metadata; its reason may mention the client, so it is encrypted.
    CATEGORY_OF = {"user": "fact_of_treatment", "reason_enc": "fact_of_treatment",
                   "granted_at": "fact_of_treatment", "expires_at": "fact_of_treatment",
                   "reviewed_at": "fact_of_treatment", "reviewed_by": "fact_of_treatment"}


CLIENT_MODELS = (Client, CareTeamMember, ClientAccount, Contact, Appointment, ProgressNote,
                 PsychotherapyNote, Diagnosis, Medication, TreatmentPlan, Assessment, RiskAssessment,
                 BreakGlassGrant)
