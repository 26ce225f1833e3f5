"""Indexes that match the reviewers' queues (issue 11): filter ``state <> 'draft'`` (+ province), order
``submitted_at DESC, id DESC`` — the first 50 rows are read from the index instead of a parallel
sequential scan and a sort of the whole history.

Plain SQL (valid on PostgreSQL and SQLite), outside the models' state: the planner needs the exact
shape (partial, descending, id as tie-breaker). On PostgreSQL they are built CONCURRENTLY (no lock on a
live table), hence a non-atomic migration.
"""

from django.db import migrations

INDEXES = (
    ("filing_review_recent_idx", "filings_filing", "submitted_at DESC, id DESC"),
    ("filing_review_province_idx", "filings_filing", "province, submitted_at DESC, id DESC"),
    ("change_review_recent_idx", "filings_changerequest", "submitted_at DESC, id DESC"),
    ("change_review_province_idx", "filings_changerequest", "province, submitted_at DESC, id DESC"),
)


def create(apps, schema_editor):
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    for name, table, columns in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX {concurrently}IF NOT EXISTS {name} ON {table} ({columns}) WHERE NOT (state = 'draft')"
        )


def drop(apps, schema_editor):
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    for name, _table, _columns in INDEXES:
        schema_editor.execute(f"DROP INDEX {concurrently}IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("filings", "0003_change_reference_and_void")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
