#!/bin/sh
# Container entrypoint: one image, several roles.
#   web      migrate, publish static files to the shared volume, serve with gunicorn
#   worker   celery worker
#   beat     celery beat (the periodic jobs; see CELERY_BEAT_SCHEDULE)
#   manage   any manage.py command, e.g. `docker compose run --rm web manage createsuperuser`
set -eu

role="${1:-web}"
if [ $# -gt 0 ]; then shift; fi

wait_for_database() {
  python - <<'PY'
import os, sys, time
import django
django.setup()
from django.db import connection
for attempt in range(60):
    try:
        connection.ensure_connection()
        sys.exit(0)
    except Exception as exc:  # database still starting
        print(f"waiting for the database: {exc}", file=sys.stderr)
        time.sleep(2)
sys.exit("database not reachable")
PY
}

case "$role" in
  web)
    wait_for_database
    python manage.py migrate --noinput
    # The proxy serves /static/ from a volume shared with this container.
    if [ -n "${STATIC_VOLUME:-}" ]; then
      cp -a "$STATIC_ROOT"/. "$STATIC_VOLUME"/
    fi
    exec gunicorn portal.wsgi:application \
      --bind "0.0.0.0:${PORT:-8000}" \
      --workers "${GUNICORN_WORKERS:-3}" \
      --threads "${GUNICORN_THREADS:-2}" \
      --timeout "${GUNICORN_TIMEOUT:-60}" \
      --keep-alive 75 \
      --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-*}" \
      --access-logfile - \
      "$@"
    ;;
  worker)
    wait_for_database
    exec celery -A portal worker --loglevel "${LOG_LEVEL:-INFO}" --concurrency "${CELERY_CONCURRENCY:-2}" "$@"
    ;;
  beat)
    wait_for_database
    exec celery -A portal beat --loglevel "${LOG_LEVEL:-INFO}" --schedule /tmp/celerybeat-schedule "$@"
    ;;
  manage)
    exec python manage.py "$@"
    ;;
  *)
    exec "$role" "$@"
    ;;
esac
