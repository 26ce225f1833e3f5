#!/usr/bin/env bash
# make load: the locust scenario (bench/load/locustfile.py) against a production stack of its own.
#
#   starts the stack (scripts/stack.sh) with STACK_LOAD_TEST=1 — the production settings plus the
#   captcha's test answer (bench/load/settings.py), so the load users log in through the real form —,
#   prepares accounts and drafts (bench/load/prepare.py), runs locust headless, writes its HTML report
#   and CSV under var/load/, prints the table (bench/load/summary.py, also var/load/summary.md, which
#   make bench repeats), and stops the stack.
#
# Variables: LOAD_DURATION (default 60s; the issue's benchmark is LOAD_DURATION=5m), LOAD_USERS (24:
# 5 applicants for 1 official), LOAD_SPAWN_RATE (4/s), LOAD_STRICT=1 (exit 1 when a target is missed:
# 0 errors, p95 < 300 ms). Its own stack: STACK_STATE=var/stack-load, database portal_load_stack,
# Redis db 9, ports 8460 (nginx), 8461 8462 (web) — each overridable as for scripts/stack.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
export STACK_STATE="${STACK_STATE:-$PWD/var/stack-load}" STACK_DB="${STACK_DB:-portal_load_stack}"
export STACK_REDIS_URL="${STACK_REDIS_URL:-redis://127.0.0.1:6379/9}"
export STACK_PORT="${STACK_PORT:-8460}" STACK_WEB_PORTS="${STACK_WEB_PORTS:-8461 8462}"
export STACK_LOAD_TEST=1
DURATION="${LOAD_DURATION:-60s}"
USERS="${LOAD_USERS:-24}"
RATE="${LOAD_SPAWN_RATE:-4}"
OUT="${LOAD_OUT:-var/load}"
PY="${PY:-.venv/bin/python}"
mkdir -p "$OUT"

"$PY" -c "import locust" 2>/dev/null || "$PY" -m pip install -q -r bench/load/requirements.txt

# A stack left running under these names may lack the load settings: start it afresh, stop it at the end.
scripts/stack.sh stop >/dev/null
trap 'scripts/stack.sh stop >/dev/null 2>&1 || true' EXIT
scripts/stack.sh start

# Enough drafts for every applicant iteration of the run (about one per 12 s per user).
seconds="$("$PY" -c 'import re, sys; m = re.fullmatch(r"(\d+)([smh]?)", sys.argv[1]); print(int(m[1]) * {"": 1, "s": 1, "m": 60, "h": 3600}[m[2]])' "$DURATION")"
officials=$(( USERS / 6 > 0 ? USERS / 6 : 1 ))
applicants=$(( USERS - officials ))
each=$(( seconds / 10 + 3 ))
(
  while IFS='=' read -r name value; do export "$name=$value"; done < <(scripts/stack.sh env)
  PYTHONPATH="$PWD" "$PY" -W ignore -m bench.load.prepare "$OUT/accounts.json" "$applicants" "$each" "$officials" "$each" 2>&1 \
    | grep -v -i captcha || true
)
[ -s "$OUT/accounts.json" ] || { echo "load: preparing the accounts failed" >&2; exit 1; }

echo "load: $USERS users ($applicants applicants, $officials officials) for $DURATION against http://127.0.0.1:$STACK_PORT"
"$PY" bench/load/cpu.py snapshot "$STACK_STATE" "$STACK_DB" > "$OUT/cpu-before.json"
started="$(date +%s)"
LOAD_ACCOUNTS="$OUT/accounts.json" "$PY" bench/load/cpu.py run "$OUT/locust-cpu.txt" -- "$(dirname "$PY")/locust" -f bench/load/locustfile.py --headless \
  -u "$USERS" -r "$RATE" -t "$DURATION" --host "http://127.0.0.1:$STACK_PORT" \
  --html "$OUT/report.html" --csv "$OUT/stats" --only-summary --loglevel WARNING > "$OUT/locust.log" 2>&1 || true

"$PY" bench/load/cpu.py since "$OUT/cpu-before.json" "$STACK_STATE" "$STACK_DB" > "$OUT/cpu.json" || echo '{}' > "$OUT/cpu.json"
strict=()
[ "${LOAD_STRICT:-0}" = "1" ] && strict=(--strict)
"$PY" bench/load/summary.py "$OUT/stats" "$OUT/summary.md" --cpu "$OUT/cpu.json" "${strict[@]}" \
  --nginx-log "$STACK_STATE/log/nginx-access.log" --since "$started" --locust-cpu "$(cat "$OUT/locust-cpu.txt" 2>/dev/null || echo 0)" \
  --note "$(date -u '+%Y-%m-%d %H:%M UTC'), $USERS users for $DURATION, $(nproc) cores; nginx → 2 gunicorn nodes (${GUNICORN_WORKERS:-2} workers × ${GUNICORN_THREADS:-2} threads), Celery worker; report: $OUT/report.html"
