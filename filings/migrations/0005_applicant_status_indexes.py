"""Indexes of the applicant's own lists (issue 11): a unit's rows by kind and state.

受理状态's deadline notice (filings.deadlines.own_warnings) filters one unit's unapproved domestic
programmes: with only single-column indexes the planner ANDs the unit's bitmap with the bitmap of every
filing in those states (44,000 index entries at 100,000 filings, ten times more at 1,000,000) — a cost
that grows with the whole table, not with the unit. With ``(organisation_id, kind, state)`` it reads the
unit's own entries only (the 受理状态 filters by state and type use it too).

Plain SQL outside the models' state, as 0004: built CONCURRENTLY on PostgreSQL (no lock on a live table).
"""

from django.db import migrations

INDEXES = (
    ("filing_org_kind_state_idx", "filings_filing", "organisation_id, kind, state"),
    ("change_org_state_idx", "filings_changerequest", "organisation_id, state"),
)


def create(apps, schema_editor):
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    for name, table, columns in INDEXES:
        schema_editor.execute(f"CREATE INDEX {concurrently}IF NOT EXISTS {name} ON {table} ({columns})")


def drop(apps, schema_editor):
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    for name, _table, _columns in INDEXES:
        schema_editor.execute(f"DROP INDEX {concurrently}IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("filings", "0004_reviewer_queue_indexes")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
