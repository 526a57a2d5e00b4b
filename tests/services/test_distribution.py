"""Ready for a distributed engine (Citus, distributed on the practice): what holds of
the schema, read from the models, stated exactly.

Citus distributes a table on one column; every primary key and unique constraint of a
distributed table must include that column, and a table of no tenant is a reference
table (copied to every node). This test classifies every table of the project and
checks each rule. Where the schema does not yet meet a rule the table is named below,
in a set that must equal what the models show: a new table that breaks a rule fails
the test, and so does fixing one without saying so here.

Why the primary keys are not composite yet: Django 5.2 has CompositePrimaryKey, but a
ForeignKey to a model with a composite primary key is not supported, and every client
table is the target of foreign keys (notes of addenda, disclosures of obligations, the
client of all of them). Unique constraints can include the practice and do.
"""

from __future__ import annotations

from django.apps import apps

# The distribution column of each distributed table (the practice's id).
DISTRIBUTION = "practice_id"
# Distributed on another column that holds the practice id: the practice itself, and
# the audit chains (one per practice; the events of no practice are one more chain).
DISTRIBUTED_ON = {"practice_practice": "id", "auditlog_auditevent": "chain", "auditlog_audithead": "chain"}
# Reference tables: read before any practice is known (sign-in, sessions, tokens, the
# installation's keys, Django's own), so on every node.
REFERENCE = frozenset({
    "auth_permission", "auth_group", "django_content_type", "django_session", "django_migrations",
    "practice_user", "practice_apitoken", "practice_signinthrottle", "practice_instancekey",
    "otp_totp_totpdevice", "practice_user_groups", "practice_user_user_permissions",
})

# Local to the coordinator: the task queue (django-tasks-db). Its rows carry ids, no
# client information, and are written and polled all the time, which a reference table
# (a write to every node) would make costly.
COORDINATOR_LOCAL = frozenset({"django_tasks_database_dbtaskresult"})

# What does not hold yet, exactly.
# A tenant table without a practice_id column (its rows are found through the client).
# The audit verification record: one row per run of `audit verify`, over every chain
# (the installation's, not a practice's); it belongs with the audit chains' coordinator.
LACKS_PRACTICE = frozenset({"records_clientkey", "auditlog_auditverification"})
# Tenant tables whose primary key is `id` alone (would need (practice_id, id)).
PK_WITHOUT_PRACTICE = frozenset({
    "practice_supervisionlink", "practice_payeragreement", "practice_invitation", "practice_room",
    "practice_appointmenttype",
    "records_client", "records_clientkey", "records_blindindex", "records_careteammember", "records_clientaccount",
    "records_contact", "records_appointment", "records_progressnote", "records_noteaddendum",
    "records_psychotherapynote", "records_diagnosis", "records_medication", "records_treatmentplan",
    "records_assessment", "records_riskassessment", "records_breakglassgrant", "records_charge", "records_topictag",
    "records_release", "records_groundrules", "records_safetyevent", "records_legalrequest",
    "records_recordrequest", "records_disclosure", "records_obligation", "records_message",
    "records_consultationdraft", "records_reminderdispatch", "records_noticeacknowledgement",
    "records_portalmessage", "records_formresponse", "records_appointmentrequest", "records_claim",
    "records_prepareddocument", "records_accountingrequest", "records_accountingsuspension",
    "records_amendmentrequest",
    "auditlog_auditverification",
})
# Tenant tables with a unique column or constraint that leaves the practice out.
UNIQUE_WITHOUT_PRACTICE = frozenset({
    "records_clientaccount",  # one portal login links one client (user_id)
    "records_reminderdispatch",  # one reminder per (appointment, starts_at, channel)
    "records_claim",  # one claim per disclosure (a one-to-one link on the disclosure's id)
})


def _columns(fields) -> set[str]:
    return {f.column for f in fields}


def _tables():
    """(table, model) for every concrete, managed model of the project and Django's."""
    out = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy:
            out[meta.db_table] = model
    return out


def _pk_columns(model) -> set[str]:
    pk = model._meta.pk
    return _columns(getattr(pk, "fields", None) or [pk])


def _unique_sets(model) -> list[tuple[str, set[str]]]:
    meta = model._meta
    sets = [(f.name, {f.column}) for f in meta.concrete_fields if f.unique and not f.primary_key]
    for c in meta.constraints:
        if type(c).__name__ == "UniqueConstraint" and c.fields:
            sets.append((c.name, {meta.get_field(n).column for n in c.fields}))
    for together in meta.unique_together:
        sets.append((",".join(together), {meta.get_field(n).column for n in together}))
    return sets


def _tenant(tables) -> dict:
    return {t: m for t, m in tables.items() if t not in REFERENCE | COORDINATOR_LOCAL and t not in DISTRIBUTED_ON
            and m._meta.app_label in ("practice", "records", "auditlog")}


def test_every_table_is_distributed_or_a_reference_table():
    tables = _tables()
    unclassified = {t for t, m in tables.items() if m._meta.app_label not in ("practice", "records", "auditlog")
                    and t not in REFERENCE | COORDINATOR_LOCAL}
    # Many-to-many join tables of Django's auth (group permissions) go with their
    # reference tables.
    assert {t for t in unclassified if not t.startswith("auth_")} == set()
    assert set(DISTRIBUTED_ON) <= set(tables)
    assert REFERENCE - {"django_migrations"} <= set(tables) and COORDINATOR_LOCAL <= set(tables)


def test_tenant_tables_carry_the_practice():
    tenant = _tenant(_tables())
    lacking = {t for t, m in tenant.items() if DISTRIBUTION not in _columns(m._meta.concrete_fields)}
    assert lacking == LACKS_PRACTICE


def test_primary_keys_include_the_distribution_column():
    tables = _tables()
    for table, column in DISTRIBUTED_ON.items():
        assert column in _pk_columns(tables[table]), table  # audit: (chain, seq); head: chain; practice: id
    tenant = _tenant(tables)
    without = {t for t, m in tenant.items() if DISTRIBUTION not in _pk_columns(m)}
    assert without == PK_WITHOUT_PRACTICE
    # The tenant tables whose primary key already is (or includes) the practice.
    assert {t for t in tenant if t not in without} == {"practice_practicekey"}


def test_unique_constraints_include_the_distribution_column():
    tables = _tables()
    tenant = _tenant(tables)
    offending = {t for t, m in tenant.items()
                 if any(DISTRIBUTION not in cols for _name, cols in _unique_sets(m))}
    assert offending == UNIQUE_WITHOUT_PRACTICE
    for table, column in DISTRIBUTED_ON.items():
        assert all(column in cols for _n, cols in _unique_sets(tables[table])), table


def test_reference_tables_hold_no_client_information():
    """A reference table is on every node: none of them may be a client's record."""
    from confide.apps.records.models import CLIENT_MODELS

    client_tables = {m._meta.db_table for m in CLIENT_MODELS}
    assert not client_tables & REFERENCE
    assert client_tables <= set(_tenant(_tables())) | LACKS_PRACTICE
