"""Template filters every page uses: times in the practice's zone, in words
(services.practice_time), and codes as words (services.words).

    {% load confide %}
    {{ appointment.starts_at|practice_time:practice }}   Tue 8 Dec, 6:00 PM
    {{ appointment.starts_at|practice_clock:practice }}  6:00 PM
    {{ note.session_date|day }}                          Tue 8 Dec
    {{ entry.purpose|purpose_word }}                     for treatment
    {{ entry.purpose|purpose_word:"client" }}            for your care

Values may be datetimes or dates, or their ISO strings as services return them. A
value that is not a time shows as it is (never a 500).
"""

from __future__ import annotations

from datetime import date, datetime

from django import template

from confide.services import practice_time as pt
from confide.services import words

register = template.Library()


def _moment(value) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def _day(value) -> date | None:
    if isinstance(value, datetime):
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


@register.filter
def practice_time(value, practice):
    """'Tue 8 Dec, 6:00 PM' in the practice's zone (a date alone: 'Tue 8 Dec')."""
    found = _day(value)
    if found is not None:
        return pt.human_date(found)
    moment = _moment(value)
    return pt.human_datetime(practice, moment) if moment else (value or "")


@register.filter
def practice_clock(value, practice):
    """'6:00 PM' in the practice's zone."""
    moment = _moment(value)
    return pt.human_time(practice, moment) if moment else (value or "")


@register.filter
def practice_day(value, practice):
    """The practice's calendar day of a moment, as 'Tue 8 Dec'."""
    moment = _moment(value)
    if moment is None:
        found = _day(value)
        return pt.human_date(found) if found else (value or "")
    return pt.human_date(pt.local_date(practice, moment))


@register.filter
def day(value):
    """A date ('2026-12-08' or a date) as 'Tue 8 Dec'."""
    found = _day(value)
    return pt.human_date(found) if found else (value or "")


@register.filter
def purpose_word(code, voice=""):
    """Why, in words: third person, or the client's own voice with "client"."""
    return words.purpose_word(code, to_client=voice == "client")


# Codes as words, one filter each: {{ user.role|role_word }}, {{ a.status|status_word }}, ...
for _name in ("role_word", "category_word", "category_phrase", "relationship_word", "action_word", "status_word",
              "basis_word", "release_kind"):
    register.filter(_name, getattr(words, _name))


@register.filter
def long_date(value):
    """A date with its year and no weekday ('3 March 1991'): dates of birth."""
    found = _day(value)
    return f"{found.day} {found.strftime('%B')} {found.year}" if found else (value or "")


@register.filter
def note_status_word(value):
    """A progress note's status in words ('unsigned: waiting for co-signature')."""
    return words.note_status_word(value)


@register.filter
def progress_word(value):
    """A goal's 0-4 rating in words ('most of the way')."""
    return words.progress_word(value)
