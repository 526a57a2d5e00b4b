"""Distribution on the practice (Citus): `confide distribute`.

The models keep `id` (a UUID, or a bigint from the database's sequence) as the ORM's
primary key; the *database's* keys are made Citus-shaped by this step, read from the
catalog (pg_constraint) and rewritten in one transaction:

- every tenant table's primary key becomes (practice_id, <its key>);
- every foreign key between two tenant tables becomes (practice_id, x_id) ->
  (practice_id, id), deferrable as Django made it (the write paths rely on it);
- foreign keys to reference tables stay as they are;
- with the `citus` extension installed: create_reference_table for each reference
  table, then create_distributed_table on practice_id, colocated, for each tenant
  table (referenced tables first), and the audit chains on `chain`.

It is idempotent (a table already rewritten or distributed is left alone). Once a
database is distributed (records_client's key includes practice_id), `confide migrate`
runs it again after migrating, and the PostgreSQL engine (confide.config.postgresql)
creates every later foreign key between tenant tables composite and rewrites a new
tenant table's key as the migration creates it, so a later migration works unchanged.

What is where, and why:
- Tenant tables: every table of the practice, records and auditlog apps not named
  below, distributed on practice_id (a test fails on one without it).
- Reference tables (on every node): what is read before any practice is known (the
  practice itself, sign-in, sessions, tokens, the installation's keys, Django's own
  tables), and the record of each `audit verify` run (the installation's, over every
  chain; a row per run, no client information, read on any practice's privacy
  officer's home: rare writes, read anywhere). A reference table may not point to a
  distributed one, which is why the practice is a reference table: every user points
  to it.
- The audit chains are distributed on `chain` (the practice's id as text, one chain
  per practice), colocated with each other, not with the tenant tables (another type).
- Local to the coordinator: the task queue (polled and written all the time, rows of
  ids only: a reference table would write every node) and Django's migration record.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, transaction

from confide.core.errors import InvalidInput

DISTRIBUTION = "practice_id"
# Project apps whose tables are tenant tables unless named below.
TENANT_APPS = ("practice", "records", "auditlog")
# Distributed on another column than practice_id: the audit chains.
DISTRIBUTED_ON = {"auditlog_auditevent": "chain", "auditlog_audithead": "chain"}
REFERENCE = frozenset({
    "practice_practice",
    "auth_permission", "auth_group", "auth_group_permissions", "django_content_type", "django_session",
    "practice_user", "practice_apitoken", "practice_signinthrottle", "practice_instancekey",
    "otp_totp_totpdevice", "practice_user_groups", "practice_user_user_permissions",
    "auditlog_auditverification",
})
COORDINATOR_LOCAL = frozenset({"django_tasks_database_dbtaskresult", "django_migrations"})
# The table every tenant table is colocated with.
ANCHOR = "records_client"

_ACTIONS = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}


def model_tables() -> dict:
    """{table: model} for every concrete, managed model (Django's join tables included)."""
    out = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy:
            out[meta.db_table] = model
    return out


def tenant_tables() -> dict:
    """{table: model} of the tables distributed on practice_id."""
    return {t: m for t, m in model_tables().items() if _is_tenant(m)}


def _is_tenant(model) -> bool:
    meta = model._meta
    return meta.app_label in TENANT_APPS and meta.db_table not in REFERENCE | COORDINATOR_LOCAL | set(DISTRIBUTED_ON)


@dataclass
class Constraint:
    name: str
    kind: str  # p | f | u
    table: str
    columns: list[str]
    target: str | None = None
    target_columns: list[str] = field(default_factory=list)
    deferrable: bool = False
    deferred: bool = False
    on_delete: str = "a"
    on_update: str = "a"


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def constraints(cursor, tables: list[str] | None = None) -> list[Constraint]:
    """Primary, unique and foreign keys of the current schema's tables, from pg_constraint."""
    cursor.execute("""
        SELECT c.conname, c.contype, r.relname, f.relname,
               ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
                     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o)::text[],
               ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, o)
                     JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o)::text[],
               c.condeferrable, c.condeferred, c.confdeltype, c.confupdtype
        FROM pg_constraint c
        JOIN pg_class r ON r.oid = c.conrelid
        JOIN pg_namespace n ON n.oid = r.relnamespace
        LEFT JOIN pg_class f ON f.oid = c.confrelid
        WHERE n.nspname = current_schema() AND c.contype IN ('p', 'f', 'u')
          AND (%s::text[] IS NULL OR r.relname = ANY(%s::text[]))
        ORDER BY r.relname, c.conname
    """, [tables, tables])
    return [Constraint(name, kind, table, list(cols), target, list(tcols or []), bool(d1), bool(d2),
                       dele.decode() if isinstance(dele, bytes) else dele,
                       upd.decode() if isinstance(upd, bytes) else upd)
            for name, kind, table, target, cols, tcols, d1, d2, dele, upd in cursor.fetchall()]


def primary_key(cursor, table: str) -> list[str]:
    """The columns of `table`'s primary key in the database ([] if none or no table)."""
    for c in constraints(cursor, [table]):
        if c.kind == "p":
            return c.columns
    return []


def is_distributed() -> bool:
    """Whether this database's keys were rewritten (records_client's key includes the practice)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        return DISTRIBUTION in primary_key(cursor, ANCHOR)


def _citus_present(cursor) -> bool:
    cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'citus'")
    return cursor.fetchone() is not None


def _citus_tables(cursor) -> set[str]:
    cursor.execute("SELECT logicalrelid::regclass::text FROM pg_dist_partition")
    return {r[0].strip('"') for r in cursor.fetchall()}


def composite_fk_sql(table: str, c: Constraint) -> str:
    """ADD CONSTRAINT for foreign key `c` of a tenant table, made (practice_id, x) ->
    (practice_id, y); its deferral and actions kept (SET NULL sets the column only)."""
    cols = ", ".join(_q(x) for x in [DISTRIBUTION, *c.columns])
    tcols = ", ".join(_q(x) for x in [DISTRIBUTION, *c.target_columns])
    actions = ""
    for word, code in (("DELETE", c.on_delete), ("UPDATE", c.on_update)):
        if code in ("n", "d"):  # never the practice: only the referencing column
            actions += f" ON {word} {_ACTIONS[code]} ({', '.join(_q(x) for x in c.columns)})"
        elif code != "a":
            actions += f" ON {word} {_ACTIONS[code]}"
    defer = (" DEFERRABLE INITIALLY DEFERRED" if c.deferred else " DEFERRABLE INITIALLY IMMEDIATE"
             if c.deferrable else "")
    return (f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(c.name)} FOREIGN KEY ({cols}) "
            f"REFERENCES {_q(c.target)} ({tcols}){actions}{defer}")


def primary_key_sql(table: str, c: Constraint) -> list[str]:
    cols = ", ".join(_q(x) for x in [DISTRIBUTION, *c.columns])
    return [f"ALTER TABLE {_q(table)} DROP CONSTRAINT {_q(c.name)}",
            f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(c.name)} PRIMARY KEY ({cols})"]


def _order(tables: list[str], fks: list[Constraint]) -> list[str]:
    """`tables` with each table after the tables it points to (cycles broken by name)."""
    deps = {t: {c.target for c in fks if c.table == t and c.target in tables and c.target != t} for t in tables}
    out: list[str] = []
    while deps:
        ready = sorted(t for t, d in deps.items() if not d) or [sorted(deps)[0]]
        for t in ready:
            out.append(t)
            deps.pop(t)
        for d in deps.values():
            d.difference_update(ready)
    return out


@dataclass
class Plan:
    statements: list[str]
    citus: bool


def _require_postgresql_migrated() -> None:
    if connection.vendor != "postgresql":
        raise InvalidInput(f"distribution needs PostgreSQL (this database is {connection.vendor})")
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise InvalidInput("the database is not migrated: run `confide migrate` first")


def distribution_plan() -> Plan:
    """The SQL that makes this database's keys Citus-shaped (empty when they are)."""
    _require_postgresql_migrated()
    tenant = sorted(tenant_tables())
    with connection.cursor() as cursor:
        found = constraints(cursor)
        citus = _citus_present(cursor)
        done = _citus_tables(cursor) if citus else set()
    tenant_set = set(tenant)
    reference = sorted(REFERENCE)
    # What cannot be distributed at all: said in one line, nothing changed.
    for c in found:
        if c.kind == "f" and c.table not in tenant_set and c.target in tenant_set:
            raise InvalidInput(f"{c.table} (not a tenant table) points to the tenant table {c.target}: "
                               "it cannot be distributed")
        if c.kind == "u" and c.table in tenant_set and DISTRIBUTION not in c.columns:
            raise InvalidInput(f"unique key {c.name} of {c.table} leaves out {DISTRIBUTION}")
        if c.kind == "f" and c.table in tenant_set and c.target in tenant_set and DISTRIBUTION not in c.columns:
            target_pk = next((p.columns for p in found if p.kind == "p" and p.table == c.target), [])
            if c.target_columns != [x for x in target_pk if x != DISTRIBUTION]:
                raise InvalidInput(f"foreign key {c.name} of {c.table} points to {c.target} by another column "
                                   "than its key")
    present = {c.table for c in found}
    missing = [t for t in tenant if t not in present]
    if missing:
        raise InvalidInput(f"table {missing[0]} is missing: run `confide migrate` first")
    lacking = [t for t in tenant if DISTRIBUTION not in {f.column for f in tenant_tables()[t]._meta.concrete_fields}]
    if lacking:
        raise InvalidInput(f"tenant table {lacking[0]} has no {DISTRIBUTION} column")

    to_rewrite = [c for c in found if c.kind == "f" and c.table in tenant_set and c.target in tenant_set
                  and DISTRIBUTION not in c.columns]
    pks = [c for c in found if c.kind == "p" and c.table in tenant_set and DISTRIBUTION not in c.columns]
    sql: list[str] = []
    sql += [f"ALTER TABLE {_q(c.table)} DROP CONSTRAINT {_q(c.name)}" for c in to_rewrite]
    for c in pks:
        sql += primary_key_sql(c.table, c)
    sql += [composite_fk_sql(c.table, c) for c in to_rewrite]
    if citus:
        fks = [c for c in found if c.kind == "f"]
        for t in _order(reference, fks):
            if t not in done and t in present:
                sql.append(f"SELECT create_reference_table('{_q(t)}')")
        # The anchor first (it points to no tenant table), then each table after those it points to.
        for t in [ANCHOR, *[t for t in _order(tenant, fks) if t != ANCHOR]]:
            if t not in done:
                colocate = "default" if t == ANCHOR else ANCHOR
                sql.append(f"SELECT create_distributed_table('{_q(t)}', '{DISTRIBUTION}', "
                           f"colocate_with => '{colocate}')")
        for t, column in DISTRIBUTED_ON.items():
            if t not in done:
                colocate = "default" if t == "auditlog_auditevent" else "auditlog_auditevent"
                sql.append(f"SELECT create_distributed_table('{_q(t)}', '{column}', colocate_with => '{colocate}')")
    return Plan(statements=sql, citus=citus)


def table_created(schema_editor, model) -> None:
    """A migration created `model`'s table: on a distributed database a tenant table's
    key includes the practice at once (and, on Citus, the table is distributed before
    the migration adds its foreign keys, which are then composite: see
    confide.config.postgresql)."""
    table = model._meta.db_table
    if not _is_tenant(model) or not any(f.column == DISTRIBUTION for f in model._meta.local_concrete_fields):
        return
    with schema_editor.connection.cursor() as cursor:
        if DISTRIBUTION not in primary_key(cursor, ANCHOR):
            return
        key = next(c for c in constraints(cursor, [table]) if c.kind == "p")
        citus = _citus_present(cursor)
    if DISTRIBUTION not in key.columns:
        for statement in primary_key_sql(table, key):
            schema_editor.execute(statement)
    if citus:
        schema_editor.execute(f"SELECT create_distributed_table('{_q(table)}', '{DISTRIBUTION}', "
                              f"colocate_with => '{ANCHOR}')")


def distribute(*, dry_run: bool = False) -> Plan:
    """Apply the plan in one transaction (nothing when dry_run or when there is nothing to do)."""
    plan = distribution_plan()
    if dry_run or not plan.statements:
        return plan
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in plan.statements:
            cursor.execute(statement)
    return plan
