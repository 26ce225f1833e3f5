#!/usr/bin/env bash
# The production stack on this machine, without Docker (issue 10):
#   nginx (static files, /protected/ by X-Accel-Redirect, upload limits, timeouts)
#   → two gunicorn web nodes with the production settings
#   + one Celery worker per queue (default, certificates, notifications: CELERY_TASK_ROUTES) and Celery beat,
# on the machine's PostgreSQL and Redis (own database, own Redis db), all on loopback.
#
#   scripts/stack.sh start     (make stack)       scripts/stack.sh stop   (make stack-stop)
#   scripts/stack.sh status
#   scripts/stack.sh revive    (starts again whatever of web nodes, workers, beat is not running: the fault tests)
#   scripts/stack.sh env       (prints the stack's environment, NAME=value: tests, backups, one-off commands)
#
# STACK_LOAD_TEST=1 (make load only) runs the web nodes with bench.load.settings: the production settings
# plus the image captcha's test answer, so the load users can log in. Never set it on a real deployment.
#
# The nginx configuration is made from deploy/nginx.conf (the one docker-compose mounts), so the
# two stacks serve the same locations with the same limits; only addresses and paths differ.
# Everything it starts is recorded under var/stack/ (pid files, logs); stop stops exactly that.
#
# A read replica for the statistics pages (DATABASE_REPLICA_URL), with PostgreSQL's server binaries
# (/usr/lib/postgresql/*/bin), a streaming hot standby under STACK_STATE/pg on 127.0.0.1:STACK_REPLICA_PORT:
#   STACK_REPLICA=auto     (default) a standby of the machine's PostgreSQL (STACK_PG) if it allows replication
#                          connections from 127.0.0.1 (pg_hba.conf "host replication …"), else none
#   STACK_REPLICA=machine  the same, and fail if it does not
#   STACK_REPLICA=own      a primary of the stack's own (initdb, 127.0.0.1:STACK_OWN_PG_PORT) holding STACK_DB,
#                          and its standby: for a machine whose PostgreSQL cannot be changed
#   STACK_REPLICA=off      none
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
STATE="${STACK_STATE:-$ROOT/var/stack}"
PY="${PY:-$ROOT/.venv/bin/python}"
BIN="$(dirname "$PY")"
STACK_PORT="${STACK_PORT:-8480}"
WEB_PORTS="${STACK_WEB_PORTS:-8481 8482}"
STACK_DB="${STACK_DB:-portal_stack}"
PG_URL="${STACK_PG:-postgres://postgres@127.0.0.1:5432}"
REDIS_DB_URL="${STACK_REDIS_URL:-redis://127.0.0.1:6379/6}"
NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
PG_BIN="${PG_BIN:-$( (ls -d /usr/lib/postgresql/*/bin 2>/dev/null || true) | sort -V | tail -n 1)}"
STACK_REPLICA="${STACK_REPLICA:-auto}"
REPLICA_PORT="${STACK_REPLICA_PORT:-$((STACK_PORT + 5))}"
OWN_PG_PORT="${STACK_OWN_PG_PORT:-$((STACK_PORT + 6))}"
PGSTATE="$STATE/pg"
# The Celery queues, one worker each (portal/settings/base.py CELERY_TASK_ROUTES): run/worker-<queue>.pid,
# log/worker-<queue>.log, hostname stack-worker-<queue>@<host>.
WORKER_QUEUES="default certificates notifications"
# The services of docker-compose.yml this stack runs (tests/stack/test_stack_layout.py keeps them equal):
# "worker" is the default queue's worker.
SERVICES="proxy web worker worker-certificates worker-notifications beat postgres redis"

log() { echo "stack: $*"; }

environment() {
  mkdir -p "$STATE"/{log,run,static,private}
  if [ ! -s "$STATE/secret" ]; then
    "$PY" -c 'import secrets; print(secrets.token_urlsafe(60))' > "$STATE/secret"
    chmod 600 "$STATE/secret"
  fi
  local settings_module=portal.settings.production
  [ "${STACK_LOAD_TEST:-0}" = "1" ] && settings_module=bench.load.settings
  export DJANGO_SETTINGS_MODULE="$settings_module"
  SECRET_KEY="$(cat "$STATE/secret")"
  export SECRET_KEY
  export ALLOWED_HOSTS="127.0.0.1,localhost"
  export SITE_URL="${SITE_URL:-http://127.0.0.1:$STACK_PORT}"
  export CSRF_TRUSTED_ORIGINS="http://127.0.0.1:$STACK_PORT,http://localhost:$STACK_PORT"
  # The replica started by `start` (pg/mode: machine or own); with "own", the stack's database is on its own primary.
  local replica_mode=""
  [ -s "$PGSTATE/mode" ] && replica_mode="$(cat "$PGSTATE/mode")"
  PRIMARY_URL="$PG_URL"
  [ "$replica_mode" = "own" ] && PRIMARY_URL="postgres://postgres@127.0.0.1:$OWN_PG_PORT"
  export DATABASE_URL="$PRIMARY_URL/$STACK_DB"
  if [ -n "$replica_mode" ]; then
    export DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:$REPLICA_PORT/$STACK_DB"
  else
    unset DATABASE_REPLICA_URL
  fi
  export REDIS_URL="$REDIS_DB_URL"
  export STATIC_ROOT="$STATE/static"
  export PRIVATE_MEDIA_ROOT="$STATE/private"
  export PRIVATE_MEDIA_ACCEL_PREFIX=/protected/
  export LOG_DIR="$STATE/log"  # security.log (JSON, rotated daily, 190 days) beside the other logs
  mkdir -p "$LOG_DIR"
  # TLS is terminated in front of nginx in a deployment; on loopback the stack speaks plain http.
  export SECURE_SSL_REDIRECT="${SECURE_SSL_REDIRECT:-0}"
  export BEHIND_PROXY=1
  export LOG_LEVEL="${LOG_LEVEL:-INFO}"
  export SMS_BACKEND="${SMS_BACKEND:-file}"
  export SMS_FILE_PATH="${SMS_FILE_PATH:-$STATE/log/sms}"
  export EMAIL_BACKEND="${EMAIL_BACKEND:-file}"
  export EMAIL_FILE_PATH="${EMAIL_FILE_PATH:-$STATE/log/mail}"
}

running() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

nginx_conf() {
  local upstream="" port
  for port in $WEB_PORTS; do upstream="$upstream        server 127.0.0.1:$port max_fails=1 fail_timeout=5s;\n"; done
  local user_line=""
  [ "$(id -u)" = "0" ] && user_line="user root;"
  {
    echo "# Made by scripts/stack.sh from deploy/nginx.conf — do not edit."
    echo "$user_line"
    echo "worker_processes 2;"
    echo "pid $STATE/run/nginx.pid;"
    echo "error_log $STATE/log/nginx-error.log warn;"
    echo "events { worker_connections 1024; }"
    echo "http {"
    echo "    include /etc/nginx/mime.types;"
    echo "    default_type application/octet-stream;"
    # the combined format, then the time nginx took ($request_time: first byte in to last byte out) and the
    # web node's ($upstream_response_time): bench/load/summary.py reads them (server-side latency of a load run)
    echo "    log_format timed '\$remote_addr - \$remote_user [\$time_local] \"\$request\" \$status \$body_bytes_sent \"\$http_referer\" \"\$http_user_agent\" rt=\$request_time urt=\$upstream_response_time';"
    echo "    access_log $STATE/log/nginx-access.log timed;"
    echo "    client_body_temp_path $STATE/run/client_body;"
    echo "    proxy_temp_path $STATE/run/proxy;"
    echo "    fastcgi_temp_path $STATE/run/fastcgi; uwsgi_temp_path $STATE/run/uwsgi; scgi_temp_path $STATE/run/scgi;"
    echo "    sendfile on;"
    # deploy/nginx.conf, with this machine's addresses and folders
    sed -e "s|^\(\s*\)server web:8000;|$upstream|" \
        -e "s|listen 80;|listen 127.0.0.1:$STACK_PORT;|" \
        -e "s|alias /srv/static/;|alias $STATE/static/;|" \
        -e "s|alias /srv/private/;|alias $STATE/private/;|" \
        deploy/nginx.conf | sed 's/^/    /'
    echo "}"
  } > "$STATE/nginx.conf"
  "$NGINX" -t -q -c "$STATE/nginx.conf" -p "$STATE" -g "error_log $STATE/log/nginx-error.log;"
}

wait_for() {
  local url="$1" seconds="${2:-60}"
  for _ in $(seq 1 $((seconds * 5))); do
    if "$PY" - "$url" <<'PY' 2>/dev/null; then return 0; fi
import sys, urllib.request
sys.exit(0 if urllib.request.urlopen(sys.argv[1], timeout=2).status == 200 else 1)
PY
    sleep 0.2
  done
  return 1
}

start_web() {
  local port="$1"
  "$BIN/gunicorn" portal.wsgi:application --daemon \
    --bind "127.0.0.1:$port" --workers "${GUNICORN_WORKERS:-2}" --threads "${GUNICORN_THREADS:-2}" \
    --timeout "${GUNICORN_TIMEOUT:-60}" --graceful-timeout 20 --keep-alive 75 --forwarded-allow-ips 127.0.0.1 \
    --pid "$STATE/run/web-$port.pid" --error-logfile "$STATE/log/web-$port.log" \
    --access-logfile "$STATE/log/web-$port-access.log" --capture-output
}

start_worker() {
  local queue="$1"
  "$BIN/celery" -A portal worker --detach --loglevel "$LOG_LEVEL" --concurrency "${CELERY_CONCURRENCY:-2}" \
    --queues "$queue" --hostname "stack-worker-$queue@%h" \
    --pidfile "$STATE/run/worker-$queue.pid" --logfile "$STATE/log/worker-$queue.log"
}

start_workers() {
  local queue
  for queue in $WORKER_QUEUES; do
    running "$STATE/run/worker-$queue.pid" || { start_worker "$queue"; log "started worker $queue"; }
  done
}

start_beat() {
  "$BIN/celery" -A portal beat --detach --loglevel "$LOG_LEVEL" --schedule "$STATE/run/celerybeat-schedule" \
    --pidfile "$STATE/run/beat.pid" --logfile "$STATE/log/beat.log"
}

# Start again each web node, each queue's worker and beat if it is not running (nginx keeps running meanwhile);
# waits until every web node answers /healthz.
revive() {
  environment
  running "$STATE/run/nginx.pid" || { log "not running (scripts/stack.sh start)"; exit 1; }
  local port
  for port in $WEB_PORTS; do
    running "$STATE/run/web-$port.pid" || { start_web "$port"; log "started web $port"; }
  done
  start_workers
  running "$STATE/run/beat.pid" || { start_beat; log "started beat"; }
  for port in $WEB_PORTS; do
    wait_for "http://127.0.0.1:$port/healthz" 60 || { log "web $port did not become healthy"; exit 1; }
  done
}

# The environment the stack's processes run with, one NAME=value a line.
print_env() {
  environment
  local name
  for name in DJANGO_SETTINGS_MODULE SECRET_KEY ALLOWED_HOSTS SITE_URL CSRF_TRUSTED_ORIGINS DATABASE_URL REDIS_URL \
    STATIC_ROOT PRIVATE_MEDIA_ROOT PRIVATE_MEDIA_ACCEL_PREFIX SECURE_SSL_REDIRECT BEHIND_PROXY LOG_LEVEL \
    SMS_BACKEND SMS_FILE_PATH EMAIL_BACKEND EMAIL_FILE_PATH; do
    printf '%s=%s\n' "$name" "${!name}"
  done
  if [ -n "${DATABASE_REPLICA_URL:-}" ]; then printf 'DATABASE_REPLICA_URL=%s\n' "$DATABASE_REPLICA_URL"; fi
  printf 'STACK_STATE=%s\nSTACK_PORT=%s\nSTACK_WEB_PORTS=%s\nSTACK_DB=%s\nSTACK_PG=%s\n' \
    "$STATE" "$STACK_PORT" "$WEB_PORTS" "$STACK_DB" "$PG_URL"
}

# --- the read replica -------------------------------------------------------------------------
as_postgres() { if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_folder() {  # a folder the PostgreSQL server (user postgres when we are root) owns
  mkdir -p "$1"
  if [ "$(id -u)" = "0" ]; then chown postgres:postgres "$1"; fi
  chmod 700 "$1"
}

# pg_start DATA PORT NAME: start the cluster in DATA on 127.0.0.1:PORT; run/pg-NAME.pid, pg/NAME.log
pg_start() {
  as_postgres "$PG_BIN/pg_ctl" -D "$1" -l "$PGSTATE/$3.log" -w -t 120 \
    -o "-p $2 -c listen_addresses=127.0.0.1 -k $PGSTATE/run" start >/dev/null
  head -n 1 "$1/postmaster.pid" > "$STATE/run/pg-$3.pid"
}

pg_stop() {  # DATA NAME
  if [ -s "$1/postmaster.pid" ]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$1" -m fast -w -t 60 stop >/dev/null 2>&1 || true
    log "stopped pg-$2"
  fi
  rm -f "$STATE/run/pg-$2.pid"
}

start_replica() {
  rm -f "$PGSTATE/mode"
  local mode="$STACK_REPLICA" host port
  [ "$mode" = "off" ] && return 0
  if [ ! -x "$PG_BIN/pg_basebackup" ]; then
    [ "$mode" = "auto" ] && { log "no PostgreSQL server binaries: no read replica"; return 0; }
    log "STACK_REPLICA=$mode needs PostgreSQL's server binaries (apt-get install postgresql)"; exit 1
  fi
  pg_folder "$PGSTATE"; pg_folder "$PGSTATE/run"
  if [ "$mode" = "own" ]; then
    if [ ! -s "$PGSTATE/primary/PG_VERSION" ]; then
      as_postgres "$PG_BIN/initdb" -D "$PGSTATE/primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    pg_start "$PGSTATE/primary" "$OWN_PG_PORT" primary
    host=127.0.0.1; port="$OWN_PG_PORT"
  else
    host="$("$PY" -c 'import sys, urllib.parse as u; print(u.urlsplit(sys.argv[1]).hostname or "127.0.0.1")' "$PG_URL")"
    port="$("$PY" -c 'import sys, urllib.parse as u; print(u.urlsplit(sys.argv[1]).port or 5432)' "$PG_URL")"
    if ! "$PG_BIN/psql" "host=$host port=$port user=postgres dbname=postgres replication=true" -Atc IDENTIFY_SYSTEM \
      >/dev/null 2>&1; then
      [ "$mode" = "machine" ] && { log "PostgreSQL at $host:$port refuses replication connections (pg_hba.conf)"; exit 1; }
      log "PostgreSQL at $host:$port refuses replication connections: no read replica (STACK_REPLICA=own runs a pair of the stack's own)"
      return 0
    fi
    mode=machine
  fi
  # A fresh standby each start (a copy of the primary as it is now, then streaming).
  rm -rf "$PGSTATE/replica"
  as_postgres "$PG_BIN/pg_basebackup" -h "$host" -p "$port" -U postgres -D "$PGSTATE/replica" -R -X stream -c fast
  # Its own configuration (a Debian cluster keeps its files in /etc): a hot standby that logs every statement,
  # so the stack test can see which queries reached it.
  as_postgres tee "$PGSTATE/replica/postgresql.conf" >/dev/null <<CONF
hot_standby = on
log_statement = 'all'
log_line_prefix = '%m [%p] %d '
CONF
  as_postgres tee "$PGSTATE/replica/pg_hba.conf" >/dev/null <<CONF
local all all trust
host all all 127.0.0.1/32 trust
CONF
  as_postgres touch "$PGSTATE/replica/pg_ident.conf"
  pg_start "$PGSTATE/replica" "$REPLICA_PORT" replica
  echo "$mode" > "$PGSTATE/mode"
  log "read replica: hot standby of $host:$port on 127.0.0.1:$REPLICA_PORT ($mode)"
}

stop_replica() {
  [ -d "$PGSTATE" ] || return 0
  pg_stop "$PGSTATE/replica" replica
  pg_stop "$PGSTATE/primary" primary
  rm -f "$PGSTATE/mode"
}

start() {
  [ -x "$NGINX" ] || { echo "stack: nginx is needed: apt-get install nginx-light (scripts/system-deps.sh stack)"; exit 1; }
  environment
  if running "$STATE/run/nginx.pid"; then log "already running (scripts/stack.sh stop first)"; exit 0; fi
  start_replica
  environment  # again: DATABASE_URL and DATABASE_REPLICA_URL as the replica made them
  "$PY" - "$PRIMARY_URL" "$STACK_DB" <<'PY'
import sys, psycopg2
conn = psycopg2.connect(sys.argv[1] + "/postgres"); conn.autocommit = True
with conn.cursor() as cur:
    cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [sys.argv[2]])
    if cur.fetchone() is None:
        cur.execute('CREATE DATABASE "%s"' % sys.argv[2].replace('"', ""))
PY
  "$PY" manage.py migrate --noinput -v 0
  "$PY" manage.py collectstatic --noinput -v 0
  "$PY" manage.py compilemessages -v 0 --ignore '.venv/*' >/dev/null
  local port
  for port in $WEB_PORTS; do start_web "$port"; done
  start_workers
  start_beat
  nginx_conf
  "$NGINX" -c "$STATE/nginx.conf" -p "$STATE" -g "error_log $STATE/log/nginx-error.log;"
  if ! wait_for "http://127.0.0.1:$STACK_PORT/healthz" 90; then
    log "did not become healthy; logs in $STATE/log/"; tail -n 20 "$STATE"/log/web-*.log >&2 || true; exit 1
  fi
  log "up: http://127.0.0.1:$STACK_PORT/ (nginx) → web $WEB_PORTS, workers ($WORKER_QUEUES), beat; database $STACK_DB, $REDIS_URL"
  if [ -n "${DATABASE_REPLICA_URL:-}" ]; then log "statistics read from the replica: $DATABASE_REPLICA_URL"; fi
  log "logs in $STATE/log/; stop with: make stack-stop"
}

stop_pid() {
  local file="$1" name
  name="$(basename "$file" .pid)"
  if running "$file"; then
    kill -TERM "$(cat "$file")" 2>/dev/null || true
    for _ in $(seq 1 100); do running "$file" || break; sleep 0.1; done
    running "$file" && kill -KILL "$(cat "$file")" 2>/dev/null || true
    log "stopped $name"
  fi
  rm -f "$file"
}

stop() {
  [ -d "$STATE/run" ] || { log "nothing to stop"; return 0; }
  if running "$STATE/run/nginx.pid"; then
    "$NGINX" -c "$STATE/nginx.conf" -p "$STATE" -s quit -g "error_log $STATE/log/nginx-error.log;" 2>/dev/null || true
  fi
  local file
  # worker.pid: the single worker of a stack started before the queues were split
  for file in "$STATE"/run/nginx.pid "$STATE"/run/web-*.pid "$STATE"/run/worker.pid "$STATE"/run/worker-*.pid \
    "$STATE"/run/beat.pid; do
    [ -e "$file" ] && stop_pid "$file"
  done
  stop_replica  # last: nothing uses the databases any more
  return 0
}

status() {
  local file any=1
  for file in "$STATE"/run/*.pid; do
    [ -e "$file" ] || continue
    if running "$file"; then echo "$(basename "$file" .pid): running (pid $(cat "$file"))"; any=0
    else echo "$(basename "$file" .pid): not running"; fi
  done
  return $any
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  revive) revive ;;
  env) print_env ;;
  services) echo "$SERVICES" ;;
  *) echo "usage: scripts/stack.sh start|stop|status|revive|env|services" >&2; exit 2 ;;
esac
