"""Reporter name and phone encrypted at rest: widen the columns to text, then encrypt the rows
already there (plain values written before this migration)."""

from django.db import migrations

import congan.core.crypto

def _rewrite(schema_editor, change):
    """Pass every row's reporter name and phone through ``change`` (the cipher, one way or the other)."""
    connection = schema_editor.connection
    table = connection.ops.quote_name("incidents_report")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, reporter_name, reporter_phone FROM {table} "  # noqa: S608 - fixed names
                       "WHERE reporter_name <> '' OR reporter_phone <> ''")
        for pk, name, phone in cursor.fetchall():
            cursor.execute(f"UPDATE {table} SET reporter_name = %s, reporter_phone = %s WHERE id = %s",  # noqa: S608
                           [*change(name, phone), pk])


def encrypt_existing(apps, schema_editor):
    cipher = congan.core.crypto.field_cipher()
    seal = lambda value: cipher.encrypt(value.encode()).decode() if value else ""  # noqa: E731
    _rewrite(schema_editor, lambda name, phone: (seal(name), seal(phone)))


def decrypt_existing(apps, schema_editor):
    cipher = congan.core.crypto.field_cipher()
    open_ = lambda value: cipher.decrypt(value.encode()).decode() if value else ""  # noqa: E731
    _rewrite(schema_editor, lambda name, phone: (open_(name)[:150], open_(phone)[:20]))


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
