"""Full-text search of passages on both databases, kept in step with the passages by the database itself.

SQLite: an FTS5 table over factline_passage (external content, Porter stemming), filled and kept
current by triggers. Note: Django rebuilds a SQLite table when a later migration alters it, which
drops its triggers; a migration that alters factline_passage must create them again (see
FTS_TRIGGERS), and tests/test_search.py checks they are there.

PostgreSQL: a stored generated tsvector column with a GIN index over the citable passages; it
replaces 0003's expression index.
"""

from django.db import migrations

FTS_CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS factline_passage_fts USING fts5("
    "text, content='factline_passage', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
]
FTS_TRIGGERS = [
    "CREATE TRIGGER IF NOT EXISTS factline_passage_fts_insert AFTER INSERT ON factline_passage BEGIN "
    "INSERT INTO factline_passage_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS factline_passage_fts_delete AFTER DELETE ON factline_passage BEGIN "
    "INSERT INTO factline_passage_fts(factline_passage_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER IF NOT EXISTS factline_passage_fts_update AFTER UPDATE OF text ON factline_passage BEGIN "
    "INSERT INTO factline_passage_fts(factline_passage_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO factline_passage_fts(rowid, text) VALUES (new.id, new.text); END",
    "INSERT INTO factline_passage_fts(factline_passage_fts) VALUES ('rebuild')",
]
FTS_DROP = [
    "DROP TRIGGER IF EXISTS factline_passage_fts_insert",
    "DROP TRIGGER IF EXISTS factline_passage_fts_delete",
    "DROP TRIGGER IF EXISTS factline_passage_fts_update",
    "DROP TABLE IF EXISTS factline_passage_fts",
]

PG_CREATE = [
    "DROP INDEX IF EXISTS passage_text_search",
    "ALTER TABLE factline_passage ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, COALESCE(text, ''))) STORED",
    "CREATE INDEX IF NOT EXISTS passage_search_vector ON factline_passage USING GIN (search_vector) "
    "WHERE NOT boilerplate",
]
PG_DROP = [
    "DROP INDEX IF EXISTS passage_search_vector",
    "ALTER TABLE factline_passage DROP COLUMN IF EXISTS search_vector",
    "CREATE INDEX IF NOT EXISTS passage_text_search ON factline_passage "
    "USING GIN (to_tsvector('english'::regconfig, COALESCE(text, ''::text))) WHERE NOT boilerplate",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        wanted = statements.get(vendor, [])
        for statement in wanted:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("factline", "0007_sources_from_the_browser"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": FTS_CREATE + FTS_TRIGGERS, "postgresql": PG_CREATE}),
            _run({"sqlite": FTS_DROP, "postgresql": PG_DROP}),
            elidable=False,
        ),
    ]
