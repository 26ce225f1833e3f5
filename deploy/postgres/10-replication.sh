#!/usr/bin/env bash
# The primary's side of the read replica (docker-compose.yml mounts this file into the postgres image's
# /docker-entrypoint-initdb.d/, run once when it creates the cluster): a role that may stream the WAL, and
# a pg_hba.conf line letting it connect for replication with its password (no other role may).
# Environment: POSTGRES_USER, POSTGRES_DB, PGDATA (the image's), POSTGRES_REPLICATION_USER (replicator),
# POSTGRES_REPLICATION_PASSWORD (unset: no role, no line: the primary runs without a replica).
# The image may source this file rather than run it: no `exit`, no shell options changed.

replication_setup() {
  local user="${POSTGRES_REPLICATION_USER:-replicator}"
  if [ -z "${POSTGRES_REPLICATION_PASSWORD:-}" ]; then
    echo "replication: POSTGRES_REPLICATION_PASSWORD is not set: no replication role (no read replica)"
    return 0
  fi
  psql -v ON_ERROR_STOP=1 -X -q --username "$POSTGRES_USER" --dbname "${POSTGRES_DB:-$POSTGRES_USER}" \
    -v role="$user" -v secret="$POSTGRES_REPLICATION_PASSWORD" <<'SQL' || return 1
CREATE ROLE :"role" WITH REPLICATION LOGIN PASSWORD :'secret';
SQL
  printf 'host replication %s all scram-sha-256\n' "$user" >> "$PGDATA/pg_hba.conf"
  echo "replication: role $user may stream to a read replica"
}

replication_setup
