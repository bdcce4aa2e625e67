# Registering an incoming document in one statement on PostgreSQL (decision 0032). Schema objects
# of PostgreSQL only; nothing on SQLite, where registration stays on the ORM path.
#
# - documents_types_version: one row whose version changes (from a sequence, so a rolled-back
#   change never gives an old number back) with every change of documents_documenttype, by a
#   statement trigger (TRUNCATE included). The registering processes cache the types and pass the
#   version they hold; a different one sends them back to read the types again.
# - documents_incoming_take(...): the part of a registration that must see the register as it is
#   once the series row is locked: the closed-period refusal, the arrival number (the series row
#   locked until the statement's transaction commits), the duplicate check made after the lock
#   with a snapshot of its own (a PL/pgSQL statement takes a fresh one), the number given back
#   when the duplicates found are not those the clerk confirmed.
# - documents_require(ok, message): fails the statement (and so its transaction) unless ``ok``.
#
# The rest of the statement (the entry, its timeline, the audit event) is written by
# congan.documents.registration from the models, so columns added later need no new function.

from django.db import migrations

FORWARD = [
    "CREATE SEQUENCE IF NOT EXISTS documents_types_version_seq",
    """
    CREATE TABLE IF NOT EXISTS documents_types_version (
        id integer PRIMARY KEY CHECK (id = 1),
        version bigint NOT NULL
    )
    """,
    """
    INSERT INTO documents_types_version (id, version)
    VALUES (1, nextval('documents_types_version_seq')) ON CONFLICT (id) DO NOTHING
    """,
    """
    CREATE OR REPLACE FUNCTION documents_types_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE documents_types_version SET version = nextval('documents_types_version_seq') WHERE id = 1;
        RETURN NULL;
    END
    $$
    """,
    "DROP TRIGGER IF EXISTS documents_types_changed ON documents_documenttype",
    """
    CREATE TRIGGER documents_types_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON documents_documenttype
    FOR EACH STATEMENT EXECUTE FUNCTION documents_types_changed()
    """,
    """
    CREATE OR REPLACE FUNCTION documents_incoming_take(
        p_unit bigint,
        p_year integer,
        p_secret boolean,
        p_received_on date,
        p_number bigint,
        p_notation text,
        p_issuer_folded text,
        p_agency_id text,
        p_duplicate_year integer,
        p_expected bigint[],
        p_types_version bigint,
        OUT outcome text,
        OUT arrival_number bigint,
        OUT duplicates bigint[],
        OUT closed_from date,
        OUT closed_to date
    ) LANGUAGE plpgsql VOLATILE AS $$
    DECLARE
        types_current boolean;
        has_head boolean;
    BEGIN
        duplicates := '{}';
        -- One query for the three refusals that take no lock.
        SELECT v.version IS NOT DISTINCT FROM p_types_version,
               EXISTS (SELECT 1 FROM core_auditchainhead h WHERE h.id = 1),
               c.period_from, c.period_to
        INTO types_current, has_head, closed_from, closed_to
        FROM (SELECT 1) AS one
        LEFT JOIN documents_types_version v ON v.id = 1
        LEFT JOIN LATERAL (
            SELECT r.period_from, r.period_to FROM documents_registerclosure r
            WHERE r.unit_id = p_unit AND r.book = CASE WHEN p_secret THEN 'secret' ELSE 'ordinary' END
              AND r.period_from <= p_received_on AND r.period_to >= p_received_on
            ORDER BY r.period_from LIMIT 1
        ) c ON true;
        IF NOT types_current THEN
            outcome := 'types_changed';
            closed_from := NULL;
            closed_to := NULL;
            RETURN;
        END IF;
        IF NOT has_head THEN
            outcome := 'no_audit_head';
            closed_from := NULL;
            closed_to := NULL;
            RETURN;
        END IF;
        IF closed_from IS NOT NULL THEN
            outcome := 'closed';
            RETURN;
        END IF;
        -- The number: the series row stays locked until the transaction commits, so a second
        -- registration in the same register waits here, and then sees this one's entry below.
        UPDATE documents_numberseries s SET last = s.last + 1
        WHERE s.unit_id = p_unit AND s.year = p_year AND s.book = 'incoming' AND s.series = ''
          AND s.secret = p_secret
        RETURNING s.last INTO arrival_number;
        IF NOT FOUND THEN
            outcome := 'no_series';
            RETURN;
        END IF;
        IF p_number IS NOT NULL AND p_notation <> '' THEN
            SELECT coalesce(array_agg(x.id ORDER BY x.received_on, x.id), '{}') INTO duplicates
            FROM (
                SELECT d.id, d.received_on FROM documents_incomingdocument d
                WHERE d.unit_id = p_unit AND d.number = p_number AND upper(d.notation) = upper(p_notation)
                  AND (
                      (d.issued_on BETWEEN make_date(p_duplicate_year, 1, 1) AND make_date(p_duplicate_year, 12, 31))
                      OR (d.issued_on IS NULL
                          AND d.received_on BETWEEN make_date(p_duplicate_year, 1, 1)
                                                AND make_date(p_duplicate_year, 12, 31))
                  )
                  AND (d.issuer_folded = p_issuer_folded OR (p_agency_id <> '' AND d.issuer_agency_id = p_agency_id))
                ORDER BY d.received_on, d.id
                LIMIT 5
            ) x;
        END IF;
        IF duplicates IS DISTINCT FROM coalesce(p_expected, '{}') THEN
            -- Not what the clerk confirmed (or an alarm): the number goes back, under the same lock.
            UPDATE documents_numberseries s SET last = s.last - 1
            WHERE s.unit_id = p_unit AND s.year = p_year AND s.book = 'incoming' AND s.series = ''
              AND s.secret = p_secret;
            arrival_number := NULL;
            outcome := 'duplicates';
            RETURN;
        END IF;
        outcome := 'registered';
    END
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION documents_require(ok boolean, message text) RETURNS boolean
    LANGUAGE plpgsql VOLATILE AS $$
    BEGIN
        IF ok IS NOT TRUE THEN
            RAISE EXCEPTION '%', message USING ERRCODE = 'data_exception';
        END IF;
        RETURN true;
    END
    $$
    """,
]

BACKWARD = [
    "DROP FUNCTION IF EXISTS documents_require(boolean, text)",
    "DROP FUNCTION IF EXISTS documents_incoming_take(bigint, integer, boolean, date, bigint, text, text, text, integer,"
    " bigint[], bigint)",
    "DROP TRIGGER IF EXISTS documents_types_changed ON documents_documenttype",
    "DROP FUNCTION IF EXISTS documents_types_changed()",
    "DROP TABLE IF EXISTS documents_types_version",
    "DROP SEQUENCE IF EXISTS documents_types_version_seq",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in FORWARD:
        schema_editor.execute(statement, params=None)  # no placeholders: RAISE's '%' is literal


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in BACKWARD:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0008_register_year_search"),
        ("core", "0007_audit_journal_marks"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
