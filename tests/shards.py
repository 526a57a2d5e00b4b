"""Does a statement name the practice? On a database distributed on the practice
(Citus), a statement that filters every tenant table it reads or changes by
`practice_id` is a router statement on one shard; one that names a row by its id or
client alone goes to every shard.

`unconfined(sql)` reads one statement as the ORM wrote it and the database ran it;
`sent()` captures the SELECTs, UPDATEs and DELETEs a block of code sends, for a test
to read. (An INSERT carries its row's practice: Citus routes it by that value.)"""

from __future__ import annotations

import re
from contextlib import contextmanager

from confide.services.distribution import DISTRIBUTION, tenant_tables

_KEYWORDS = {"ON", "WHERE", "INNER", "LEFT", "ORDER", "LIMIT", "GROUP", "UNION", "AND", "OR", "FOR", "OFFSET", "SET"}


def unconfined(sql: str) -> list[str]:
    """The tenant tables `sql` reads, updates or deletes from (parameters in place,
    tables quoted, aliases optional) whose name or alias no `... "practice_id" = <a
    value>` or `IN` filters. A join's `"t"."practice_id" = "practice_practice"."id"`
    names no practice: it is what `select_related("practice")` writes for any row."""
    tenant = set(tenant_tables())
    out = []
    for table, alias in re.findall(r'(?:FROM|JOIN|UPDATE)\s+"(\w+)"(?:\s+(?:AS\s+)?"?(\w+)"?)?', sql):
        if table not in tenant:
            continue
        name = alias if alias and alias.upper() not in _KEYWORDS else table
        if not re.search(rf'"?\b{name}"?\."?{DISTRIBUTION}"?\s*(?:=(?!\s*"|\s*\w+\.)|IN\b)', sql):
            out.append(f"{table} {name}")
    return out


@contextmanager
def sent():
    """The text of every SELECT, UPDATE and DELETE the block sends on this thread's
    connection, as sent (parameters as placeholders, so a statement bound on the server
    is read too): a list, filled as the block runs."""
    from django.db import connection

    out: list[str] = []

    def record(execute, sql, params, many, context):
        if sql and sql.lstrip()[:6].upper() in ("SELECT", "UPDATE", "DELETE"):
            out.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield out


def assert_every_statement_names_the_practice(statements: list[str], at_least: int = 1) -> None:
    """Fails, listing each, on a statement that reads or changes a tenant table without
    naming the practice; and when fewer than `at_least` statements were captured (the
    capture saw nothing: the test would pass on nothing)."""
    assert len(statements) >= at_least, f"only {len(statements)} statement(s) captured"
    found = {s: unconfined(s) for s in statements if unconfined(s)}
    assert found == {}, "\n\n".join(f"{v}: {s}" for s, v in found.items())
