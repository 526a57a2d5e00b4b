"""Every tenant key includes the practice (ready for distribution on practice_id):
a client's data key carries its client's practice (backfilled from the client), and
the unique keys that left the practice out include it: a portal login's one client,
a claim's one disclosure, a reminder's (appointment, time, channel)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def practice_of_client_keys(apps, schema_editor):
    ClientKey = apps.get_model("records", "ClientKey")
    Client = apps.get_model("records", "Client")
    ClientKey.objects.update(practice_id=models.Subquery(
        Client.objects.filter(id=models.OuterRef("client_id")).values("practice_id")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ("practice", "0009_merge_billing_and_supervision"),
        ("records", "0017_amendment_decider_and_pending_disagreement"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="clientkey",
            name="practice",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                    to="practice.practice"),
        ),
        migrations.RunPython(practice_of_client_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="clientkey",
            name="practice",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                    to="practice.practice"),
        ),
        migrations.RemoveConstraint(model_name="reminderdispatch", name="uniq_reminder_dispatch"),
        migrations.AlterField(
            model_name="claim",
            name="disclosure",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="claim",
                                    to="records.disclosure"),
        ),
        migrations.AlterField(
            model_name="clientaccount",
            name="user",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="client_account",
                                    to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddConstraint(
            model_name="claim",
            constraint=models.UniqueConstraint(fields=("practice", "disclosure"), name="uniq_claim_disclosure"),
        ),
        migrations.AddConstraint(
            model_name="clientaccount",
            constraint=models.UniqueConstraint(fields=("practice", "user"), name="uniq_client_account_login"),
        ),
        migrations.AddConstraint(
            model_name="reminderdispatch",
            constraint=models.UniqueConstraint(fields=("practice", "appointment", "starts_at", "channel"),
                                               name="uniq_reminder_dispatch_in_practice"),
        ),
    ]
