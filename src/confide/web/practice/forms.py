"""Forms of the practice administrator's pages (they check the shape; the services decide)."""

from __future__ import annotations

from django import forms

from confide.apps.practice.models import User
from confide.services.practice.setup import practice_states, practice_time_zones

STAFF_ROLE_CHOICES = [(code, label) for code, label in User.ROLES if code in User.STAFF_ROLES]
LICENCE_CHOICES = [("", "None (not a clinician, or pre-licensed)")] + [(code, code) for code in User.LICENSED]


class PracticeSetupForm(forms.Form):
    name = forms.CharField(label="Practice name", max_length=200,
                           help_text="As it appears on your records and releases.")
    sender_name = forms.CharField(
        label="Neutral sender name", max_length=60,
        help_text="What reminders and invitations say they come from. It must not say what kind of practice "
                  "this is (no 'counseling', 'therapy', titles): e.g. 'HL Appointments'.")
    time_zone = forms.ChoiceField(label="Time zone", initial="America/Los_Angeles",
                                  choices=lambda: [(z, z.replace("_", " ")) for z in practice_time_zones()])
    state = forms.ChoiceField(label="State whose law applies", initial="US-WA",
                              choices=lambda: [(s, s.removeprefix("US-")) for s in practice_states()],
                              help_text="Minor consent, duty to warn and reporting follow this state's rules.")
    admin_full_name = forms.CharField(label="Your full name", max_length=200)
    admin_email = forms.EmailField(label="Your email", max_length=254)
    admin_username = forms.CharField(label="Your user name", max_length=150, min_length=3)
    admin_password = forms.CharField(label="Password", min_length=12, max_length=200, strip=False,
                                     help_text="At least 12 characters.",
                                     widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))


class StaffInviteForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=200)
    email = forms.EmailField(label="Email", max_length=254, help_text="The invitation link goes here.")
    username = forms.CharField(label="User name", max_length=150, min_length=3,
                               help_text="What they type to sign in: letters, digits or . @ + - _")
    role = forms.ChoiceField(label="Role", choices=STAFF_ROLE_CHOICES, initial="clinician")
    licence = forms.ChoiceField(label="Licence type", choices=LICENCE_CHOICES, required=False,
                                help_text="Leave empty for a pre-licensed clinician (who needs a supervisor).")
    licence_number = forms.CharField(label="Licence number", max_length=60, required=False)
    supervisor = forms.ChoiceField(label="Supervising clinician", required=False,
                                   help_text="Required for a pre-licensed clinician.")

    def __init__(self, *args, supervisors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].choices = [("", "None")] + [(str(s.pk), s.full_name or s.username)
                                                               for s in supervisors]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="New role", choices=STAFF_ROLE_CHOICES)


class DeactivateForm(forms.Form):
    reassign_to = forms.ChoiceField(label="Who takes over their clients", required=False)

    def __init__(self, *args, clinicians=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reassign_to"].choices = [("", "Choose a clinician")] + [
            (str(c.pk), c.full_name or c.username) for c in clinicians]
