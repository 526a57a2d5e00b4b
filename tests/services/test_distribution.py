"""Ready for a distributed engine (Citus, distributed on the practice).

Citus distributes a table on one column; every primary key and unique key of a
distributed table must include it, a foreign key between distributed tables must
include it on both sides, and a reference table (on every node) may point to another
reference table but never to a distributed one.

The models keep `id` as the ORM's key; `confide distribute` (services.distribution)
makes the database's keys (practice_id, id). The first tests read the models and fail
on any table that would not distribute; the last runs the command on a PostgreSQL
database of its own, reads the catalog, and runs the application on the result.
"""

from __future__ import annotations

import re

import pytest
from django.db import models

from confide.services.distribution import (
    COORDINATOR_LOCAL,
    DISTRIBUTED_ON,
    DISTRIBUTION,
    REFERENCE,
    TENANT_APPS,
    model_tables,
    tenant_tables,
)
from tests.instances import Instance, _pg, postgres_url
from tests.shards import assert_every_statement_names_the_practice, sent


def _columns(fields) -> set[str]:
    return {f.column for f in fields}


def _pk_columns(model) -> list[str]:
    pk = model._meta.pk
    return [f.column for f in (getattr(pk, "fields", None) or [pk])]


def _unique_sets(model) -> list[tuple[str, set[str]]]:
    """Every unique key but the primary key: unique columns (one-to-one links
    included), unique constraints and unique_together."""
    meta = model._meta
    sets = [(f.name, {f.column}) for f in meta.concrete_fields if f.unique and not f.primary_key]
    for c in meta.constraints:
        if isinstance(c, models.UniqueConstraint):
            if not c.fields:  # an expression: the rule cannot be read from the model
                sets.append((c.name, set()))
            else:
                sets.append((c.name, {meta.get_field(n).column for n in c.fields}))
    for together in meta.unique_together:
        sets.append((",".join(together), {meta.get_field(n).column for n in together}))
    return sets


def _foreign_keys(model):
    return [f for f in model._meta.concrete_fields if f.is_relation and (f.many_to_one or f.one_to_one)]


def test_every_table_is_tenant_reference_distributed_or_local():
    tables = model_tables()
    tenant = tenant_tables()
    for table, model in tables.items():
        if table in tenant:
            continue
        assert table in REFERENCE | COORDINATOR_LOCAL | set(DISTRIBUTED_ON), f"{table} is not classified"
    assert set(DISTRIBUTED_ON) <= set(tables)
    assert REFERENCE <= set(tables) and COORDINATOR_LOCAL - {"django_migrations"} <= set(tables)
    assert not REFERENCE & COORDINATOR_LOCAL
    # The practice's own apps are tenant tables but for a few, each named for a reason
    # (services.distribution says which).
    assert {t for t, m in tables.items() if m._meta.app_label in TENANT_APPS and t not in tenant} == {
        "practice_practice", "practice_user", "practice_apitoken", "practice_signinthrottle",
        "practice_instancekey", "practice_user_groups", "practice_user_user_permissions",
        "auditlog_auditverification", "auditlog_auditevent", "auditlog_audithead"}


def test_every_tenant_table_carries_the_practice():
    lacking = {t for t, m in tenant_tables().items() if DISTRIBUTION not in _columns(m._meta.concrete_fields)}
    assert lacking == set()


def test_saving_a_row_of_a_tenant_table_names_its_practice(demo, staff, cid):
    """A loaded row's save() updates it by its id and its practice (PracticeScoped), so
    on Citus the UPDATE goes to the practice's shard alone; a table keyed by its practice
    (the practice's index key) names it anyway."""
    from confide.apps.practice.models import PracticeScoped
    from confide.apps.records.models import Client

    lacking = {t for t, m in tenant_tables().items()
               if not issubclass(m, PracticeScoped) and _pk_columns(m) != [DISTRIBUTION]}
    assert lacking == set()
    client = Client.objects.get(id=cid["c1"])
    with sent() as statements:
        client.save(update_fields=["identity_enc"])
    updates = [s for s in statements if s.startswith("UPDATE")]
    assert len(updates) == 1
    assert_every_statement_names_the_practice(updates)


def test_every_tenant_key_can_include_the_practice():
    """The ORM's key is one column (or already includes the practice): the command
    makes it (practice_id, key)."""
    for table, model in tenant_tables().items():
        pk = _pk_columns(model)
        assert len(pk) == 1 or DISTRIBUTION in pk, table


def test_every_unique_key_of_a_tenant_table_includes_the_practice():
    offending = {(t, name) for t, m in tenant_tables().items()
                 for name, cols in _unique_sets(m) if DISTRIBUTION not in cols}
    assert offending == set()
    for table, column in DISTRIBUTED_ON.items():
        model = model_tables()[table]
        assert column in _pk_columns(model), table
        assert all(column in cols for _n, cols in _unique_sets(model)), table


def test_every_foreign_key_can_be_made_composite_or_stays():
    """Between tenant tables: the referencing table has the practice and the key points
    to the target's key (so (practice_id, x_id) -> (practice_id, id) exists). From a
    reference or coordinator table: never to a distributed table."""
    tables = model_tables()
    tenant = tenant_tables()
    distributed = set(tenant) | set(DISTRIBUTED_ON)
    for table, model in tables.items():
        for f in _foreign_keys(model):
            target = f.related_model._meta.db_table
            if table in tenant and target in tenant:
                assert DISTRIBUTION in _columns(model._meta.concrete_fields), (table, f.name)
                assert f.target_field.primary_key, (table, f.name)
            if table not in distributed:
                assert target not in distributed, f"{table}.{f.name} points to the distributed {target}"
            if table in tenant and target not in tenant:
                assert target in REFERENCE, f"{table}.{f.name} points to {target}, neither tenant nor reference"


def test_reference_tables_hold_no_client_information():
    """A reference table is on every node: none of them may be a client's record."""
    from confide.apps.records.models import CLIENT_MODELS

    client_tables = {m._meta.db_table for m in CLIENT_MODELS}
    assert not client_tables & REFERENCE
    assert client_tables <= set(tenant_tables())


def test_distribute_refuses_sqlite_in_one_line(tmp_path):
    if postgres_url():
        pytest.skip("the test run is against PostgreSQL")
    inst = Instance.empty(tmp_path / "var")
    proc = inst.confide("distribute", check=False)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr == "confide: distribution needs PostgreSQL (this database is sqlite)\n"


def test_on_citus_tables_are_distributed_after_what_they_point_to(db, monkeypatch):
    """With the citus extension (not installable here: its calls are planned, not run),
    reference tables come first, each after the tables it points to; then the tenant
    tables on practice_id colocated with records_client, each after the tenant tables
    it points to; then the audit chains on `chain`."""
    if not postgres_url():
        pytest.skip("the plan reads PostgreSQL's catalog")
    from confide.services import distribution

    monkeypatch.setattr(distribution, "_citus_present", lambda cursor: True)
    monkeypatch.setattr(distribution, "_citus_tables", lambda cursor: set())
    plan = distribution.distribution_plan()
    calls = [s for s in plan.statements if s.startswith("SELECT create_")]
    rewrites = [s for s in plan.statements if s.startswith("ALTER TABLE")]
    assert plan.statements == rewrites + calls  # the keys first
    made = [re.match(r"SELECT create_(reference|distributed)_table\('\"(\w+)\"'", s).groups() for s in calls]
    order = [t for _kind, t in made]
    assert len(order) == len(set(order))
    assert {t for kind, t in made if kind == "reference"} == REFERENCE
    assert {t for kind, t in made if kind == "distributed"} == set(tenant_tables()) | set(DISTRIBUTED_ON)
    assert calls[len(REFERENCE)] == ("SELECT create_distributed_table('\"records_client\"', 'practice_id', "
                                         "colocate_with => 'default')")
    assert calls[-2:] == [
        "SELECT create_distributed_table('\"auditlog_auditevent\"', 'chain', colocate_with => 'default')",
        "SELECT create_distributed_table('\"auditlog_audithead\"', 'chain', colocate_with => 'auditlog_auditevent')"]
    assert all("colocate_with => 'records_client'" in s for s in calls[len(REFERENCE) + 1:-2])
    tables = model_tables()
    for table in order:
        for f in _foreign_keys(tables[table]):
            target = f.related_model._meta.db_table
            if target != table:
                assert order.index(target) < order.index(table), f"{table} before {target}"


_FK = re.compile(r"FOREIGN KEY \(([^)]*)\) REFERENCES (\w+)\(([^)]*)\)")

# A later migration's new tenant table, pointing to a client: created after the
# database was distributed, through the engine (confide.config.postgresql).
_LATER_MIGRATION = """
from django.apps.registry import Apps
from django.db import connection, models
from confide.apps.practice.models import Practice
from confide.apps.records.models import Client

class Later(models.Model):
    id = models.UUIDField(primary_key=True)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    class Meta:
        app_label = "records"
        apps = Apps()
        db_table = "records_later"

with connection.schema_editor() as editor:
    editor.create_model(Later)
with connection.cursor() as cursor:
    cursor.execute("SELECT contype, pg_get_constraintdef(oid) FROM pg_constraint "
                   "WHERE conrelid = 'records_later'::regclass AND contype IN ('p', 'f') ORDER BY 2")
    print(cursor.fetchall())
field = Later._meta.get_field("client")
with connection.schema_editor() as editor:  # Django finds the composite key by its column
    editor.remove_field(Later, field)
    editor.delete_model(Later)
print("later migration ok")
"""

_WORKFLOW = """
import re
from django.db import connection
from confide.apps.practice.models import User
from confide.services.distribution import tenant_tables

# Citus locks rows (SELECT ... FOR UPDATE) on one shard only: a lock on a tenant row
# must name its practice (an equality on practice_id), or Citus refuses it.
TENANT = set(tenant_tables())
unrouted = set()

def routed(execute, sql, params, many, context):
    if " FOR UPDATE" in sql or " FOR NO KEY UPDATE" in sql or " FOR SHARE" in sql:
        table = re.search(r'FROM "(\\w+)"', sql).group(1)
        if table in TENANT and f'"{table}"."practice_id" = ' not in sql:
            unrouted.add(sql)
    return execute(sql, params, many, context)

WRAPPED = connection.execute_wrapper(routed)  # kept: a dropped one unwraps
WRAPPED.__enter__()

from confide.services import charting
from confide.services.audit import audit_verify
from confide.services.demo.build import demo_create
from confide.services.disclosures.packet import Basis, Recipient, disclosure_packet_build
from confide.services.intake import client_create

demo = demo_create()
marsh = User.objects.get(username="marsh")
cid = client_create(user=marsh, identity={"legal_name": "Dana Distributed"})
nid = charting.note_draft_start(user=marsh, client_id=cid, session_date="2026-12-01", template="SOAP",
    sections={"subjective": "Slept better.", "objective": "Calm.", "assessment": "Improving.", "plan": "Continue."})
assert charting.note_sign(user=marsh, note_id=nid) == "signed"
order = Basis(kind="court_order", citation="45 CFR 164.512(e)(1)(i)", description="Order of the court",
              scope=frozenset({"billing", "diagnosis"}), flags=frozenset({"signed_by_judge"}))
out = disclosure_packet_build(user=marsh, client_id=demo.client_ids["c1"], purpose="HLEGAL", basis=order,
    recipient=Recipient(name="Pierce County Superior Court", kind="court", address="930 Tacoma Ave S"),
    categories={"billing", "diagnosis"})
assert out["categories"] == ["billing", "diagnosis"], out["categories"]
chart = charting.chart_open(user=marsh, client_id=cid)
assert [n["id"] for n in chart["progress_notes"]] == [str(nid)], chart["progress_notes"]
report = audit_verify()
assert report.ok, report.problems
assert not unrouted, sorted(unrouted)
print("workflow ok")
"""


def test_distribute_rewrites_the_keys_and_the_application_works_on_them(tmp_path):
    if not postgres_url():
        pytest.skip("distribution rewrites PostgreSQL's keys (the test run is against SQLite)")
    inst = Instance.empty(tmp_path / "var")
    try:
        refused = inst.confide("distribute", check=False)
        assert refused.returncode == 1
        assert refused.stderr == "confide: the database is not migrated: run `confide migrate` first\n"
        inst.confide("migrate")
        dry = inst.confide("distribute", "--dry-run").stdout
        assert "PRIMARY KEY (\"practice_id\", \"id\")" in dry and "create_distributed_table" not in dry
        with inst.connect() as conn:  # --dry-run changed nothing
            assert "practice_id" not in _catalog(conn)["pk"]["records_client"]
        assert "distributed:" in inst.confide("distribute").stdout
        assert inst.confide("distribute").stdout == "nothing to do: the keys are distributed\n"

        tenant = tenant_tables()
        with inst.connect() as conn:
            catalog = _catalog(conn)
        for table, model in tenant.items():
            key = _pk_columns(model)
            assert catalog["pk"][table] == ", ".join(
                [DISTRIBUTION, *[c for c in key if c != DISTRIBUTION]]), table
        between = [(t, d) for t, d in catalog["fk"] if t in tenant and _FK.search(d).group(2) in tenant]
        assert len(between) > 40
        for table, definition in between:
            cols, target, tcols = _FK.search(definition).groups()
            assert cols.startswith(DISTRIBUTION + ", ") and tcols.startswith(DISTRIBUTION + ", "), (table, definition)
            assert definition.endswith("DEFERRABLE INITIALLY DEFERRED"), (table, definition)
        # Foreign keys to reference tables stay as Django made them.
        assert ("records_appointment",
                "FOREIGN KEY (clinician_id) REFERENCES practice_user(id) DEFERRABLE INITIALLY DEFERRED") in catalog["fk"]

        later = inst.python(_LATER_MIGRATION)
        assert "('p', 'PRIMARY KEY (practice_id, id)')" in later
        assert ("('f', 'FOREIGN KEY (practice_id, client_id) REFERENCES records_client(practice_id, id) "
                "DEFERRABLE INITIALLY DEFERRED')") in later
        assert "later migration ok" in later
        # `confide migrate` on a distributed database keeps it distributed (nothing new here).
        assert inst.confide("migrate").stdout == "database is up to date\n"

        assert "workflow ok" in inst.python(_WORKFLOW)

        # A read replica, as a read-only copy: `audit verify` checks it (its record of
        # the run cannot be written there and is skipped); reading a chart is refused,
        # since every read of client information writes its audit event with it.
        _pg(f'ALTER DATABASE "{inst.db_name}" SET default_transaction_read_only = on')
        verified = inst.confide("audit", "verify")
        assert verified.stdout.startswith("audit log intact:"), verified.stderr
        refused = inst.python(_CHART_ON_REPLICA)
        assert refused.strip() == "refused: read-only transaction"
        backup = inst.confide("backup", str(tmp_path / "replica.backup"), check=False)  # it audits itself
        assert backup.returncode == 1 and len(backup.stderr.strip().splitlines()) == 1, backup.stderr
    finally:
        inst.drop()


_CHART_ON_REPLICA = """
from django.db import InternalError
from confide.apps.practice.models import User
from confide.apps.records.models import Client
from confide.services import charting
marsh = User.objects.get(username="marsh")
try:
    charting.chart_open(user=marsh, client_id=Client.objects.filter(practice_id=marsh.practice_id).first().id)
    print("read")
except InternalError as exc:
    print("refused: read-only transaction" if "read-only transaction" in str(exc) else f"refused: {exc}")
"""


def _catalog(conn) -> dict:
    cur = conn.cursor()
    cur.execute("SELECT r.relname, c.contype, pg_get_constraintdef(c.oid) FROM pg_constraint c "
                "JOIN pg_class r ON r.oid = c.conrelid JOIN pg_namespace n ON n.oid = r.relnamespace "
                "WHERE n.nspname = 'public' AND c.contype IN ('p', 'f')")
    out: dict = {"pk": {}, "fk": []}
    for table, kind, definition in cur.fetchall():
        if kind == "p":
            out["pk"][table] = definition[len("PRIMARY KEY ("):-1]
        else:
            out["fk"].append((table, definition))
    return out


def test_every_row_lock_on_a_tenant_table_names_the_practice():
    """Citus locks rows (SELECT ... FOR UPDATE) on one shard only: a function of the
    services that locks a tenant table's rows filters them by practice_id (the
    workflow above checks the SQL itself on the paths it runs)."""
    import ast
    from pathlib import Path

    import confide.services

    by_name = {m.__name__: t for t, m in model_tables().items()}
    tenant = set(tenant_tables())
    offending = []
    for path in Path(confide.services.__file__).parent.rglob("*.py"):
        source = path.read_text()
        for fn in ast.walk(ast.parse(source)):
            if not isinstance(fn, ast.FunctionDef):
                continue
            for node in ast.walk(fn):
                if not (isinstance(node, ast.Attribute) and node.attr == "select_for_update"):
                    continue
                chain = node.value  # Model.objects (or a queryset variable)
                model = chain.value.id if (isinstance(chain, ast.Attribute) and chain.attr == "objects"
                                           and isinstance(chain.value, ast.Name)) else None
                if model is not None and by_name.get(model) not in tenant:
                    continue  # a reference table's rows (the practice, a user)
                if "practice_id" not in ast.get_source_segment(source, fn):
                    offending.append(f"{path.name}:{fn.name}")
    assert offending == []


def _unnamed_tenant_reads(sql: str) -> list[str]:
    """The tenant tables `sql` reads (FROM or JOIN "table" alias) whose alias it never
    filters by the practice (`alias.practice_id = %s`): on Citus such a read is not
    confined to one shard."""
    tenant = set(tenant_tables())
    out = []
    for table, alias in re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?\s+(\w+)', sql):
        if table in tenant and not re.search(rf'\b{alias}\."?{DISTRIBUTION}"?\s*=\s*%s', sql):
            out.append(f"{table} {alias}")
    return out


@pytest.mark.parametrize("whole_client", [False, True])
@pytest.mark.parametrize("author_notes", [False, True])
def test_the_door_names_the_practice_of_every_table_it_reads(whole_client, author_notes):
    """The door (every governed read's first statement) is a router query on Citus:
    each tenant table in it is filtered by the reader's practice."""
    from django.db import connection

    from confide.services.access import _door_statement

    sql, names, _client, _practice = _door_statement(connection.vendor, whole_client, author_notes)
    assert sql.count("%s") == len(names) and "practice" in names
    assert _unnamed_tenant_reads(sql) == [], sql


def test_the_charts_first_screen_names_the_practice_of_every_table_it_reads():
    from django.db import connection

    from confide.services.chart_query import _sql
    from confide.services.projection import RECORD_KINDS

    kinds = tuple((kind, connection.ops.quote_name(spec[0]._meta.db_table), spec[1])
                  for kind, spec in RECORD_KINDS.items())
    sql = _sql(connection.vendor, True, kinds, True, True, True)
    assert _unnamed_tenant_reads(sql) == [], sql
    assert len(re.findall(r'(?:FROM|JOIN)\s+"?\w+"?\s+\w+', sql)) >= 10  # the pattern reads the statement


@pytest.mark.parametrize("marker", [False, True])
def test_the_notes_pages_name_the_practice_of_every_table_they_read(marker):
    """The notes tab's page and its addenda (`chart_query.notes_rows`) are router queries
    on Citus, as the chart's first screen is."""
    from django.db import connection

    from confide.services.chart_query import _notes_sql

    for sql in _notes_sql(connection.vendor, marker):
        assert _unnamed_tenant_reads(sql) == [], sql
        assert re.search(r'(?:FROM|JOIN)\s+"?\w+"?\s+\w+', sql)  # the pattern reads the statement


def test_a_charts_tabs_pages_and_whole_record_name_the_practice_in_every_read(demo, staff, cid):
    """Every statement a chart's reads run (its first screen, each tab, the older pages of
    its appointments and notes, the whole record a packet or a copy is made from)
    filters each tenant table it reads by the practice: on Citus each is a router query
    on the practice's shard. Statements bound on the server (the door, the first
    screen, the notes pages) are logged without their text; the tests above read them."""
    from confide.apps.records.models import Client
    from confide.services import charting
    from confide.services.charting.tabs import TABS
    from confide.services.keys import client_data_key
    from confide.core.policy.categories import CATEGORIES
    from confide.services.projection import project_chart

    clinician, client_id = staff["marsh"], cid["c1"]
    with sent() as statements:
        charting.chart_open(user=clinician, client_id=client_id)
        for key, _label, _sections in TABS:  # the treating clinician opens every tab
            charting.chart_tab(user=clinician, client_id=client_id, tab=key)
        page = charting.appointments_page(user=clinician, client_id=client_id, limit=1)
        assert page["next"], "the chart has more than one appointment"
        charting.appointments_page(user=clinician, client_id=client_id, limit=1, before=page["next"])
        charting.chart_tab(user=clinician, client_id=client_id, tab="appointments", before=page["next"])
        notes = charting.notes_page(user=clinician, client_id=client_id, limit=1)
        assert notes["next"], "the chart has more than one note"
        charting.notes_page(user=clinician, client_id=client_id, limit=1, before=notes["next"])
        client = Client.objects.get(pk=client_id, practice_id=clinician.practice_id)
        project_chart(clinician, client, client_data_key(client_id), frozenset(CATEGORIES))
    assert_every_statement_names_the_practice(statements, at_least=10)


def test_every_data_key_lookup_names_the_practice():
    """A client's data key, when the process's cache misses, is read from
    `records_clientkey`, keyed (practice_id, client_id) on a distributed database: every
    lookup in the application names the practice (`data_key_of`, or `client_data_key`
    with the practice), so on Citus it reads one shard. The outbox alone looks a key up
    by client: its sealed files name their client, outside any practice's request."""
    import ast
    from pathlib import Path

    import confide

    exempt = {"outbox.py"}
    offending, seen = [], 0
    for path in Path(confide.__file__).parent.rglob("*.py"):
        if path.name in exempt:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("client_data_key",
                                                                                 "client_data_keys"):
                seen += 1
                if len(node.args) + len(node.keywords) < 2:
                    offending.append(f"{path.name}:{node.lineno}")
    assert seen >= 5 and offending == []
