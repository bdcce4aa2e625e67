"""Reporter name and phone encrypted at rest: widen the columns to text, then encrypt the rows
already there (plain values written before this migration)."""

from django.db import migrations

import congan.core.crypto

COLUMNS = ("reporter_name", "reporter_phone")


def encrypt_existing(apps, schema_editor):
    cipher = congan.core.crypto.field_cipher()
    connection = schema_editor.connection
    table = connection.ops.quote_name("incidents_report")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, reporter_name, reporter_phone FROM {table} "  # noqa: S608 - fixed names
                       "WHERE reporter_name <> '' OR reporter_phone <> ''")  # fmt: skip
        rows = cursor.fetchall()
        for pk, *values in rows:
            sealed = [cipher.encrypt(value.encode()).decode() if value else "" for value in values]
            cursor.execute(f"UPDATE {table} SET reporter_name = %s, reporter_phone = %s WHERE id = %s",  # noqa: S608
                           [*sealed, pk])  # fmt: skip


def decrypt_existing(apps, schema_editor):
    cipher = congan.core.crypto.field_cipher()
    connection = schema_editor.connection
    table = connection.ops.quote_name("incidents_report")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, reporter_name, reporter_phone FROM {table} "  # noqa: S608 - fixed names
                       "WHERE reporter_name <> '' OR reporter_phone <> ''")  # fmt: skip
        for pk, *values in cursor.fetchall():
            plain = [cipher.decrypt(value.encode()).decode() if value else "" for value in values]
            cursor.execute(f"UPDATE {table} SET reporter_name = %s, reporter_phone = %s WHERE id = %s",  # noqa: S608
                           [plain[0][:150], plain[1][:20], pk])  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("incidents", "0005_kind_public_listing")]

    operations = [
        migrations.AlterField(
            model_name="report",
            name="reporter_name",
            field=congan.core.crypto.EncryptedTextField(blank=True, verbose_name="người báo tin"),
        ),
        migrations.AlterField(
            model_name="report",
            name="reporter_phone",
            field=congan.core.crypto.EncryptedTextField(blank=True, verbose_name="điện thoại người báo tin"),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
