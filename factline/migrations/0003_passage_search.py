"""A GIN index for full-text search of citable passages, on PostgreSQL only.

The indexed expression is exactly what `SearchVector("text", config="english")` compiles to
(Django wraps each column in COALESCE), so the planner can use the index for
factline.search.passage_search; the WHERE matches its `boilerplate = false` filter.
SQLite has no such index: the search falls back to LIKE there.
"""

from django.db import migrations

INDEX = "passage_text_search"

CREATE = f"""
CREATE INDEX IF NOT EXISTS {INDEX} ON factline_passage
USING GIN (to_tsvector('english'::regconfig, COALESCE(text, ''::text)))
WHERE NOT boilerplate
"""

DROP = f"DROP INDEX IF EXISTS {INDEX}"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        # 0002_sharing is the leaf this builds on; depending on 0001 alone would leave two leaves.
        ("factline", "0002_sharing"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
