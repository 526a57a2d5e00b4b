"""Benchmark: opening a chart through the one door against plain Django, in the same run.

    PYTHONPATH=src python bench/chart_open.py [N]

Sets up its own temporary var dir and SQLite database (migrate + the demo practice,
in-process), then opens a demo client's chart N times as their treating clinician
through `services.charting.chart_open` (PDP + decrypt + audit in one transaction).

The baseline is plain Django reading the same rows: the same models and the same
queries for the client and each section the decision permits, with no PDP, no
decryption and no audit write (autocommit reads, as a plain view would do).

Then it times the parts on their own, each called directly over N iterations:
relationship queries, the PDP decision, the pseudonym, unwrapping the data key,
decrypting the chart's ciphertexts, and an audited transaction appending one event
(head lock, seal, insert) with its commit; and a cProfile
of chart_open aggregated by module group.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VAR = Path(tempfile.mkdtemp(prefix="confide-bench-"))
for name in [k for k in os.environ if k.startswith("CONFIDE_")]:
    del os.environ[name]
os.environ.update(CONFIDE_VAR_DIR=str(VAR), CONFIDE_REQUIRE_OTP="0",
                  DJANGO_SETTINGS_MODULE="confide.config.settings")
sys.path.insert(0, str(ROOT / "src"))

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

logging.getLogger("confide").setLevel(logging.ERROR)  # the "created master key" warning

from confide.apps.practice.models import User  # noqa: E402
from confide.apps.records.models import (  # noqa: E402
    Appointment,
    CareTeamMember,
    Client,
    ClientKey,
    ProgressNote,
    PsychotherapyNote,
)
from confide.core.policy import AccessRequest, decide  # noqa: E402
from confide.services import access, keys  # noqa: E402
from confide.services.audit import audit_append, audited_transaction  # noqa: E402
from confide.services.charting import chart_open  # noqa: E402
from confide.services.demo.build import demo_create  # noqa: E402
from confide.services.policy import rules  # noqa: E402
from confide.services.projection import CHART_SECTIONS, RECORD_KINDS  # noqa: E402
from confide.services.sealing import unseal  # noqa: E402

USER, CLIENT = "marsh", "c1"


def _rows(model, client_id, **filters):
    return model.objects.filter(client_id=client_id, **filters).order_by("created_at", "id")


def baseline_chart(user: User, client_id, cats: frozenset[str]) -> dict:
    """Plain Django: the same rows and queries as project_chart, nothing decrypted."""
    client = Client.objects.get(id=client_id)
    out: dict = {"id": str(client.id)}
    for cat, column in (("identity", "identity_enc"), ("contact", "contact_enc"), ("fact_of_treatment", "fact_enc"),
                        ("billing", "billing_enc"), ("contact_preferences", "preferences_enc")):
        if cat in cats:
            out[cat] = bytes(getattr(client, column) or b"")
    if "fact_of_treatment" in cats:
        out["care_team"] = [(m.staff.full_name, m.relationship) for m in
                            CareTeamMember.objects.filter(client_id=client.id, ended_at__isnull=True)
                            .select_related("staff")]
    if "billing" in cats:
        out["attendance"] = [_blob(a.attendance_enc) for a in _rows(Appointment, client.id).order_by("starts_at")]
    for _kind, (model, column, cat, _a, _r) in RECORD_KINDS.items():
        if cat in cats:
            out[cat] = [bytes(getattr(r, column)) for r in _rows(model, client.id)]
    if "appointments" in cats:
        out["appointments"] = [(a.clinician.full_name, bytes(a.details_enc), _blob(a.attendance_enc)) for a in
                               _rows(Appointment, client.id).select_related("clinician").order_by("starts_at")]
    if "progress_notes" in cats:
        out["progress_notes"] = [(n.author.full_name, bytes(n.body_enc)) for n in
                                 _rows(ProgressNote, client.id).select_related("author").order_by("session_date")]
    if "psychotherapy_notes" in cats:
        out["psychotherapy_notes"] = [bytes(n.body_enc) for n in
                                      _rows(PsychotherapyNote, client.id, author=user).order_by("session_date")]
    return out


def _blob(value) -> bytes | None:
    """A ciphertext column's bytes; None where nothing is stored yet (a session not yet
    attended holds no attendance)."""
    return bytes(value) if value is not None else None


def ciphertexts(user: User, client_id, cats: frozenset[str]) -> list[tuple]:
    """(model, column, row id, blob) for every field chart_open decrypts for this chart."""
    client = Client.objects.get(id=client_id)
    out = []
    for cat, column in (("identity", "identity_enc"), ("contact", "contact_enc"), ("fact_of_treatment", "fact_enc"),
                        ("billing", "billing_enc"), ("contact_preferences", "preferences_enc")):
        if cat in cats and getattr(client, column) is not None:
            out.append((Client, column, client.id, bytes(getattr(client, column))))
    appts = list(_rows(Appointment, client.id))
    if "billing" in cats:
        out += [(Appointment, "attendance_enc", a.id, bytes(a.attendance_enc)) for a in appts if a.attendance_enc is not None]
    for _kind, (model, column, cat, _a, _r) in RECORD_KINDS.items():
        if cat in cats:
            out += [(model, column, r.id, bytes(getattr(r, column))) for r in _rows(model, client.id)]
    if "appointments" in cats:
        out += [(Appointment, "details_enc", a.id, bytes(a.details_enc)) for a in appts]
        if "attendance" in cats:
            out += [(Appointment, "attendance_enc", a.id, bytes(a.attendance_enc)) for a in appts if a.attendance_enc is not None]
    if "progress_notes" in cats:
        out += [(ProgressNote, "body_enc", n.id, bytes(n.body_enc)) for n in _rows(ProgressNote, client.id)]
    if "psychotherapy_notes" in cats:
        out += [(PsychotherapyNote, "body_enc", n.id, bytes(n.body_enc))
                for n in _rows(PsychotherapyNote, client.id, author=user)]
    return out


def timed(fn, n: int) -> list[float]:
    """Milliseconds per call, n calls."""
    clock = time.perf_counter
    out = []
    for _ in range(n):
        t0 = clock()
        fn()
        out.append((clock() - t0) * 1000)
    return out


def stats(samples: list[float]) -> tuple[float, float, float]:
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.fmean(samples), q[49], q[98]


def line(label: str, samples: list[float], width: int = 34) -> str:
    mean, p50, p99 = stats(samples)
    return f"  {label:<{width}} mean {mean:8.3f} ms   p50 {p50:8.3f} ms   p99 {p99:8.3f} ms"


GROUPS = (
    ("PDP (confide.core.policy)", ("confide/core/policy",)),
    ("crypto (envelope, keys, AES-GCM)", ("confide/core/crypto", "confide/services/sealing", "confide/services/keys",
                                          "cryptography")),
    ("audit (chain, append)", ("confide/core/audit", "confide/services/audit")),
    ("sqlite3 driver (execute, commit)", ("sqlite3.Connection", "sqlite3.Cursor", "SQLiteCursorWrapper",
                                          "/sqlite3/")),
    ("Django ORM and db layer", ("django/db", "django/utils", "django/dispatch", "django/apps", "django/conf")),
    ("json", ("json/", "{method 'decode'", "{method 'encode'")),
    ("services (access, clients)", ("confide/services",)),
)


def profile_by_group(fn, n: int) -> list[tuple[str, float]]:
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(n):
        fn()
    prof.disable()
    totals: dict[str, float] = defaultdict(float)
    for (filename, _lineno, funcname), (_cc, _nc, tottime, _ct, _callers) in pstats.Stats(prof).stats.items():
        where = filename if filename != "~" else funcname
        for label, markers in GROUPS:
            if any(m in where for m in markers):
                totals[label] += tottime
                break
        else:
            totals["other (builtins, inspect, uuid, copy)"] += tottime
    total = sum(totals.values())
    return [(k, v / total) for k, v in sorted(totals.items(), key=lambda kv: -kv[1])]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    call_command("migrate", interactive=False, verbosity=0)
    demo = demo_create(with_otp=False)
    user = User.objects.get(username=USER)
    cid = demo.client_ids[CLIENT]

    chart = chart_open(user=user, client_id=cid)
    cats = frozenset(chart["categories"])
    blobs = ciphertexts(user, cid, cats)
    ok = baseline_chart(user, cid, cats)
    assert ok["progress_notes"] and chart["progress_notes"]

    # Warm up both paths, then measure them alternately in the same run.
    timed(lambda: chart_open(user=user, client_id=cid), 30)
    timed(lambda: baseline_chart(user, cid, cats), 30)
    confide_ms, base_ms = [], []
    for _ in range(n // 50 or 1):
        confide_ms += timed(lambda: chart_open(user=user, client_id=cid), min(50, n))
        base_ms += timed(lambda: baseline_chart(user, cid, cats), min(50, n))

    # The parts, each alone.
    from datetime import datetime, timezone

    now = datetime.now(timezone.utc)
    rels = access.relationships_of(user, cid, now)
    # What chart_open asks for: the sections a chart shows (psychotherapy notes only
    # when the user wrote some here).
    wrote_notes = PsychotherapyNote.objects.filter(client_id=cid, author=user).exists()
    wanted = set(CHART_SECTIONS) | ({"psychotherapy_notes"} if wrote_notes else set())
    request = AccessRequest(actor=access.actor_for(user), action="read", purpose="TREAT",
                            client_ref=access.client_ref_for(user, cid), client_practice_id=str(user.practice_id),
                            categories=frozenset(wanted), relationships=rels, note_author_id=str(user.pk), now=now)
    decision = decide(request, rules())
    assert decision.permitted and decision.categories == cats
    ruleset = rules()

    def rel_queries():
        PsychotherapyNote.objects.filter(client_id=cid, author=user).exists()
        Client.objects.filter(id=cid).only("id", "practice_id").first()
        access.relationships_of(user, cid, datetime.now(timezone.utc))

    def decrypt_all():
        dek = keys.client_data_key(cid)
        for model, column, rid, blob in blobs:
            unseal(dek, model, column, rid, blob)

    ring = keys.keyring()
    key_row = ClientKey.objects.get(client_id=cid)
    wrapped = bytes(key_row.wrapped)

    def unwrap():
        ring.unwrap(key_row.master_key_id, wrapped, context=keys._client_context(cid))

    def audit_one():
        with audited_transaction():
            audit_append(practice_id=user.practice_id, actor_id=str(user.pk), actor_role=user.role, action="read",
                         purpose="TREAT", client_ref=request.client_ref, decision=decision, detail={"view": "chart"})

    def empty_commit():
        with transaction.atomic(durable=True):
            connection.cursor().execute("SELECT 1")

    parts = [
        ("relationship + existence queries", timed(rel_queries, n)),
        ("PDP decide() alone", timed(lambda: decide(request, ruleset), n)),
        ("client_ref pseudonym (HMAC)", timed(lambda: access.client_ref_for(user, cid), n)),
        ("decrypt chart (cached data key)", timed(decrypt_all, n)),
        ("unwrap data key (cache miss only)", timed(unwrap, n)),
        ("audit append (sealed) + commit", timed(audit_one, n)),
        ("  of which: empty atomic + commit", timed(empty_commit, n)),
    ]

    m_conf, m_base = statistics.fmean(confide_ms), statistics.fmean(base_ms)
    print(f"chart_open: N={n}, client {CLIENT} opened by its treating clinician ({USER}), "
          f"{len(cats)} categories, {len(blobs)} encrypted fields, SQLite ({connection.vendor}) in {VAR}")
    print(line("services.charting.chart_open", confide_ms))
    print(line("baseline: plain Django, same rows", base_ms))
    p50c, p50b = stats(confide_ms)[1], stats(base_ms)[1]
    p99c, p99b = stats(confide_ms)[2], stats(base_ms)[2]
    print(f"  {'ratio':<34} mean {m_conf / m_base:7.2f}x     p50 {p50c / p50b:7.2f}x     p99 {p99c / p99b:7.2f}x")
    print(f"  overhead over the baseline: {m_conf - m_base:.3f} ms per open (mean)")
    print("where the time goes (each part timed alone, N calls):")
    for label, samples in parts:
        print(line(label, samples))
    accounted = sum(statistics.fmean(s) for label, s in parts[:4]) + statistics.fmean(parts[5][1])
    print(f"  sum of the parts above (without the cache-miss unwrap): {accounted:.3f} ms + section queries "
          f"(~ baseline {m_base:.3f} ms) = {accounted + m_base:.3f} ms vs chart_open {m_conf:.3f} ms")
    print(f"cProfile of chart_open x {min(n, 200)}, own time by module group:")
    for label, share in profile_by_group(lambda: chart_open(user=user, client_id=cid), min(n, 200)):
        print(f"  {label:<38} {share:6.1%}")


if __name__ == "__main__":
    try:
        main()
    finally:
        connection.close()
        shutil.rmtree(VAR, ignore_errors=True)
