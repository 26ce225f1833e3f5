#!/usr/bin/env bash
# The read replica (docker-compose.yml service postgres-replica, --profile replica; docs/scaling.md).
# First start: a copy of the primary (pg_basebackup -R writes standby.signal and primary_conninfo), then, every
# start, PostgreSQL as a hot standby streaming from it. Arguments are passed on to postgres.
# Environment: PGDATA, POSTGRES_REPLICATION_USER (replicator), POSTGRES_REPLICATION_PASSWORD (required),
# REPLICA_PRIMARY_HOST (postgres), REPLICA_PRIMARY_PORT (5432). Runs as the user postgres.
set -euo pipefail
: "${PGDATA:?PGDATA is not set}"
: "${POSTGRES_REPLICATION_PASSWORD:?POSTGRES_REPLICATION_PASSWORD is not set (deploy/.env): the replica cannot connect}"
host="${REPLICA_PRIMARY_HOST:-postgres}"
port="${REPLICA_PRIMARY_PORT:-5432}"
user="${POSTGRES_REPLICATION_USER:-replicator}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -q -h "$host" -p "$port"; do
    echo "replica: waiting for the primary at $host:$port"
    sleep 2
  done
  mkdir -p "$PGDATA"
  chmod 700 "$PGDATA"
  # An interrupted copy leaves no PG_VERSION: start again from an empty folder.
  find "$PGDATA" -mindepth 1 -delete
  PGPASSWORD="$POSTGRES_REPLICATION_PASSWORD" pg_basebackup -h "$host" -p "$port" -U "$user" \
    -D "$PGDATA" -R -X stream -c fast
  echo "replica: copied the primary at $host:$port; streaming from it"
fi
exec postgres -c hot_standby=on "$@"
