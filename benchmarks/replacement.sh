#!/usr/bin/env bash
# Worker replacement: how long after a `kill -9` of one of 2 workers the pool serves with a fresh
# process again, while a client keeps sending requests (benchmarks/replacement.py: 2 client threads,
# a new connection per request, 1 ms apart). The app (benchmarks/apps/pid_app.py) answers the pid of
# the worker that served it; "serving again" is the end of the first response whose body is a pid not
# seen before. Servers, same interpreter (Debian's python3), 2 workers each:
#   gunicorn             sync workers; its arbiter forks a new worker, which then imports the app
#   gunicorn --preload   the arbiter imported the app before forking; a new worker has it already
#   starter, preload     the demo app's jar (preload=true, the default): the app's fork server, which
#                        imported the app once, forks the new worker
#   starter, no preload  the same with preload=false: the JVM starts a new `python -m twod_wsgi.worker`,
#                        which imports the app
# gunicorn serves the app inside the ProxyFix that the demo puts around every app it mounts. For the
# starter it also prints, from its log, the time from the kill to the fresh worker's READY (the rest of
# "served after" is the pool lending that worker its first request); a kill slower than 50 ms lists
# the responses the client got meanwhile.
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
    $PYTHON benchmarks/replacement.py "$url" "$KILLS" "$WORKERS" | tee "$LOG_DIR/replacement-${server//[ ,-]/}.txt" | grep -v ^RESULT
    result[$server]=$(awk '/^RESULT/ { print $2, $3, $4, $5, $6 }' "$LOG_DIR/replacement-${server//[ ,-]/}.txt")
    stop_server
}

for variant in gunicorn "gunicorn --preload"; do
    preload=""; [ "$variant" = "gunicorn --preload" ] && preload=--preload
    $PYTHON -m gunicorn --workers $WORKERS --worker-class sync $preload --bind 127.0.0.1:$PORT \
        --chdir "$APPS_DIR" --log-level info pid_app:app_behind_proxy >"$LOG_DIR/gunicorn$preload.log" 2>&1 &
    server_pid=$!
    measure "$variant" "http://127.0.0.1:$PORT/"
done

for preload in true false; do
    variant="starter, preload"; [ $preload = false ] && variant="starter, no preload"
    java -jar "$JAR" --server.port=$PORT --twod.wsgi.python=$PYTHON --twod.wsgi.access-log=false \
        --twod.wsgi.apps.flask.workers=1 --twod.wsgi.apps.flask.requirements= \
        --twod.wsgi.apps.pid.app=pid_app:app --twod.wsgi.apps.pid.python-path="$APPS_DIR" \
        --twod.wsgi.apps.pid.workers=$WORKERS --twod.wsgi.apps.pid.preload=$preload \
        --logging.level.io.github.twodwsgi.worker.WorkerPool=debug \
        >"$LOG_DIR/starter-preload-$preload.log" 2>&1 &
    server_pid=$!
    measure "$variant" "http://127.0.0.1:$PORT/pid/"
done

echo
echo "$KILLS kills of 1 of $WORKERS workers each, $($PYTHON --version), gunicorn $($PYTHON -c 'import gunicorn; print(gunicorn.__version__)'), $(nproc) cores"
printf "%-20s %10s %10s %10s %8s %9s\n" server "median ms" "max ms" "min ms" errors requests
for server in gunicorn "gunicorn --preload" "starter, preload" "starter, no preload"; do
    read -r median max min errors requests <<<"${result[$server]}"
    printf "%-20s %10s %10s %10s %8s %9s\n" "$server" "$median" "$max" "$min" "$errors" "$requests"
done
# From the starter's log (replacement.py breakdown): the kill to the new worker's READY ("is ready",
# debug): forking (preload) or starting Python and importing twod_wsgi and the app (no preload), then
# the handshake. The rest of "served after" is the pool lending the fresh worker its first request.
for preload in true false; do
    server="starter, preload"; [ $preload = false ] && server="starter, no preload"
    $PYTHON benchmarks/replacement.py breakdown "$LOG_DIR/replacement-${server//[ ,-]/}.txt" \
        "$LOG_DIR/starter-preload-$preload.log" pid >"$LOG_DIR/breakdown-preload-$preload.txt"
    echo "$server, from its log: $(tail -n 1 "$LOG_DIR/breakdown-preload-$preload.txt")"
done
echo
for starter in "starter, preload" "starter, no preload"; do
    for peer in gunicorn "gunicorn --preload"; do
        read -r s_median s_max _ <<<"${result[$starter]}"
        read -r g_median g_max _ <<<"${result[$peer]}"
        awk -v s="$starter" -v p="$peer" -v sm="$s_median" -v gm="$g_median" -v sx="$s_max" -v gx="$g_max" \
            'BEGIN { printf "%-19s / %-18s median %.2fx, max %.2fx\n", s, p, sm / gm, sx / gx }'
    done
done
