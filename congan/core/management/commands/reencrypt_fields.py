"""`congan reencrypt_fields`: after putting a new key first in FIELD_ENCRYPTION_KEYS, re-encrypt
every encrypted field with it; the old key can then be removed."""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from congan.core.audit import audit_record
from congan.core.crypto import EncryptedTextField, field_cipher

BATCH = 1000


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field with the first key of FIELD_ENCRYPTION_KEYS."

    def handle(self, *args, **options):
        cipher, total = field_cipher(), 0
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, EncryptedTextField):
                    total += self._rotate(model, field, cipher)
        audit_record(actor="system", action="core.fields.reencrypt", details={"values": total})
        self.stdout.write(self.style.SUCCESS(f"{total} values re-encrypted with the current key"))

    def _rotate(self, model, field, cipher) -> int:
        quote = connection.ops.quote_name
        table, column, pk = quote(model._meta.db_table), quote(field.column), quote(model._meta.pk.column)
        done = 0
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SELECT {pk}, {column} FROM {table} WHERE {column} <> ''")  # noqa: S608 - model names
            rows = cursor.fetchall()
            for start in range(0, len(rows), BATCH):
                batch = [(cipher.rotate(value.encode()).decode(), key) for key, value in rows[start : start + BATCH]]
                cursor.executemany(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s", batch)  # noqa: S608
                done += len(batch)
        self.stdout.write(f"{model._meta.label}.{field.name}: {done}")
        return done
