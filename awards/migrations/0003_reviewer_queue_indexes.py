"""Indexes that match the NRTA reviewers' queue (issue 11): filter ``state <> 'draft'`` (+ the province
and bureau of a provincial official), order ``submitted_at DESC, id DESC`` — the first 50 rows from the
index instead of a hash join and a sort of the province's whole history.

Plain SQL (PostgreSQL and SQLite), outside the models' state, built CONCURRENTLY on PostgreSQL (as
filings.0004).
"""

from django.db import migrations

INDEXES = (
    ("award_review_recent_idx", "awards_nomination", "submitted_at DESC, id DESC"),
    ("award_review_province_idx", "awards_nomination", "province, bureau, submitted_at DESC, id DESC"),
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
    dependencies = [("awards", "0002_reminder_sent")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
