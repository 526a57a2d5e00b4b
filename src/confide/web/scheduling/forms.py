"""Forms of the calendar's pages (Django forms check the shape; the services decide)."""

from __future__ import annotations

from django import forms

from confide.services.scheduling import SERIES_MAX, SERIES_MIN

MODALITY_CHOICES = (("in_person", "In person"), ("telehealth", "Telehealth"))


class BookingForm(forms.Form):
    # Chosen with the picker on the page (search, or the clients a page at a time): a
    # practice of 100,000 clients is no list to scroll.
    client = forms.UUIDField(label="Client", widget=forms.HiddenInput,
                             error_messages={"required": "choose the client", "invalid": "choose the client"})
    clinician = forms.ChoiceField(label="Clinician", error_messages={"required": "choose the clinician",
                                                                     "invalid_choice": "choose the clinician"})
    appointment_type = forms.ChoiceField(label="Type", help_text="What calendars and reminders show.", required=False,
                                         error_messages={"invalid_choice": "choose a type"})
    day = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}),
                          error_messages={"required": "give the date", "invalid": "give the date as a date"})
    at = forms.TimeField(label="Time", help_text="The practice's local time.",
                         widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                         error_messages={"required": "give the time", "invalid": "give the time, such as 18:00"})
    minutes = forms.IntegerField(label="Length in minutes", required=False, min_value=5, max_value=480,
                                 help_text="Leave empty for the type's usual length.",
                                 error_messages={"min_value": "at least 5 minutes", "max_value": "at most 480 minutes",
                                                 "invalid": "give the length as a number of minutes"})
    modality = forms.ChoiceField(label="Where", choices=MODALITY_CHOICES, initial="in_person",
                                 widget=forms.RadioSelect)
    room = forms.ChoiceField(label="Room", required=False, help_text="None for telehealth.",
                             error_messages={"invalid_choice": "choose a room"})
    weekly = forms.BooleanField(label="Repeat weekly", required=False)
    count = forms.IntegerField(label="Number of weekly sessions", required=False, min_value=SERIES_MIN,
                               max_value=SERIES_MAX, help_text=f"{SERIES_MIN} to {SERIES_MAX}, with Repeat weekly.",
                               error_messages={"min_value": f"a series has at least {SERIES_MIN} sessions",
                                               "max_value": f"a series has at most {SERIES_MAX} sessions",
                                               "invalid": "give the number of sessions"})

    def __init__(self, *args, clinicians=(), rooms=(), types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinician"].choices = [(str(c["id"]), c["name"]) for c in clinicians]
        self.fields["room"].choices = [("", "No room")] + [(r["id"], r["name"]) for r in rooms]
        # A practice with no types yet books a plain "Session" (the administrator adds types).
        self.fields["appointment_type"].choices = [(t["id"], f"{t['label']} ({t['minutes']} min)") for t in types
                                                   ] or [("", "Session (50 min)")]

    def clean(self):
        data = super().clean()
        if data.get("weekly") and not data.get("count"):
            self.add_error("count", "give the number of weekly sessions")
        if data.get("modality") == "telehealth" and data.get("room"):
            self.add_error("room", "a telehealth session takes no room")
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(label="Why it is cancelled", min_length=3, max_length=500, strip=True,
                             help_text="Kept encrypted; the client's clinician and the front desk see it.",
                             widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "say why it is cancelled",
                                             "min_length": "say why it is cancelled (at least 3 characters)",
                                             "max_length": "at most 500 characters"})
    rest_of_series = forms.BooleanField(label="Also cancel the later sessions of this series", required=False)


class RescheduleForm(forms.Form):
    day = forms.DateField(label="New date", widget=forms.DateInput(attrs={"type": "date"}),
                          error_messages={"required": "give the date", "invalid": "give the date as a date"})
    at = forms.TimeField(label="New time", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                         error_messages={"required": "give the time", "invalid": "give the time, such as 18:00"})


class RoomForm(forms.Form):
    name = forms.CharField(label="Room name", max_length=60, strip=True,
                           error_messages={"required": "give the room a name"})


class AppointmentTypeForm(forms.Form):
    label = forms.CharField(label="Label", max_length=60, strip=True,
                            help_text="Shown on calendars and in reminders: keep it neutral, such as Session.",
                            error_messages={"required": "give the type a label"})
    minutes = forms.IntegerField(label="Usual length in minutes", min_value=5, max_value=480, initial=50,
                                 error_messages={"required": "give the length", "min_value": "at least 5 minutes",
                                                 "max_value": "at most 480 minutes"})
