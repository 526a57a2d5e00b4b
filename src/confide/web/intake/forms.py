"""The intake form: Django forms check the shape; services.intake decides."""

from __future__ import annotations

from django import forms

from confide.services.intake import ACK_HOW, PROGRAMS
from confide.services.messages import LEVELS

LEVEL_WORDS = {
    "voicemail": {"none": "No voicemail", "name_callback": "First name and call-back number only",
                  "details": "Messages may give details"},
    "text": {"none": "No texts", "neutral": "Neutral reminders only", "details": "Texts may give details"},
    "email": {"none": "No email", "neutral": "Neutral reminders only", "details": "Email may give details"},
    "postal": {"none": "No letters", "home": "Letters to the home address", "alternate": "Letters to another address"},
}


def _levels(channel: str) -> list[tuple[str, str]]:
    return [(level, LEVEL_WORDS[channel][level]) for level in LEVELS[channel]]


def _optional_text(label, **kw):
    return forms.CharField(label=label, required=False, max_length=kw.pop("max_length", 200), **kw)


class IdentityContactForm(forms.Form):
    """What everyone records: who the client is and how to reach them."""

    legal_name = forms.CharField(label="Legal name", max_length=200)
    preferred_name = _optional_text("Preferred name")
    dob = forms.DateField(label="Date of birth", required=False, help_text="For example 2011-04-23.",
                          widget=forms.DateInput(attrs={"type": "date"}))
    pronouns = _optional_text("Pronouns", max_length=40)
    phone = _optional_text("Phone", max_length=40, widget=forms.TextInput(attrs={"inputmode": "tel",
                                                                                 "autocomplete": "off"}))
    email = forms.EmailField(label="Email", required=False, max_length=254)
    address = _optional_text("Home address", max_length=400, widget=forms.Textarea(attrs={"rows": 2}))


class FrontDeskIntakeForm(IdentityContactForm):
    clinician = forms.ChoiceField(label="Clinician who will see them")

    def __init__(self, *args, clinicians=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinician"].choices = [("", "Choose a clinician")] + [
            (str(c.pk), c.full_name or c.username) for c in clinicians]


class ClinicianIntakeForm(IdentityContactForm):
    voicemail = forms.ChoiceField(label="Voicemail", choices=_levels("voicemail"), initial="name_callback")
    text = forms.ChoiceField(label="Text messages", choices=_levels("text"), initial="neutral")
    email_level = forms.ChoiceField(label="Email messages", choices=_levels("email"), initial="neutral")
    postal = forms.ChoiceField(label="Letters", choices=_levels("postal"), initial="home")
    alternate_address = _optional_text("Other address for letters", max_length=400,
                                       widget=forms.Textarea(attrs={"rows": 2}))

    pay = forms.ChoiceField(label="How they pay", widget=forms.RadioSelect, initial="insurance",
                            choices=[("insurance", "Health plan"), ("self_pay", "Self-pay")])
    payer = _optional_text("Health plan")
    member_id = _optional_text("Member ID", max_length=100)
    group = _optional_text("Group number", max_length=100)
    restrict_payer = forms.BooleanField(
        label="They pay in full themselves and ask that the health plan hear nothing of these services",
        required=False)

    program = forms.ChoiceField(label="Program", choices=list(PROGRAMS.items()), initial="outpatient",
                                help_text="A substance use disorder program makes the whole record a 42 CFR Part 2 "
                                          "record: it leaves only with a Part 2 consent or order.")
    minor_consent = forms.ChoiceField(
        label="For a client under 18: who consents to care", required=False,
        choices=[("", "Not a minor"), ("self", "The minor consents alone (where the state allows it)"),
                 ("parent", "A parent or guardian consents")])
    guardian_name = _optional_text("Parent or guardian: name")
    guardian_relationship = _optional_text("Parent or guardian: relationship", max_length=60)
    guardian_phone = _optional_text("Parent or guardian: phone", max_length=40)
    guardian_email = forms.EmailField(label="Parent or guardian: email", required=False, max_length=254)

    emergency_name = _optional_text("Emergency contact: name")
    emergency_relationship = _optional_text("Emergency contact: relationship", max_length=60)
    emergency_phone = _optional_text("Emergency contact: phone", max_length=40)
    family_name = _optional_text("Family contact: name")
    family_relationship = _optional_text("Family contact: relationship", max_length=60)
    family_phone = _optional_text("Family contact: phone", max_length=40)

    npp_how = forms.ChoiceField(label="Notice of privacy practices: how it was acknowledged", required=False,
                                choices=[("", "Not yet")] + list(ACK_HOW.items()))
    npp_on = forms.DateField(label="Notice of privacy practices: when", required=False,
                             widget=forms.DateInput(attrs={"type": "date"}))
    limits_how = forms.ChoiceField(label="Limits of confidentiality discussed: how acknowledged", required=False,
                                   choices=[("", "Not yet")] + list(ACK_HOW.items()))
    limits_on = forms.DateField(label="Limits of confidentiality: when", required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))


class PortalInviteForm(forms.Form):
    relationship = forms.ChoiceField(label="Who the login is for", widget=forms.RadioSelect, initial="self",
                                     choices=[("self", "The client"),
                                              ("representative", "Their parent, guardian or other representative")])
    username = forms.CharField(label="User name for the login", min_length=3, max_length=150,
                               help_text="Letters, digits or . @ + - _ ; it need not be their name.")
    email = forms.EmailField(label="Email for the invitation link", max_length=254,
                             help_text="Used for this link only; it is not stored on the login.")
