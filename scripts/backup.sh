#!/usr/bin/env bash
# Backup and restore of the portal's database and private files (make backup / make restore).
#
#   scripts/backup.sh backup [DIR]        → DIR (default var/backups/<UTC time>/):
#        db.dump          pg_dump --format=custom of the database (one consistent snapshot)
#        private.tar.gz   the private media folder (uploads, certificate PDFs), taken after the dump, so
#                         every file the dump refers to is in it
#        inventory.json   what the dump holds: counts (filings, versions, materials, certificates …) and
#                         every file a row refers to, with its SHA-256 (missing ones listed)
#        SHA256SUMS       checksums of the three files above
#   scripts/backup.sh restore DIR DB MEDIA
#        checks SHA256SUMS, creates the database DB (it must not exist) on the same server, restores the
#        dump into it, unpacks the files into MEDIA (it must be empty or absent), then takes the inventory
#        of the restored copy and compares it with the backup's: every row counted, every file present with
#        the same checksum, or the restore fails.
#   scripts/backup.sh inventory           the inventory of the live database and files (JSON on stdout)
#
# What is backed up: DATABASE_URL and PRIVATE_MEDIA_ROOT of the environment when both are set (a
# deployment), else those of the stack (scripts/stack.sh env, with its STACK_* variables).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
PY="${PY:-$ROOT/.venv/bin/python}"

log() { echo "backup: $*" >&2; }

load_environment() {
  if [ -z "${DATABASE_URL:-}" ] || [ -z "${PRIVATE_MEDIA_ROOT:-}" ]; then
    local name value
    while IFS='=' read -r name value; do export "$name=$value"; done < <(bash scripts/stack.sh env)
  fi
  export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-portal.settings.production}"
  case "$DATABASE_URL" in
    postgres://* | postgresql://*) ;;
    *) log "DATABASE_URL must be a PostgreSQL URL (the embedded SQLite file is copied as a file)"; exit 2 ;;
  esac
}

# The database URL with another database name.
with_database() {
  "$PY" -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(p._replace(path="/" + sys.argv[2]).geturl())' "$1" "$2"
}

# The inventory (JSON on stdout) of the database and files. With BACKUP_DUMP=PATH it first runs pg_dump
# into PATH on the very snapshot it counts (a REPEATABLE READ transaction whose snapshot pg_dump shares), so
# the counts are exactly those of the dump even while the portal keeps writing.
inventory() {
  PYTHONPATH="$ROOT" "$PY" -W ignore - <<'PY'
import hashlib, json, os, subprocess, sys

import django

django.setup()
from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction

counts, files, missing = {}, {}, []
root = settings.PRIVATE_MEDIA_ROOT
with transaction.atomic():
    with connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
    if os.environ.get("BACKUP_DUMP"):
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
             f"--dbname={os.environ['DATABASE_URL']}", f"--file={os.environ['BACKUP_DUMP']}"],
            check=True,
        )
    for model in apps.get_models():
        file_fields = [f.name for f in model._meta.get_fields() if isinstance(f, models.FileField)]
        counts[model._meta.label] = model._default_manager.count()
        for field in file_fields:
            for name in model._default_manager.exclude(**{field: ""}).values_list(field, flat=True).iterator():
                try:
                    with open(os.path.join(root, name), "rb") as handle:
                        files[name] = hashlib.file_digest(handle, "sha256").hexdigest()
                except FileNotFoundError:
                    missing.append(name)
json.dump({"counts": counts, "files": dict(sorted(files.items())), "missing": sorted(missing)}, sys.stdout,
          indent=1, ensure_ascii=False, sort_keys=True)
PY
}

backup() {
  load_environment
  local dir="${1:-$ROOT/var/backups/$(date -u +%Y%m%dT%H%M%SZ)}"
  mkdir -p "$dir"
  [ ! -e "$dir/db.dump" ] || { log "$dir already holds a backup"; exit 2; }
  log "database → $dir/db.dump, inventory → $dir/inventory.json (one snapshot)"
  BACKUP_DUMP="$dir/db.dump" inventory > "$dir/inventory.json"
  log "private files ($PRIVATE_MEDIA_ROOT) → $dir/private.tar.gz"
  mkdir -p "$PRIVATE_MEDIA_ROOT"
  tar -C "$PRIVATE_MEDIA_ROOT" -czf "$dir/private.tar.gz" .
  (cd "$dir" && sha256sum db.dump private.tar.gz inventory.json > SHA256SUMS)
  "$PY" - "$dir/inventory.json" <<'PY'
import json, sys
data = json.load(open(sys.argv[1], encoding="utf-8"))
c = data["counts"]
print(f"backup: {c.get('filings.Filing', 0)} filings, {c.get('review.Certificate', 0)} certificates, "
      f"{len(data['files'])} files" + (f", {len(data['missing'])} MISSING before the backup" if data["missing"] else ""))
PY
  echo "$dir"
}

restore() {
  local dir="${1:?usage: scripts/backup.sh restore DIR DB MEDIA}" db="${2:?database name}" media="${3:?media folder}"
  load_environment
  (cd "$dir" && sha256sum --quiet -c SHA256SUMS) || { log "checksums of $dir do not match: not restoring"; exit 1; }
  if [ -d "$media" ] && [ -n "$(ls -A "$media")" ]; then log "$media is not empty: not restoring"; exit 1; fi
  local target
  target="$(with_database "$DATABASE_URL" "$db")"
  "$PY" - "$(with_database "$DATABASE_URL" postgres)" "$db" <<'PY'
import sys, psycopg2
conn = psycopg2.connect(sys.argv[1]); conn.autocommit = True
with conn.cursor() as cur:
    cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [sys.argv[2]])
    if cur.fetchone():
        sys.exit(f"backup: database {sys.argv[2]} exists: restore into a new one")
    cur.execute('CREATE DATABASE "%s"' % sys.argv[2].replace('"', ""))
PY
  log "database → $db"
  pg_restore --no-owner --no-privileges --exit-on-error --dbname="$target" "$dir/db.dump"
  log "private files → $media"
  mkdir -p "$media"
  tar -C "$media" -xzf "$dir/private.tar.gz"
  DATABASE_URL="$target" PRIVATE_MEDIA_ROOT="$media" inventory > "$dir/inventory.restored.json"
  "$PY" - "$dir/inventory.json" "$dir/inventory.restored.json" <<'PY'
import json, sys
before, after = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:3])
problems = [f"{k}: {before['counts'][k]} rows backed up, {after['counts'].get(k)} restored"
            for k in before["counts"] if after["counts"].get(k) != before["counts"][k]]
problems += [f"{name}: missing" for name in sorted(set(before["files"]) - set(after["files"]))]
problems += [f"{name}: checksum differs" for name, digest in before["files"].items()
             if name in after["files"] and after["files"][name] != digest]
if problems:
    print("backup: the restored copy differs:\n  " + "\n  ".join(problems[:50]), file=sys.stderr)
    sys.exit(1)
c = after["counts"]
print(f"backup: restored and verified: {c.get('filings.Filing', 0)} filings, {c.get('review.Certificate', 0)} "
      f"certificates, {len(after['files'])} files, every checksum equal")
PY
}

case "${1:-backup}" in
  backup) shift || true; backup "$@" ;;
  restore) shift; restore "$@" ;;
  inventory) load_environment; inventory ;;
  *) echo "usage: scripts/backup.sh backup [DIR] | restore DIR DB MEDIA | inventory" >&2; exit 2 ;;
esac
