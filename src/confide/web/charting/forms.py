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
