"""Accounts a database copy cannot read: portal logins as a blind index and an
encrypted login (their old username was the login), TOTP secrets sealed, API tokens
that expire, and django-axes' tables (every sign-in's address and browser) dropped."""

from datetime import timedelta

from django.db import migrations, models

AXES_TABLES = ("axes_accessattempt", "axes_accesslog", "axes_accessfailurelog", "axes_accessattemptexpiration")


def seal(apps, schema_editor):
    import secrets

    from confide.core.crypto import derive_subkey, encrypt_field
    from confide.services import accounts, second_factor

    User = apps.get_model("practice", "User")
    for account in User.objects.filter(role__in=("client", "representative"), login_digest__isnull=True):
        login = account.username
        account.username = "portal-" + secrets.token_hex(12)
        account.login_digest = accounts.login_digest(login)
        key = derive_subkey(accounts.instance_key("accounts"), "login-name")
        account.login_enc = encrypt_field(key, login.strip(), aad=accounts._login_aad(account.username))
        account.full_name = account.email = account.first_name = account.last_name = ""
        account.save()
    Device = apps.get_model("otp_totp", "TOTPDevice")
    for device in Device.objects.all():
        if len(device.key) == second_factor.SECRET_BYTES * 2:
            second_factor.totp_seal(device, bytes.fromhex(device.key))
    ApiToken = apps.get_model("practice", "ApiToken")
    for token in ApiToken.objects.filter(expires_at__isnull=True):
        token.expires_at = token.created_at + timedelta(days=30)
        token.save(update_fields=["expires_at"])
    existing = set(schema_editor.connection.introspection.table_names())
    for table in AXES_TABLES:
        if table in existing:
            schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(table)}")


class Migration(migrations.Migration):

    dependencies = [
        ('otp_totp', '0003_add_timestamps'),
        ('practice', '0006_practice_note_formats'),
    ]

    operations = [
        migrations.CreateModel(
            name='InstanceKey',
            fields=[
                ('purpose', models.CharField(max_length=32, primary_key=True, serialize=False)),
                ('master_key_id', models.CharField(max_length=64)),
                ('wrapped', models.BinaryField()),
            ],
        ),
        migrations.CreateModel(
            name='SignInThrottle',
            fields=[
                ('digest', models.CharField(max_length=64, primary_key=True, serialize=False)),
                ('failures', models.PositiveIntegerField(default=0)),
                ('last_failure_at', models.DateTimeField()),
                ('wait_until', models.DateTimeField()),
            ],
        ),
        migrations.CreateModel(
            name='SealedTOTPDevice',
            fields=[
            ],
            options={
                'proxy': True,
                'indexes': [],
                'constraints': [],
            },
            bases=('otp_totp.totpdevice',),
        ),
        migrations.AddField(
            model_name='apitoken',
            name='expires_at',
            field=models.DateTimeField(null=True),
        ),
        migrations.AddField(
            model_name='user',
            name='login_digest',
            field=models.CharField(default=None, max_length=64, null=True, unique=True),
        ),
        migrations.AddField(
            model_name='user',
            name='login_enc',
            field=models.BinaryField(default=None, null=True),
        ),
        migrations.RunPython(seal),  # irreversible: nothing goes back to the clear
    ]
