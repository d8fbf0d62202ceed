#!/usr/bin/env bash
# An I/O-bound app (benchmarks/apps/io_app.py: every request sleeps 20 ms, then answers 12 bytes),
# `wrk -t2 -c32 -d10s --latency` after a 5 s warm-up, same interpreter (Debian's python3):
#   gunicorn gthread   --workers 2 --threads 8: 16 requests at once in 2 processes
#   gunicorn sync      --workers 2: 2 at once
#   starter 2x8        the demo app's jar, --twod.wsgi.apps.io.workers=2, threads=8: 16 at once in 2
#                      processes (each worker thread has its own connection from the JVM)
#   starter 2          the same with 2 workers of 1 thread (the default): 2 at once
#   starter 16         16 workers of 1 thread: 16 at once in 16 processes
# The starter runs with preload (the default): its Python processes are the fork server and the
# workers it forked. At most 16 requests at once, each 20 ms: about 800 requests/s is the ceiling for
# gthread, starter 2x8 and starter 16, 100 for the other two. gunicorn serves the app inside the
# ProxyFix that the demo puts around every app it mounts. Prints requests/s, p50, p99, errors, the
# total PSS of the server's Python processes after the run, how wrk's 32 connections were spread over
# the server's processes (a gthread worker serves only the connections it accepted, at most 8 at
# once, so an uneven split lowers gthread's figure), and the ratios to gunicorn gthread.
#
#   benchmarks/io_bound.sh
#   DURATION=20s WARMUP=10s benchmarks/io_bound.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-5s}
PYTHON=/usr/bin/python3
PORT=18087
APPS_DIR=$PWD/benchmarks/apps
LOG_DIR=$(mktemp -d /tmp/twod-wsgi-io-bound.XXXXXX)
echo "logs in $LOG_DIR"

if ! command -v wrk >/dev/null || ! command -v curl >/dev/null || ! command -v gunicorn >/dev/null \
        || ! $PYTHON -c "import werkzeug" 2>/dev/null; then
    apt-get update -qq && apt-get install -y -qq wrk curl gunicorn python3-flask >/dev/null
fi
. benchmarks/lib.sh
build_jar

trap 'stop_server; echo "logs in $LOG_DIR"' EXIT

# Total PSS in MiB (/proc/<pid>/smaps_rollup) of the pids given.
pss_of() { for pid in "$@"; do cat "/proc/$pid/smaps_rollup"; done | awk '/^Pss:/ { kib += $2 } END { printf "%.0f", kib / 1024 }'; }

# Runs wrk against $1 after the warm-up; prints "requests/s p50-ms p99-ms errors" and then the PSS of
# the Python processes of the server ($3: a command printing their pids) after the run.
measure() {
    local url=$1 name=$2 pids=$3
    wait_for "$url"
    wrk -t2 -c32 -d"$WARMUP" "$url" >"$LOG_DIR/warmup-$name.txt"
    wrk -t2 -c32 -d"$DURATION" --latency "$url" >"$LOG_DIR/wrk-$name.txt" &
    # wrk's 32 connections by the process that holds them, 1 s in: gunicorn's workers each accept
    # their own (a gthread worker serves its connections on its own 8 threads), the starter's JVM
    # holds them all and lends any worker thread to any request.
    sleep 1
    ss -tnp state established "( sport = :$PORT )" | grep -o 'pid=[0-9]*' | sort | uniq -c \
        | awk '{ printf "%s%s", sep, $1; sep = "+" }' >"$LOG_DIR/connections-$name.txt"
    wait $!
    local rps p50 p99 errors requests
    read -r rps p50 p99 errors requests <<<"$(wrk_result "$LOG_DIR/wrk-$name.txt")"
    LC_ALL=C printf "%.0f %.1f %.1f %d " "$rps" "$p50" "$p99" "$errors"
    pss_of $($pids)
    echo " $(cat "$LOG_DIR/connections-$name.txt")"
}
gunicorn_pids() { echo "$server_pid" $(pgrep -P "$server_pid"); }
starter_pids() { starter_processes "$server_pid" io | cut -d: -f2; }

declare -A result
for class in gthread sync; do
    threads=""; [ $class = gthread ] && threads="--threads 8"
    $PYTHON -m gunicorn --workers 2 --worker-class $class $threads --bind 127.0.0.1:$PORT --chdir "$APPS_DIR" \
        --log-level warning io_app:app_behind_proxy >"$LOG_DIR/gunicorn-$class.log" 2>&1 &
    server_pid=$!
    result[gunicorn-$class]=$(measure "http://127.0.0.1:$PORT/" gunicorn-$class gunicorn_pids)
    stop_server
done

for shape in 2x8 2x1 16x1; do
    workers=${shape%x*} threads=${shape#*x}
    name=starter-$workers; [ "$threads" != 1 ] && name=starter-$shape
    java -jar "$JAR" --server.port=$PORT --twod.wsgi.python=$PYTHON --twod.wsgi.access-log=false \
        --twod.wsgi.apps.flask.workers=1 --twod.wsgi.apps.flask.requirements= \
        --twod.wsgi.apps.io.app=io_app:app --twod.wsgi.apps.io.python-path="$APPS_DIR" \
        --twod.wsgi.apps.io.workers=$workers --twod.wsgi.apps.io.threads=$threads >"$LOG_DIR/$name.log" 2>&1 &
    server_pid=$!
    result[$name]=$(measure "http://127.0.0.1:$PORT/io/" $name starter_pids)
    stop_server
done

echo
echo "wrk -t2 -c32 -d$DURATION after $WARMUP warm-up, every request sleeps 20 ms, $($PYTHON --version), gunicorn $($PYTHON -c 'import gunicorn; print(gunicorn.__version__)'), $(nproc) cores"
printf "%-42s %8s %8s %8s %7s %9s %6s   %s\n" server "req/s" "p50 ms" "p99 ms" errors "PSS MiB" conns "/ gunicorn gthread: req/s, p50, p99"
read -r g_rps g_p50 g_p99 _ <<<"${result[gunicorn-gthread]}"
for server in gunicorn-gthread gunicorn-sync starter-2x8 starter-2 starter-16; do
    case $server in
        gunicorn-gthread) label="gunicorn gthread (2 workers x 8 threads)" ;;
        gunicorn-sync) label="gunicorn sync (2 workers)" ;;
        starter-2x8) label="starter (2 workers x 8 threads)" ;;
        starter-2) label="starter (2 workers)" ;;
        starter-16) label="starter (16 workers)" ;;
    esac
    read -r rps p50 p99 errors pss conns <<<"${result[$server]}"
    awk -v l="$label" -v r="$rps" -v a="$p50" -v b="$p99" -v e="$errors" -v m="$pss" -v c="$conns" -v gr="$g_rps" -v ga="$g_p50" -v gb="$g_p99" \
        'BEGIN { printf "%-42s %8d %8.1f %8.1f %7d %9d %6s   %.2fx, %.2fx, %.2fx\n", l, r, a, b, e, m, c, r / gr, a / ga, b / gb }'
done
echo "PSS: all the server's Python processes after the run (gunicorn's arbiter and the starter's fork server included; the starter's JVM not)"
echo "conns: wrk's connections held by each process of the server, 1 s into the run (gunicorn: per worker; the starter: its JVM)"
