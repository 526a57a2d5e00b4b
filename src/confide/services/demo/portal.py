"""What the demo's client portal shows on a fresh `make run`: Adrian (c6, `awhitford`)
has completed the intake form, a PHQ-9 and a GAD-7 before his next session (waiting in
Dr Marsh's review queue), exchanged secure messages with Dr Marsh, asked for an extra
appointment (in the front desk's and Dr Marsh's requests), and has an authorization to
his physician waiting for his signature. Written through the same services as real
use (each through the door, audited), with fixed content: the same demo every time,
its dates relative to today like the rest of the demo."""

from __future__ import annotations

from datetime import date, timedelta

from confide.apps.practice.models import User
from confide.services.disclosures import releases
from confide.services.portal import correspondence, forms, requests
from confide.services.demo import data

CLIENT = "c6"

INTAKE = {
    "reason": "My wife and I have been arguing a lot since she went back to night shifts, and I get wound up at work.",
    "hopes": "Disagree without it turning into a fight, and sleep better.",
    "medications": "",
    "earlier_care": "A few sessions with a school counselor as a teenager; it helped at the time.",
    "anything_else": "Evenings after 5 pm work best for me.",
}
# Item by item, 0 to 3 (never a typed total): PHQ-9 7 (mild, item 9 at 0), GAD-7 7 (mild).
PHQ9 = [1, 1, 2, 1, 1, 0, 1, 0, 0]
GAD7 = [1, 1, 1, 2, 1, 1, 0]
# (who writes, text), oldest first: the client, then Dr Marsh, then the client.
MESSAGES = [
    ("client", "Hi Dr Marsh, I tried the STOP skill on Sunday when the bill came up again. It helped for a bit, "
               "but I still raised my voice. Should I bring this up on Wednesday?"),
    ("clinician", "Thanks for telling me, Adrian. Noticing it and trying the skill is the first part of the work. "
                  "Yes, let's start there on Wednesday."),
    ("client", "Will do. Is there any chance of an extra session next week? I have put in a request."),
]
APPOINTMENT_PREFERENCE = "An extra session next week, any evening after 5 pm"
RELEASE = {
    "description": "My diagnoses and treatment plan, so my physician can coordinate my care",
    "categories": ["diagnosis", "treatment_plan"],
    "discloser": data.PRACTICE["name"],
    "recipient": {"name": "Dr. Nadia Ferreira-Lund", "kind": "provider",
                  "address": "Fircrest Family Medicine, University Place, WA"},
    "purposes": ["Coordination of my care"],
}
RELEASE_DAYS = 365


def demo_portal(*, staff: dict[str, User], client_ids: dict, today: date) -> None:
    """Adrian's portal activity (see the module's text)."""
    cid = client_ids[CLIENT]
    client = next(c for c in data.CLIENTS if c["key"] == CLIENT)
    clinician = staff[client["care_team"][0]["staff"]]
    adrian = User.objects.get(practice_id=clinician.practice_id, client_account__client_id=cid,
                              client_account__relationship="self")
    forms.form_submit(user=adrian, client_id=cid, slug="intake", answers=INTAKE)
    forms.form_submit(user=adrian, client_id=cid, slug="phq9", answers=PHQ9)
    forms.form_submit(user=adrian, client_id=cid, slug="gad7", answers=GAD7)
    for who, text in MESSAGES:
        # History written after the fact: nobody is told a message waits.
        correspondence.message_send(user=adrian if who == "client" else clinician, client_id=cid, text=text,
                                    notify=False)
    requests.appointment_request_create(user=adrian, client_id=cid, preference=APPOINTMENT_PREFERENCE)
    rid = releases.release_create(user=clinician, client_id=cid, kind="hipaa", data={
        **RELEASE, "expires_on": (today + timedelta(days=RELEASE_DAYS)).isoformat()})
    releases.release_send(user=clinician, client_id=cid, release_id=rid)
