#!/usr/bin/env bash
# 接口模糊测试：schemathesis runs over every operation of the API schema as three personas against a
# running server with production settings (DEBUG off, gunicorn), on a throwaway database with the demo
# loaded. Exits non-zero on any server error or answer that does not match the schema.
#
#   tests/schemathesis/run.sh                      # SQLite in a temporary data directory
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bureau_fuzz CELERY_BROKER_URL=redis://127.0.0.1:6379/13 \
#     tests/schemathesis/run.sh                    # PostgreSQL (the database is dropped and made anew)
#
# Knobs: FUZZ_MAX_EXAMPLES (100), FUZZ_WEB_WORKERS (3 gunicorn workers), FUZZ_ST_WORKERS (2 schemathesis
# workers per persona), FUZZ_PERSONAS ("approval town1 enforcement"), FUZZ_PHASES, FUZZ_KEEP=1 keeps the
# data directory and the reports.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
PY=.venv/bin/python
t0=$SECONDS
stage() { echo "-- $1 ($((SECONDS - t0)) s)"; }

FUZZ_DIR=$(mktemp -d "${TMPDIR:-/tmp}/bureau-fuzz.XXXXXX")
export DATA_DIR="$FUZZ_DIR/data"
mkdir -p "$DATA_DIR"
export DEBUG=0
export SECRET_KEY="fuzz-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export ALLOWED_HOSTS="127.0.0.1,localhost"
export CELERY_BROKER_URL="${CELERY_BROKER_URL:-filesystem://}"
# Plain HTTP on 127.0.0.1: no redirect to HTTPS (the rest of production's settings stay as they are).
export SECURE_SSL_REDIRECT=0
# The demo's staff have no second factor; the personas below are not among those who must have one.
export DEMO_PASSWORD="${DEMO_PASSWORD:-Demo@2025}"
# Generated inputs include many failed token requests from one address: the lockout must not shut the
# personas out mid-run (lockout itself is tested in tests/bureau/).
export LOGIN_FAILURE_LIMIT="${LOGIN_FAILURE_LIMIT:-1000000}"
# One parse of Python source at a time in schemathesis's worker threads (Python 3.11's AST race: hooks.py).
export SCHEMATHESIS_HOOKS="$ROOT/tests/schemathesis/hooks.py"
MAX_EXAMPLES="${FUZZ_MAX_EXAMPLES:-100}"
WEB_WORKERS="${FUZZ_WEB_WORKERS:-3}"
ST_WORKERS="${FUZZ_ST_WORKERS:-2}"
PERSONAS="${FUZZ_PERSONAS:-approval town1 enforcement}"
PHASES="${FUZZ_PHASES:-fuzzing,stateful}"
# The coverage phase (boundary and invalid values of every parameter, ~150 cases per operation) mostly
# tests input validation, which is the same for everyone: one persona runs it (CI time).
COVERAGE_PERSONA="${FUZZ_COVERAGE_PERSONA:-approval}"

server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ "${FUZZ_KEEP:-0}" != 1 ]; then rm -rf "$FUZZ_DIR"; else echo "kept $FUZZ_DIR"; fi
}
trap cleanup EXIT

stage "database"
if [ -n "${DATABASE_URL:-}" ]; then
  "$PY" - <<'PY'
import os, dj_database_url, psycopg2
db = dj_database_url.parse(os.environ["DATABASE_URL"])
conn = psycopg2.connect(dbname="postgres", user=db["USER"], password=db["PASSWORD"], host=db["HOST"], port=db["PORT"] or 5432)
conn.autocommit = True
with conn.cursor() as cur:
    cur.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')
    cur.execute(f'CREATE DATABASE "{db["NAME"]}"')
PY
fi
# The static files (whitenoise compresses them: ~1 min of CPU) and the schema need no database: they are
# made on the second core while the first migrates and seeds.
( "$PY" manage.py collectstatic --no-input -v 0 \
  && "$PY" manage.py spectacular --format openapi-json --file "$FUZZ_DIR/schema.json" 2>/dev/null \
  && echo "   static files and schema done ($((SECONDS - t0)) s)" ) &
side_pid=$!
"$PY" manage.py migrate --no-input -v 0
stage "demo data"
"$PY" manage.py seed_demo --force >/dev/null
wait "$side_pid"

stage "server"
port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
.venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$port" --workers "$WEB_WORKERS" --timeout 120 \
  >"$FUZZ_DIR/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 60); do
  curl -s -o /dev/null "$base/healthz" && break
  sleep 0.5
done

declare -A tokens
for user in $PERSONAS; do
  tokens[$user]=$(curl -sf -X POST "$base/api/v1/auth/token/" -H 'Content-Type: application/json' \
    -d "{\"username\": \"$user\", \"password\": \"$DEMO_PASSWORD\"}" | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["token"])')
done

stage "schemathesis: $PERSONAS, $MAX_EXAMPLES examples per operation, phases $PHASES (+ coverage for $COVERAGE_PERSONA)"
pids=()
for user in $PERSONAS; do
  phases=$PHASES
  [ "$user" = "$COVERAGE_PERSONA" ] && phases="coverage,$PHASES"
  (cd "$FUZZ_DIR" && "$ROOT/.venv/bin/schemathesis" --config-file "$ROOT/tests/schemathesis/schemathesis.toml" \
     --no-color run "$FUZZ_DIR/schema.json" --url "$base" \
     -H "Authorization: Token ${tokens[$user]}" \
     --max-examples "$MAX_EXAMPLES" --phases "$phases" --workers "$ST_WORKERS" \
     --report junit,ndjson --report-dir "$FUZZ_DIR/report-$user" \
     >"$FUZZ_DIR/schemathesis-$user.log" 2>&1; echo $? >"$FUZZ_DIR/rc-$user") &
  pids+=($!)
done
wait "${pids[@]}" || true
stage "summary"
status=0
"$PY" tests/schemathesis/summary.py "$FUZZ_DIR" $PERSONAS || status=$?
if [ "$status" != 0 ]; then
  # The logs go with the run's directory: what schemathesis said at the end is kept in CI's output.
  for user in $PERSONAS; do
    echo "-- the end of schemathesis-$user.log (exit $(cat "$FUZZ_DIR/rc-$user" 2>/dev/null || echo '?'))"
    tail -n 40 "$FUZZ_DIR/schemathesis-$user.log"
  done
  grep -E "WORKER TIMEOUT|CRITICAL|Killed|MemoryError" "$FUZZ_DIR/server.log" | tail -n 20 || true
fi
if grep -q "Traceback\|Internal Server Error" "$FUZZ_DIR/server.log"; then
  echo "the server logged errors:"; grep -B2 -A25 "Traceback" "$FUZZ_DIR/server.log" | head -80; status=1
fi
echo "schemathesis stage took $((SECONDS - t0)) s"
exit "$status"
