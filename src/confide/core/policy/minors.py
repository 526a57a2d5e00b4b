"""Whether a minor consented alone under the state's law (RULES.md section 4 and 1.4
PR-3a). Pure: the caller passes the jurisdiction's minor-consent fact."""

from __future__ import annotations

from datetime import date

from confide.core.policy.rules import Fact


def age_on(dob: date, day: date) -> int:
    """Whole years from `dob` to `day`."""
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def may_consent_alone(fact: Fact | None, dob: date | None, on: date) -> bool:
    """True when a minor born on `dob` could consent alone to outpatient mental-health
    care on `on` under the state's rule `fact` (kind "minor_consent").

    No enabled fact, or a fact without `min_age` (no general statute): parental consent
    is required (RULES.md section 4: default null). A statute limited to physicians
    does not cover a therapist. An unknown date of birth leaves the clinician's recorded
    finding standing.
    """
    if fact is None or not fact.enabled:
        return False
    min_age = fact.data.get("min_age")
    if min_age is None or fact.data.get("physician_only"):
        return False
    if dob is None:
        return True
    return age_on(dob, on) >= min_age
