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

from confide.apps.practice.models import Practice, PracticeScoped

# Columns every client-owned row has that carry no client information by themselves.
STRUCTURAL_FIELDS = frozenset({"id", "practice", "client", "created_at", "updated_at"})


class ClientOwned(PracticeScoped):
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

    class Meta:
        # Practice-wide lists page on (created_at, id) within a practice (keyset).
        indexes = [models.Index(fields=["practice", "created_at", "id"], name="client_practice_page")]


class ClientKey(PracticeScoped):
    """The client's data key, wrapped by the master key. Deleting it shreds the client.
    It carries the client's practice like every tenant row (the distribution column)."""

    client = models.OneToOneField(Client, on_delete=models.CASCADE, primary_key=True, related_name="key")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    master_key_id = models.CharField(max_length=64, db_index=True)
    wrapped = models.BinaryField()


class BlindIndex(PracticeScoped):
    """Keyed exact-match lookups (name, email, phone) without storing the value.

    `created_at` is the client's intake time (a copy of Client.created_at, never the
    row's own), so a search takes the newest matches of a digest from this index
    alone: (practice, kind, digest, created_at desc, client) is walked in order and
    stops at a page, however many clients a common word matches."""

    # No index of its own on the practice: blindindex_newest begins with it.
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+", db_index=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="blind_indexes")
    kind = models.CharField(max_length=16)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["practice", "kind", "digest", "-created_at", "-client"],
                                name="blindindex_newest")]


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
        constraints = [models.UniqueConstraint(fields=["practice", "client", "staff", "relationship"],
                                               name="uniq_care_team_in_practice")]
        # A clinician's caseload (services.directory's scope): their live rows only,
        # whatever the practice's size.
        indexes = [models.Index(fields=["practice", "staff", "client"], condition=models.Q(ended_at__isnull=True),
                                name="care_team_caseload")]


class ClientAccount(ClientOwnedChild):
    """A portal login for the client (self) or a personal representative."""

    # One client per portal login: unique within the practice (a login belongs to one
    # practice), so that the key can include the distribution column.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="client_account")
    relationship = models.CharField(max_length=16)  # self | representative

    CATEGORY_OF = {"user": "identity", "relationship": "family_contacts"}

    class Meta:
        constraints = [models.UniqueConstraint(fields=["practice", "user"], name="uniq_client_account_login")]


class Contact(ClientOwnedChild):
    data_enc = models.BinaryField()  # name, relationship, phone, email, emergency, guardian
    CATEGORY_OF = {"data_enc": "family_contacts"}


class Appointment(ClientOwnedChild):
    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Start and length stay plaintext so calendars can be queried; they say nothing of
    # who the client is without the encrypted identity.
    starts_at = models.DateTimeField(db_index=True)
    minutes = models.PositiveSmallIntegerField(default=50)
    details_enc = models.BinaryField()  # neutral label, room name, modality (in_person | telehealth)
    attendance_enc = models.BinaryField(null=True)  # status
    # Plaintext for the same reason as the time: conflicts are found by query. A room,
    # a type with a neutral label, a series id and the moment of a cancellation say
    # nothing of who the client is.
    room = models.ForeignKey("practice.Room", on_delete=models.PROTECT, null=True, related_name="+")
    appointment_type = models.ForeignKey("practice.AppointmentType", on_delete=models.PROTECT, null=True,
                                         related_name="+")
    series_id = models.UUIDField(null=True, db_index=True)  # a weekly series: the same id on each
    # A cancelled appointment frees its slot and room; why is encrypted (it may say
    # anything), with who cancelled.
    cancelled_at = models.DateTimeField(null=True)
    cancellation_enc = models.BinaryField(null=True)  # reason, by

    CATEGORY_OF = {
        "clinician": "appointments", "starts_at": "appointments", "minutes": "appointments",
        "details_enc": "appointments", "attendance_enc": "attendance", "room": "appointments",
        "appointment_type": "appointments", "series_id": "appointments", "cancelled_at": "appointments",
        "cancellation_enc": "appointments",
    }

    class Meta:
        indexes = [models.Index(fields=["practice", "clinician", "starts_at"], name="appt_clinician_time"),
                   models.Index(fields=["practice", "room", "starts_at"], name="appt_room_time"),
                   # a chart's appointment history, a page at a time (keyset on time and id)
                   models.Index(fields=["client", "starts_at", "id"], name="appt_client_time")]


class ProgressNote(ClientOwnedChild):
    """A progress note: a draft its author edits, then signed and locked (a signed note
    never changes; corrections are `NoteAddendum`s). A pre-licensed author's signed note
    waits for the supervisor's co-signature and counts as unsigned until then. State
    changes only through services.charting."""

    STATUSES = ("draft", "returned", "awaiting_cosign", "signed")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    session_date = models.DateField()
    body_enc = models.BinaryField()  # format, sections, text
    status = models.CharField(max_length=16, default="draft")
    updated_at = models.DateTimeField(null=True)  # last draft save
    signed_at = models.DateTimeField(null=True)  # the author's signature
    cosigned_at = models.DateTimeField(null=True)
    cosigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    signature_enc = models.BinaryField(null=True)  # signer names, times, sha256 of the signed body
    review_enc = models.BinaryField(null=True)  # the supervisor's comment when returned
    CATEGORY_OF = {"author": "progress_notes", "session_date": "progress_notes", "body_enc": "progress_notes",
                   "status": "progress_notes", "updated_at": "progress_notes", "signed_at": "progress_notes",
                   "cosigned_at": "progress_notes", "cosigned_by": "progress_notes",
                   "signature_enc": "progress_notes", "review_enc": "progress_notes"}

    class Meta:
        indexes = [models.Index(fields=["client", "session_date", "id"]),
                   models.Index(fields=["practice", "status"])]


class NoteAddendum(ClientOwnedChild):
    """A correction or addition to a signed progress note, with its author and time.
    Never updated or deleted."""

    note = models.ForeignKey(ProgressNote, on_delete=models.CASCADE, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body_enc = models.BinaryField()  # text
    CATEGORY_OF = {"note": "progress_notes", "author": "progress_notes", "body_enc": "progress_notes"}


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
    review_enc = models.BinaryField(null=True)  # the privacy officer's finding and note

    # The grant is access metadata; its reason may mention the client, so it is encrypted.
    CATEGORY_OF = {"user": "fact_of_treatment", "reason_enc": "fact_of_treatment",
                   "granted_at": "fact_of_treatment", "expires_at": "fact_of_treatment",
                   "reviewed_at": "fact_of_treatment", "reviewed_by": "fact_of_treatment",
                   "review_enc": "fact_of_treatment"}


class Charge(ClientOwnedChild):
    """One billed service: date of service, procedure code, fee, and whether the client
    paid in full and asked that no health plan hear of it (45 CFR 164.522(a)(1)(vi))."""

    appointment = models.ForeignKey(Appointment, on_delete=models.SET_NULL, null=True, related_name="+")
    body_enc = models.BinaryField()  # date_of_service, cpt, fee, units, paid_in_full, restrict_payer
    CATEGORY_OF = {"appointment": "billing", "body_enc": "billing"}


class Claim(ClientOwnedChild):
    """A claim built for a payer: the disclosure (the packet the PDP decided, with its
    accounting entry) and the X12 837P written from it, validated before it was kept.
    `control_number` is the interchange control number (ISA13), unique in the practice."""

    # One claim per disclosure (unique with the practice: see Meta).
    disclosure = models.ForeignKey("Disclosure", on_delete=models.PROTECT, related_name="claim")
    control_number = models.PositiveIntegerField()
    body_enc = models.BinaryField()  # payer, period, charge ids, total, the 837P text
    CATEGORY_OF = {"disclosure": "billing", "control_number": "billing", "body_enc": "billing"}

    class Meta:
        constraints = [models.UniqueConstraint(fields=["practice", "control_number"], name="claim_control_number"),
                       models.UniqueConstraint(fields=["practice", "disclosure"], name="uniq_claim_disclosure")]


class TopicTag(ClientOwnedChild):
    """A sensitive topic a record touches (for the practice's promises). The topic is a
    keyed digest under the client's topic key, never its word."""

    record_model = models.CharField(max_length=40)
    record_id = models.UUIDField()
    category = models.CharField(max_length=40)  # the tagged record's category
    digest = models.CharField(max_length=64)
    CATEGORY_OF = {"record_model": "fact_of_treatment", "record_id": "fact_of_treatment",
                   "category": "fact_of_treatment", "digest": "fact_of_treatment"}

    class Meta:
        indexes = [models.Index(fields=["client", "digest"])]


class Release(ClientOwnedChild):
    """An authorization (45 CFR 164.508), one naming psychotherapy notes, or a Part 2
    consent (42 CFR 2.31). Draft until signed; live while signed, unexpired and
    unrevoked (checked at every use)."""

    body_enc = models.BinaryField()  # kind, description, categories, discloser, recipient, purposes, expiry, ...
    signature_enc = models.BinaryField(null=True)  # signer, role, authority, method, document_sha256
    document_enc = models.BinaryField(null=True)  # the exact signed PDF
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(null=True)
    expired_at = models.DateTimeField(null=True)  # an expiry event was recorded
    revoked_at = models.DateTimeField(null=True)
    revocation_enc = models.BinaryField(null=True)  # how and by whom
    CATEGORY_OF = {"body_enc": "consents", "signature_enc": "consents", "document_enc": "consents",
                   "created_by": "consents", "signed_at": "consents", "expired_at": "consents",
                   "revoked_at": "consents", "revocation_enc": "consents"}


class GroundRules(ClientOwnedChild):
    """What a minor and their parent agreed at intake the parent will hear, and (where
    the minor consented alone) what the minor allows."""

    body_enc = models.BinaryField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    CATEGORY_OF = {"body_enc": "consents", "recorded_by": "consents"}


class SafetyEvent(ClientOwnedChild):
    """A threat, an abuse disclosure or an admitted crime: the facts, the decision aid's
    answer and the clinician's chosen actions."""

    body_enc = models.BinaryField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    CATEGORY_OF = {"body_enc": "incident", "recorded_by": "incident"}


class LegalRequest(ClientOwnedChild):
    """A court order or subpoena for the record, held until its basis is complete."""

    STATUSES = ("on_hold", "ready", "released", "refused")
    status = models.CharField(max_length=12, default="on_hold")
    body_enc = models.BinaryField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    CATEGORY_OF = {"status": "legal", "body_enc": "legal", "recorded_by": "legal"}


class RecordRequest(ClientOwnedChild):
    """The client's own request for their record (45 CFR 164.524): the 30-day clock."""

    received_on = models.DateField()
    due_on = models.DateField()
    extended_to = models.DateField(null=True)
    fulfilled_at = models.DateTimeField(null=True)
    body_enc = models.BinaryField()  # format, delivery, extension reason
    CATEGORY_OF = {"received_on": "disclosures", "due_on": "disclosures", "extended_to": "disclosures",
                   "fulfilled_at": "disclosures", "body_enc": "disclosures"}


class AccountingRequest(ClientOwnedChild):
    """The client's formal request for an accounting of disclosures (45 CFR 164.528):
    the 60-day clock (one 30-day extension with its written reason), the accounting the
    privacy officer prepares, reviews and sends to the client's portal (a PDF)."""

    STATUSES = ("open", "prepared", "sent")
    received_on = models.DateField()
    due_on = models.DateField()
    extended_to = models.DateField(null=True)
    status = models.CharField(max_length=10, default="open")
    prepared_at = models.DateTimeField(null=True)
    sent_at = models.DateTimeField(null=True)
    body_enc = models.BinaryField()  # filed_by, years, extension, prepared/sent by, entries, document sha256
    document_enc = models.BinaryField(null=True)  # the written accounting (PDF)
    CATEGORY_OF = {"received_on": "disclosures", "due_on": "disclosures", "extended_to": "disclosures",
                   "status": "disclosures", "prepared_at": "disclosures", "sent_at": "disclosures",
                   "body_enc": "disclosures", "document_enc": "disclosures"}


class AmendmentRequest(ClientOwnedChild):
    """The client's request to amend their record (45 CFR 164.526): the 60-day clock
    (one 30-day extension with its written reason), the decision (accepted: the
    amendment entry and the people owed a notice; denied: the ground and explanation
    in writing) and the client's statement of disagreement, kept with the record."""

    STATUSES = ("open", "accepted", "denied")
    received_on = models.DateField()
    due_on = models.DateField()
    extended_to = models.DateField(null=True)
    status = models.CharField(max_length=10, default="open")
    decided_at = models.DateTimeField(null=True)
    # who decided: the privacy officer keeps the follow-ups of the requests they decided
    # (the notices owed of an accepted amendment)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    # the client's statement of disagreement waits for the decider's rebuttal (set when
    # the client files it; cleared when the rebuttal is filed or the decider declines)
    disagreement_pending = models.BooleanField(default=False)
    body_enc = models.BinaryField()  # change, reason, record, extension, decision, disagreement
    CATEGORY_OF = {"received_on": "disclosures", "due_on": "disclosures", "extended_to": "disclosures",
                   "status": "disclosures", "decided_at": "disclosures", "decided_by": "disclosures",
                   "disagreement_pending": "disclosures", "body_enc": "disclosures"}


class AccountingSuspension(PracticeScoped):
    """A health oversight agency's or law enforcement official's statement suspending
    the client's right to an accounting of disclosures to them (45 CFR 164.528(a)(2)):
    disclosures to that agency are left out of every accounting from `starts_on` to
    `ends_on`. An oral statement lasts at most 30 days unless a written one follows.
    The practice's, not a client's: it names the agency, never a client."""

    KINDS = ("health_oversight", "law_enforcement")
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    agency = models.CharField(max_length=200)  # as the disclosures name the recipient
    agency_kind = models.CharField(max_length=20)
    statement = models.CharField(max_length=8)  # written | oral
    statement_on = models.DateField()  # the day the statement was given
    starts_on = models.DateField()
    ends_on = models.DateField()
    written_on = models.DateField(null=True)  # an oral statement later put in writing
    reference = models.CharField(max_length=200, blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ended_early_on = models.DateField(null=True)


class Disclosure(ClientOwnedChild):
    """One disclosure: the packet that left and its accounting entry (45 CFR 164.528(b):
    date, recipient, what, purpose or basis). Never updated or deleted."""

    made_at = models.DateTimeField(db_index=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    accountable = models.BooleanField()
    release = models.ForeignKey(Release, on_delete=models.PROTECT, null=True, related_name="disclosures")
    entry_enc = models.BinaryField()  # recipient, description, categories, purpose, basis, rule ids
    packet_enc = models.BinaryField()  # the packet's content (JSON)
    pdf_enc = models.BinaryField(null=True)
    fhir_enc = models.BinaryField(null=True)
    CATEGORY_OF = {"made_at": "disclosures", "made_by": "disclosures", "accountable": "disclosures",
                   "release": "disclosures", "entry_enc": "disclosures", "packet_enc": "disclosures",
                   "pdf_enc": "disclosures", "fhir_enc": "disclosures"}


class Obligation(ClientOwnedChild):
    """Something owed after a disclosure (tell the client, tell the minor) or an
    accepted amendment (tell the people named, and those known to have the information,
    45 CFR 164.526(c)(3)). Stays open and visible until met, or until the clinician
    records why it would be unsafe or unlawful."""

    KINDS = ("notify_client", "notify_minor", "notify_amendment")
    STATUSES = ("open", "met", "waived")
    kind = models.CharField(max_length=20)
    status = models.CharField(max_length=10, default="open")
    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, null=True, related_name="obligations")
    due_on = models.DateField()
    closed_at = models.DateTimeField(null=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    detail_enc = models.BinaryField(null=True)  # how the client was told, or why not
    CATEGORY_OF = {"kind": "disclosures", "status": "disclosures", "disclosure": "disclosures",
                   "due_on": "disclosures", "closed_at": "disclosures", "closed_by": "disclosures",
                   "detail_enc": "disclosures"}


class Message(ClientOwnedChild):
    """A reminder or message: sent through a channel the client allowed, or refused
    with the reason."""

    channel = models.CharField(max_length=12)  # voicemail | text | email | postal
    status = models.CharField(max_length=10)  # sent | refused
    body_enc = models.BinaryField()  # to, rendered text, reason
    CATEGORY_OF = {"channel": "messages", "status": "messages", "body_enc": "messages"}


class ReminderDispatch(ClientOwnedChild):
    """An automatic reminder of one appointment over one channel, claimed before it is
    sent (services.reminders): the unique key makes a second one for the same
    appointment, time and channel impossible, even with two workers. A moved
    appointment (a new `starts_at`) is reminded of again."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()  # the appointment's time when the reminder was due
    channel = models.CharField(max_length=12)  # email | text
    status = models.CharField(max_length=10, default="claimed")  # claimed | sent | refused | failed
    message = models.ForeignKey(Message, on_delete=models.SET_NULL, null=True, related_name="+")
    CATEGORY_OF = {"appointment": "appointments", "starts_at": "appointments", "channel": "messages",
                   "status": "messages", "message": "messages"}

    class Meta:
        constraints = [models.UniqueConstraint(fields=["practice", "appointment", "starts_at", "channel"],
                                               name="uniq_reminder_dispatch_in_practice")]


class PreparedDocument(ClientOwnedChild):
    """A large PDF asked for and rendered in the background (services.documents): the
    request returns at once, the worker renders it as the person who asked (through the
    door), and it is kept sealed under the client's key for that person to download."""

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)  # accounting | record_copy | formal_accounting
    status = models.CharField(max_length=10, default="preparing")  # preparing | ready | failed
    finished_at = models.DateTimeField(null=True)
    pdf_enc = models.BinaryField(null=True)
    # The request the document answers (a record request, a formal accounting request)
    # and what the worker needs to finish it (the confirmed preview's token, the
    # delivery), sealed; the result (the disclosure it made) is sealed there too.
    ref = models.UUIDField(null=True)
    params_enc = models.BinaryField(null=True)
    CATEGORY_OF = {"requested_by": "disclosures", "kind": "disclosures", "status": "disclosures",
                   "finished_at": "disclosures", "pdf_enc": "disclosures", "ref": "disclosures",
                   "params_enc": "disclosures"}


class ConsultationDraft(ClientOwnedChild):
    """A disguised consultation packet awaiting its author's review (DESIGN.md promise
    12). It holds the disguised text of the chosen progress notes and where each
    replacement sits, never the notes' own text. Released once, by its author, as a
    `Disclosure`; a draft never leaves the practice."""

    STATUSES = ("draft", "released")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, default="draft")
    body_enc = models.BinaryField()  # mode, keep_first_name, purpose, notes [{label, text, spans}]
    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, null=True, related_name="+")
    released_at = models.DateTimeField(null=True)
    CATEGORY_OF = {"author": "progress_notes", "status": "progress_notes", "body_enc": "progress_notes",
                   "disclosure": "disclosures", "released_at": "disclosures"}


class NoticeAcknowledgement(ClientOwnedChild):
    """The client read and acknowledged the practice's notice of privacy practices and
    the limits of confidentiality (45 CFR 164.520(c)(2)(ii)): which version, and when."""

    version = models.DateField()  # the notice's version: the date it was published
    acknowledged_at = models.DateTimeField()
    body_enc = models.BinaryField()  # by (user pk), sha256 of the text acknowledged, how
    CATEGORY_OF = {"version": "consents", "acknowledged_at": "consents", "body_enc": "consents"}


class FormResponse(ClientOwnedChild):
    """A questionnaire or intake form the client completed in the portal before a
    session. The PHQ-9 and GAD-7 are also kept as an `Assessment` (scored); whether an
    answer needs the clinician's attention is inside the encrypted body, and stays
    there until a clinician marks the form reviewed. Which questionnaire it is (a
    depression or an anxiety measure) is inside the body too: in clear beside a client
    id it would tell a copy of the database what the client is being treated for."""

    KINDS = ("PHQ-9", "GAD-7", "intake")
    assessment = models.ForeignKey(Assessment, on_delete=models.SET_NULL, null=True, related_name="+")
    body_enc = models.BinaryField()  # answers, score, severity, flag
    reviewed_at = models.DateTimeField(null=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    CATEGORY_OF = {"assessment": "assessments", "body_enc": "assessments",
                   "reviewed_at": "assessments", "reviewed_by": "assessments"}


class AppointmentRequest(ClientOwnedChild):
    """A client asks for an appointment (one of the clinician's open times, or a
    preference in their own words); the front desk books it or declines it with a
    reason, and the client sees the outcome."""

    STATUSES = ("open", "booked", "declined", "withdrawn")
    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, default="open")
    body_enc = models.BinaryField()  # slot (iso), preference, reason for a decline
    appointment = models.ForeignKey(Appointment, on_delete=models.SET_NULL, null=True, related_name="+")
    decided_at = models.DateTimeField(null=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    CATEGORY_OF = {"clinician": "appointments", "status": "appointments", "body_enc": "appointments",
                   "appointment": "appointments", "decided_at": "appointments", "decided_by": "appointments"}


class PortalMessage(ClientOwnedChild):
    """A secure message between the client and their clinician, filed in the chart.
    One thread per client and clinician; the text is under the client's key."""

    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_client = models.BooleanField()
    body_enc = models.BinaryField()  # text
    read_at = models.DateTimeField(null=True)
    CATEGORY_OF = {"clinician": "correspondence", "sender": "correspondence", "from_client": "correspondence",
                   "body_enc": "correspondence", "read_at": "correspondence"}


CLIENT_MODELS = (Client, CareTeamMember, ClientAccount, Contact, Appointment, ProgressNote, NoteAddendum,
                 PsychotherapyNote, Diagnosis, Medication, TreatmentPlan, Assessment, RiskAssessment,
                 BreakGlassGrant, Charge, TopicTag, Release, GroundRules, SafetyEvent, LegalRequest,
                 RecordRequest, AccountingRequest, Disclosure, Obligation, Message, ConsultationDraft, NoticeAcknowledgement,
                 FormResponse, AppointmentRequest, PortalMessage, ReminderDispatch, PreparedDocument)
