#!/usr/bin/env bash
# Plain-WSGI and Flask hello apps: through the twod-wsgi gateway (the demo app's jar) and under
# gunicorn, same interpreter (Debian's python3), same number of sync workers, one run, loopback only.
# Prints requests/s and p50/p99 latency for each, the server's CPU time and context switches per
# request (all its processes and threads, from /proc: where the cost is on a 2-core machine), and the
# gateway/gunicorn ratios. gunicorn serves the apps wrapped in the ProxyFix middleware that the demo
# app puts around every app it mounts, so both run the same Python per request.
#
#   benchmarks/run.sh                 # 2 workers, wrk -t2 -c16 -d10s after a 10 s warm-up
#   WORKERS=4 DURATION=20s WARMUP=20s benchmarks/run.sh
# The warm-up is the same for both servers; the JVM's JIT needs it, gunicorn does not mind it.
set -euo pipefail
cd "$(dirname "$0")/.."

WORKERS=${WORKERS:-2}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-10s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
PYTHON=/usr/bin/python3
GATEWAY_PORT=18080
GUNICORN_PORT=18081
APPS_DIR=$PWD/benchmarks/apps
LOG_DIR=$(mktemp -d)

if ! command -v wrk >/dev/null || ! command -v gunicorn >/dev/null || ! $PYTHON -c "import flask" 2>/dev/null; then
    apt-get update -qq && apt-get install -y -qq wrk gunicorn python3-flask >/dev/null
fi
. benchmarks/lib.sh
build_jar
trap stop_server EXIT

# Runs wrk against $1 while watching the server's processes ($2: a command printing their pids) and
# prints "requests/s p50-ms p99-ms errors server-cpu-us-per-request context-switches-per-request".
measure() {
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$1" >/dev/null
    local pids before after
    pids=$($2)
    read -r -a before <<<"$(process_usage $pids)"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$1" >"$LOG_DIR/wrk.txt"
    read -r -a after <<<"$(process_usage $pids)"
    local rps p50 p99 errors requests
    read -r rps p50 p99 errors requests <<<"$(wrk_result "$LOG_DIR/wrk.txt")"
    awk -v ticks=$((after[0] - before[0])) -v switches=$((after[1] - before[1])) -v hz="$(getconf CLK_TCK)" \
        -v rps="$rps" -v p50="$p50" -v p99="$p99" -v errors="$errors" -v requests="$requests" \
        'BEGIN { printf "%.0f %.2f %.2f %d %.0f %.1f\n", rps, p50, p99, errors,
                        ticks * 1e6 / hz / requests, switches / requests }'
}

declare -A result

gunicorn_pids() { echo "$server_pid" $(pgrep -P "$server_pid"); }
gateway_pids() { echo "$server_pid" $(pgrep -f "twod_wsgi.worker --name (plain|flask-hello) "); }

# gunicorn, one app at a time, each wrapped in the ProxyFix that the demo app puts around every app
# it mounts: the same Python runs per request on both sides.
for app in plain flask; do
    spec="hello_apps:plain_behind_proxy"; [ "$app" = flask ] && spec="hello_apps:flask_behind_proxy"
    $PYTHON -m gunicorn --workers "$WORKERS" --worker-class sync --bind 127.0.0.1:$GUNICORN_PORT \
        --chdir "$APPS_DIR" --log-level warning "$spec" >"$LOG_DIR/gunicorn-$app.log" 2>&1 &
    server_pid=$!
    wait_for "http://127.0.0.1:$GUNICORN_PORT/"
    result[gunicorn-$app]=$(measure "http://127.0.0.1:$GUNICORN_PORT/" "gunicorn_pids")
    stop_server
done

# The gateway: the demo app's jar with both benchmark apps mounted beside its own, as users run it
# (Spring Security, Actuator with http.server.requests, twod-wsgi's meters, the demo's ProxyFix
# middleware and request-id customizer; the demo turns Spring Security's per-filter observations
# off), and once more with those observations on, as Spring Boot has them by default.
gateway() {
    local variant=$1
    shift
    java -jar "$JAR" --server.port=$GATEWAY_PORT --twod.wsgi.python=$PYTHON --twod.wsgi.access-log=false \
        --twod.wsgi.apps.flask.workers=1 --twod.wsgi.apps.flask.requirements= \
        --twod.wsgi.apps.plain.app=hello_apps:plain --twod.wsgi.apps.plain.python-path="$APPS_DIR" \
        --twod.wsgi.apps.plain.workers="$WORKERS" \
        --twod.wsgi.apps.flask-hello.app=hello_apps:flask_app --twod.wsgi.apps.flask-hello.python-path="$APPS_DIR" \
        --twod.wsgi.apps.flask-hello.workers="$WORKERS" "$@" >"$LOG_DIR/gateway-$variant.log" 2>&1 &
    server_pid=$!
    wait_for "http://127.0.0.1:$GATEWAY_PORT/plain/"
    result[$variant-plain]=$(measure "http://127.0.0.1:$GATEWAY_PORT/plain/" "gateway_pids")
    result[$variant-flask]=$(measure "http://127.0.0.1:$GATEWAY_PORT/flask-hello/" "gateway_pids")
    stop_server
}
gateway gateway
gateway gateway-observed --demo.security-observations=true
# What request and response buffering (on by default) cost a small request: the same, both off.
gateway gateway-unbuffered $(for a in plain flask-hello; do
    echo "--twod.wsgi.apps.$a.request-buffering=false --twod.wsgi.apps.$a.response-buffering=false"; done)

echo
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION after $WARMUP warm-up, $WORKERS sync workers each, $($PYTHON --version), $(nproc) cores"
printf "%-8s %-18s %10s %9s %9s %7s %13s %11s\n" app server "req/s" "p50 ms" "p99 ms" errors "cpu us/req" "cs/req"
for app in plain flask; do
    for server in gunicorn gateway gateway-observed gateway-unbuffered; do
        read -r rps p50 p99 errors cpu switches <<<"${result[$server-$app]}"
        printf "%-8s %-18s %10s %9s %9s %7s %13s %11s\n" "$app" "$server" "$rps" "$p50" "$p99" "$errors" "$cpu" "$switches"
    done
done
echo
for app in plain flask; do
    for variant in gateway gateway-observed gateway-unbuffered; do
        read -r g_rps _ g_p99 _ <<<"${result[gunicorn-$app]}"
        read -r t_rps _ t_p99 _ <<<"${result[$variant-$app]}"
        awk -v app="$app" -v v="$variant" -v t="$t_rps" -v g="$g_rps" -v tp="$t_p99" -v gp="$g_p99" \
            'BEGIN { printf "%-8s %-18s / gunicorn: throughput %.2fx, p99 %.2fx\n", app, v, t / g, tp / gp }'
    done
done
