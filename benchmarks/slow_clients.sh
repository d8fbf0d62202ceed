#!/usr/bin/env bash
# Slow clients: 20 slow uploaders and 20 slow readers connected, then 20 ordinary requests; how many
# of those still finish within 2 s (benchmarks/slow_clients.py has the details). Against, in one run,
# with the same app (benchmarks/apps/slow_client_app.py), interpreter (Debian's python3) and 2 sync
# workers:
#   gunicorn        gunicorn alone on TCP (its docs: sync workers need a buffering proxy in front)
#   nginx+gunicorn  Debian's nginx in front of gunicorn over a Unix socket, configured like gunicorn's
#                   deployment docs (proxy_buffering and proxy_request_buffering on, access log off),
#                   run in the foreground with its own config, prefix, temp and pid files
#   twod-wsgi       the demo app's jar with the app mounted (2 workers)
#
#   benchmarks/slow_clients.sh
# Takes about a minute after the build. Prints where its logs are; stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."

WORKERS=2
PYTHON=/usr/bin/python3
GUNICORN_PORT=18090
NGINX_PORT=18091
GATEWAY_PORT=18092
APPS_DIR=$PWD/benchmarks/apps
LOG_DIR=$(mktemp -d)
CLIENT="$PYTHON $PWD/benchmarks/slow_clients.py"

# (Installing nginx may start Debian's own nginx service on port 80; this script does not use it.)
if ! command -v gunicorn >/dev/null || ! command -v nginx >/dev/null || ! command -v curl >/dev/null; then
    apt-get update -qq && apt-get install -y -qq gunicorn nginx curl >/dev/null
fi
. benchmarks/lib.sh
require_free_ports "$GUNICORN_PORT" "$NGINX_PORT" "$GATEWAY_PORT"

# package, not install: the reactor builds the demo's jar from this tree without touching ~/.m2.
./mvnw -q -B package -DskipTests
JAR=$(ls demo-app/target/demo-app-*.jar | head -n 1)

trap 'stop_all; echo "logs: $LOG_DIR"' EXIT

echo "logs: $LOG_DIR"

# 1. gunicorn alone.
$PYTHON -m gunicorn --workers $WORKERS --worker-class sync --bind 127.0.0.1:$GUNICORN_PORT \
    --chdir "$APPS_DIR" --log-level info slow_client_app:app >"$LOG_DIR/gunicorn.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$GUNICORN_PORT/hello"
$CLIENT gunicorn "http://127.0.0.1:$GUNICORN_PORT" | tee "$LOG_DIR/result-gunicorn.txt"
stop_all

# 2. nginx in front of gunicorn on a Unix socket, after gunicorn's deployment docs.
NGINX_DIR=$LOG_DIR/nginx
write_nginx_conf "$NGINX_DIR" "$NGINX_PORT" 1
$PYTHON -m gunicorn --workers $WORKERS --worker-class sync --bind "unix:$NGINX_DIR/gunicorn.sock" \
    --chdir "$APPS_DIR" --log-level info slow_client_app:app >"$LOG_DIR/gunicorn-behind-nginx.log" 2>&1 &
pids+=($!)
nginx -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" -e "$NGINX_DIR/error.log" &
pids+=($!)
wait_for "http://127.0.0.1:$NGINX_PORT/hello"
$CLIENT nginx+gunicorn "http://127.0.0.1:$NGINX_PORT" | tee "$LOG_DIR/result-nginx.txt"
stop_all

# 3. twod-wsgi: the demo's jar with the app mounted as "slow". The demo's Spring Security ignores
# CSRF only under /flask, /enriched, /teams and /bulk (DemoSecurity.java), so the POSTs of the slow
# uploaders need the app under one of those: /bulk/slow (memory.sh mounts its own app at /bulk).
java -jar "$JAR" --server.port=$GATEWAY_PORT --twod.wsgi.python=$PYTHON --twod.wsgi.access-log=false \
    --twod.wsgi.apps.flask.workers=1 --twod.wsgi.apps.flask.requirements= \
    --twod.wsgi.apps.slow.app=slow_client_app:app --twod.wsgi.apps.slow.mount=/bulk/slow \
    --twod.wsgi.apps.slow.python=$PYTHON --twod.wsgi.apps.slow.python-path="$APPS_DIR" \
    --twod.wsgi.apps.slow.workers=$WORKERS >"$LOG_DIR/twod-wsgi.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$GATEWAY_PORT/bulk/slow/hello"
$CLIENT twod-wsgi "http://127.0.0.1:$GATEWAY_PORT/bulk/slow" | tee "$LOG_DIR/result-twod-wsgi.txt"
stop_all

echo
echo "$(git rev-parse --short HEAD), $(date -u +%F), $WORKERS sync workers each, $($PYTHON --version), $(nproc) cores;" \
    "20 slow uploaders + 20 slow readers from t=0, 20 ordinary GETs at once at t=2 s, window 15 s"
cat "$LOG_DIR"/result-gunicorn.txt "$LOG_DIR"/result-nginx.txt "$LOG_DIR"/result-twod-wsgi.txt
