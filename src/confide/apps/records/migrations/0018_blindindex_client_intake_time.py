"""BlindIndex rows carry their client's intake time (Client.created_at), indexed as
(practice, kind, digest, created_at desc, client), so a search takes the newest
clients a digest names from the index alone instead of joining every match with the
clients and sorting. The old (practice, kind, digest) index is a prefix of the new one
and goes first, so the backfill does not maintain it."""

from django.db import migrations, models


def backfill(apps, schema_editor):
    conn = schema_editor.connection
    index = conn.ops.quote_name(apps.get_model("records", "BlindIndex")._meta.db_table)
    clients = conn.ops.quote_name(apps.get_model("records", "Client")._meta.db_table)
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(f"UPDATE {index} AS b SET created_at = c.created_at FROM {clients} AS c "
                           f"WHERE c.id = b.client_id")
        else:
            cursor.execute(f"UPDATE {index} SET created_at = (SELECT c.created_at FROM {clients} AS c "
                           f"WHERE c.id = {index}.client_id)")


class Migration(migrations.Migration):

    dependencies = [
        ("records", "0017_amendment_decider_and_pending_disagreement"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="blindindex", name="records_bli_practic_d7cd20_idx"),
        migrations.AddField(model_name="blindindex", name="created_at", field=models.DateTimeField(null=True)),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(model_name="blindindex", name="created_at", field=models.DateTimeField()),
        migrations.AddIndex(
            model_name="blindindex",
            index=models.Index(fields=["practice", "kind", "digest", "-created_at", "-client"],
                               name="blindindex_newest"),
        ),
    ]
