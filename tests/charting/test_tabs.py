"""The chart in tabs: each tab decrypts only its own sections; psychotherapy notes are
the author's alone and never a way to learn that a client exists."""

from __future__ import annotations

import pytest

from confide.apps.auditlog.models import AuditEvent
from confide.core.errors import NotFound
from confide.services import charting
from confide.services.charting.tabs import TAB_SECTIONS

ALL = frozenset().union(*TAB_SECTIONS.values())


@pytest.mark.parametrize("tab", [k for k in TAB_SECTIONS if k != "psychotherapy"])
def test_each_tab_reads_only_its_sections(staff, cid, tab):
    chart = charting.chart_tab(user=staff["marsh"], client_id=cid["c1"], tab=tab)
    present = {k for k in ALL if chart.get(k) is not None}
    assert present <= TAB_SECTIONS[tab] | {"identity"}, present - TAB_SECTIONS[tab]
    assert set(chart["read_categories"]) <= TAB_SECTIONS[tab] | {"identity"}
    assert "progress_notes" not in chart  # paged by notes_page


def test_the_audit_records_only_the_tabs_categories(staff, cid):
    charting.chart_tab(user=staff["marsh"], client_id=cid["c1"], tab="diagnoses")
    event = AuditEvent.objects.order_by("-seq").first()
    assert set(event.categories) == {"identity", "diagnosis"}


def test_tabs_follow_the_role(staff, cid):
    def labels(user, key):
        return [t["label"] for t in charting.chart_tab(user=staff[user], client_id=cid[key])["tabs"]]
    assert labels("marsh", "c1") == ["Overview", "Notes", "Plan", "Diagnoses", "Measures", "Appointments",
                                     "Psychotherapy notes"]
    assert labels("fontaine", "c1") == ["Overview", "Appointments"]
    assert labels("pellham", "c1") == ["Overview", "Diagnoses"]
    assert "Psychotherapy notes" not in labels("okafor", "c5")  # supervising, not the author


def test_psychotherapy_notes_are_the_authors_only(staff, cid):
    tab = charting.chart_tab(user=staff["marsh"], client_id=cid["c1"], tab="psychotherapy")
    assert tab["psychotherapy_notes"]
    with pytest.raises(NotFound):
        charting.chart_tab(user=staff["okafor"], client_id=cid["c5"], tab="psychotherapy")
    with pytest.raises(NotFound):  # no relationship: the same answer as no client
        charting.chart_tab(user=staff["lindqvist"], client_id=cid["c1"], tab="psychotherapy")
    with pytest.raises(NotFound):
        charting.chart_tab(user=staff["marsh"], client_id=cid["c1"], tab="nonsense")
