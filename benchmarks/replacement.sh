#!/usr/bin/env bash
# Worker replacement: how long after a `kill -9` of one of 2 workers the pool serves with a fresh
# process again, while a client keeps sending requests (benchmarks/replacement.py: 2 client threads,
# a new connection per request, 1 ms apart). The app (benchmarks/apps/pid_app.py) answers the pid of
# the worker that served it; "serving again" is the end of the first response whose body is a pid not
# seen before. Servers, same interpreter (Debian's python3), 2 workers each:
#   gunicorn             sync workers; its arbiter forks a new worker, which then imports the app
#   gunicorn --preload   the arbiter imported the app before forking; a new worker has it already
#   starter              the demo app's jar; the JVM starts a new `python -m twod_wsgi.worker`
# gunicorn serves the app inside the ProxyFix that the demo puts around every app it mounts.
#
#   benchmarks/replacement.sh            # 10 kills per server
#   KILLS=20 benchmarks/replacement.sh
set -euo pipefail
cd "$(dirname "$0")/.."

KILLS=${KILLS:-10}
WORKERS=2
PYTHON=/usr/bin/python3
PORT=18086
APPS_DIR=$PWD/benchmarks/apps
LOG_DIR=$(mktemp -d /tmp/twod-wsgi-replacement.XXXXXX)
echo "logs in $LOG_DIR"

if ! command -v curl >/dev/null || ! command -v gunicorn >/dev/null || ! $PYTHON -c "import werkzeug" 2>/dev/null; then
    apt-get update -qq && apt-get install -y -qq curl gunicorn python3-flask >/dev/null
fi
. benchmarks/lib.sh
build_jar

trap 'stop_server; echo "logs in $LOG_DIR"' EXIT

declare -A result
measure() {
    local server=$1 url=$2
    wait_for "$url"
    echo "$server:"
    $PYTHON benchmarks/replacement.py "$url" "$KILLS" "$WORKERS" | tee "$LOG_DIR/replacement-${server// /}.txt" | grep -v ^RESULT
    result[$server]=$(awk '/^RESULT/ { print $2, $3, $4, $5, $6 }' "$LOG_DIR/replacement-${server// /}.txt")
    stop_server
}

for variant in gunicorn "gunicorn --preload"; do
    preload=""; [ "$variant" = "gunicorn --preload" ] && preload=--preload
    $PYTHON -m gunicorn --workers $WORKERS --worker-class sync $preload --bind 127.0.0.1:$PORT \
        --chdir "$APPS_DIR" --log-level info pid_app:app_behind_proxy >"$LOG_DIR/gunicorn$preload.log" 2>&1 &
    server_pid=$!
    measure "$variant" "http://127.0.0.1:$PORT/"
done

java -jar "$JAR" --server.port=$PORT --twod.wsgi.python=$PYTHON --twod.wsgi.access-log=false \
    --twod.wsgi.apps.flask.workers=1 \
    --twod.wsgi.apps.pid.app=pid_app:app --twod.wsgi.apps.pid.python-path="$APPS_DIR" \
    --twod.wsgi.apps.pid.workers=$WORKERS --logging.level.io.github.twodwsgi.worker.WorkerPool=debug \
    >"$LOG_DIR/starter.log" 2>&1 &
server_pid=$!
measure starter "http://127.0.0.1:$PORT/pid/"

echo
echo "$KILLS kills of 1 of $WORKERS workers each, $($PYTHON --version), gunicorn $($PYTHON -c 'import gunicorn; print(gunicorn.__version__)'), $(nproc) cores"
printf "%-20s %10s %10s %10s %8s %9s\n" server "median ms" "max ms" "min ms" errors requests
for server in gunicorn "gunicorn --preload" starter; do
    read -r median max min errors requests <<<"${result[$server]}"
    printf "%-20s %10s %10s %10s %8s %9s\n" "$server" "$median" "$max" "$min" "$errors" "$requests"
done
# From the starter's log: the JVM noticing the death ("starting a replacement") to the new worker's
# READY ("is ready", debug), i.e. starting Python, importing twod_wsgi and the app, the handshake.
awk '{ split(substr($1, 12, 12), t, ":"); now = (t[1] * 3600 + t[2] * 60 + t[3]) * 1000 }
     /WSGI app .pid. was killed.*starting a replacement/ { died = now }
     /Worker [0-9]+ of WSGI app .pid. is ready/ && died { printf "%.0f\n", now - died; died = 0 }' "$LOG_DIR/starter.log" | sort -n >"$LOG_DIR/starter-boot-ms.txt"
echo "starter, from its log: death noticed to the new worker's READY $(awk '{ v[NR] = $1 } END { printf "median %d ms, max %d ms (%d replacements)", v[int((NR + 1) / 2)], v[NR], NR }' "$LOG_DIR/starter-boot-ms.txt")"
echo
for peer in gunicorn "gunicorn --preload"; do
    read -r s_median s_max _ <<<"${result[starter]}"
    read -r g_median g_max _ <<<"${result[$peer]}"
    awk -v p="$peer" -v sm="$s_median" -v gm="$g_median" -v sx="$s_max" -v gx="$g_max" \
        'BEGIN { printf "starter / %-18s median %.1fx, max %.1fx\n", p, sm / gm, sx / gx }'
done
