"""Forms of the chart's pages (Django forms: they check the shape; the services decide)."""

from __future__ import annotations

from django import forms


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label="Why you need this chart now", min_length=10, max_length=1000, strip=True,
        help_text="10 to 1000 characters. The privacy officer reads this.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "state why you need this chart now",
                        "min_length": "the reason needs at least 10 characters",
                        "max_length": "the reason may have at most 1000 characters"})


class NewNoteForm(forms.Form):
    """Which template and session a new progress note is for."""

    template = forms.ChoiceField(label="Template", choices=())
    session_date = forms.DateField(label="Session date", widget=forms.DateInput(attrs={"type": "date"}),
                                   error_messages={"required": "give the session date",
                                                   "invalid": "give the session date as a date"})

    def __init__(self, *args, templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = list(templates)


def note_form_class(sections):
    """A form with one text box per section of a note's template."""
    fields = {key: forms.CharField(label=heading, required=False, max_length=20000, help_text=prompt,
                                   widget=forms.Textarea(attrs={"rows": 5}))
              for key, heading, prompt in sections}
    fields["session_date"] = forms.DateField(label="Session date",
                                             widget=forms.DateInput(attrs={"type": "date"}),
                                             error_messages={"required": "give the session date",
                                                             "invalid": "give the session date as a date"})
    return type("NoteForm", (forms.Form,), fields)


class AddendumForm(forms.Form):
    text = forms.CharField(label="Addendum", max_length=20000, strip=True,
                           help_text="A correction or addition. The signed note itself does not change.",
                           widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "write the addendum"})


class ReturnForm(forms.Form):
    comment = forms.CharField(label="What needs changing", max_length=2000, strip=True,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": "say what needs changing"})


class PsychotherapyNoteForm(forms.Form):
    session_date = forms.DateField(label="Session date", widget=forms.DateInput(attrs={"type": "date"}),
                                   error_messages={"required": "give the session date",
                                                   "invalid": "give the session date as a date"})
    text = forms.CharField(label="Psychotherapy note", max_length=20000, strip=True,
                           help_text="Kept apart from the record: only you can read it.",
                           widget=forms.Textarea(attrs={"rows": 6}), error_messages={"required": "write the note"})


class DiagnosisSearchForm(forms.Form):
    q = forms.CharField(label="Find a diagnosis", max_length=100, strip=True,
                        help_text="An ICD-10-CM code (F41.1) or words (generalized anxiety).",
                        error_messages={"required": "give a code or words to search for"})


GOAL_ROWS = 6
PROGRESS_CHOICES = [(0, "0 · not started"), (1, "1 · a little"), (2, "2 · some"), (3, "3 · most of the way"),
                    (4, "4 · achieved")]


class PlanForm(forms.Form):
    summary = forms.CharField(label="Summary", max_length=4000, strip=True, widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": "write the plan's summary"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, GOAL_ROWS + 1):
            self.fields[f"goal_{n}"] = forms.CharField(label=f"Goal {n}", max_length=500, required=False,
                                                       strip=True)
            self.fields[f"progress_{n}"] = forms.TypedChoiceField(label=f"Goal {n} progress",
                                                                  choices=PROGRESS_CHOICES, coerce=int,
                                                                  initial=0, required=False)
            self.fields[f"target_{n}"] = forms.DateField(label=f"Goal {n} target date", required=False,
                                                         widget=forms.DateInput(attrs={"type": "date"}))

    def goal_rows(self):
        return [(self[f"goal_{n}"], self[f"progress_{n}"], self[f"target_{n}"]) for n in range(1, GOAL_ROWS + 1)]

    def goals(self):
        out = []
        for n in range(1, GOAL_ROWS + 1):
            text = self.cleaned_data.get(f"goal_{n}")
            if text:
                target = self.cleaned_data.get(f"target_{n}")
                out.append({"text": text, "progress": self.cleaned_data.get(f"progress_{n}") or 0,
                            "target": target.isoformat() if target else None})
        return out


def measure_form_class(instrument):
    """One required radio group per item of the questionnaire."""
    from confide.services.charting.measures import ANSWERS

    fields = {f"item_{n}": forms.TypedChoiceField(label=f"{n}. {text}", choices=ANSWERS, coerce=int,
                                                  widget=forms.RadioSelect,
                                                  error_messages={"required": f"answer item {n}"})
              for n, text in enumerate(instrument.items, 1)}
    fields["on"] = forms.DateField(label="Date completed", widget=forms.DateInput(attrs={"type": "date"}),
                                   error_messages={"required": "give the date", "invalid": "give a date"})
    return type("MeasureForm", (forms.Form,), fields)
