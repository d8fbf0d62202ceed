#!/usr/bin/env bash
# Plain-WSGI and Flask hello apps: through the twod-wsgi gateway (the demo app's jar) and under
# gunicorn, same interpreter (Debian's python3), same number of sync workers, one run, loopback only.
# Prints requests/s and p50/p99 latency for each, and the gateway/gunicorn ratios.
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
./mvnw -q -B install -DskipTests
JAR=$(ls demo-app/target/demo-app-*.jar | head -n 1)

server_pid=""
stop_server() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
        server_pid=""
    fi
}
trap stop_server EXIT

wait_for() {
    for _ in $(seq 1 300); do
        if curl -fs -o /dev/null "$1"; then return 0; fi
        sleep 0.1
    done
    echo "no answer from $1; logs in $LOG_DIR" >&2
    exit 1
}

# Runs wrk against $1 and prints "requests/s p50-ms p99-ms errors".
measure() {
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$1" >/dev/null
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$1" | awk '
        function ms(value) {
            if (value ~ /us$/) return substr(value, 1, length(value) - 2) / 1000
            if (value ~ /ms$/) return substr(value, 1, length(value) - 2) + 0
            if (value ~ /s$/) return substr(value, 1, length(value) - 1) * 1000
            return value
        }
        /^ +50%/ { p50 = ms($2) }
        /^ +99%/ { p99 = ms($2) }
        /^Requests\/sec:/ { rps = $2 }
        /Non-2xx or 3xx responses:/ { errors += $NF }
        /Socket errors:/ { errors += $4 + $6 + $8 + $10 }
        END { printf "%.0f %.2f %.2f %d\n", rps, p50, p99, errors }'
}

declare -A result

# gunicorn, one app at a time.
for app in plain flask; do
    spec="hello_apps:plain"; [ "$app" = flask ] && spec="hello_apps:flask_app"
    $PYTHON -m gunicorn --workers "$WORKERS" --worker-class sync --bind 127.0.0.1:$GUNICORN_PORT \
        --chdir "$APPS_DIR" --log-level warning "$spec" >"$LOG_DIR/gunicorn-$app.log" 2>&1 &
    server_pid=$!
    wait_for "http://127.0.0.1:$GUNICORN_PORT/"
    result[gunicorn-$app]=$(measure "http://127.0.0.1:$GUNICORN_PORT/")
    stop_server
done

# The gateway: the demo app's jar with both benchmark apps mounted beside its own, as users run it
# (Spring Security, Actuator, the demo's ProxyFix middleware and request-id customizer all on), once
# as shipped and once with Spring's own per-request observations off (its filter-chain and
# http.server.requests observations; twod-wsgi's own meters stay on).
gateway() {
    local variant=$1
    shift
    java -jar "$JAR" --server.port=$GATEWAY_PORT --twod.wsgi.python=$PYTHON --twod.wsgi.access-log=false \
        --twod.wsgi.apps.flask.workers=1 \
        --twod.wsgi.apps.plain.app=hello_apps:plain --twod.wsgi.apps.plain.python-path="$APPS_DIR" \
        --twod.wsgi.apps.plain.workers="$WORKERS" \
        --twod.wsgi.apps.flask-hello.app=hello_apps:flask_app --twod.wsgi.apps.flask-hello.python-path="$APPS_DIR" \
        --twod.wsgi.apps.flask-hello.workers="$WORKERS" "$@" >"$LOG_DIR/gateway-$variant.log" 2>&1 &
    server_pid=$!
    wait_for "http://127.0.0.1:$GATEWAY_PORT/plain/"
    result[$variant-plain]=$(measure "http://127.0.0.1:$GATEWAY_PORT/plain/")
    result[$variant-flask]=$(measure "http://127.0.0.1:$GATEWAY_PORT/flask-hello/")
    stop_server
}
gateway gateway
gateway gateway-lean --management.observations.enable.spring.security=false \
    --management.observations.enable.http.server.requests=false

echo
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION after $WARMUP warm-up, $WORKERS sync workers each, $($PYTHON --version), $(nproc) cores"
printf "%-8s %-13s %10s %9s %9s %7s\n" app server "req/s" "p50 ms" "p99 ms" errors
for app in plain flask; do
    for server in gunicorn gateway gateway-lean; do
        read -r rps p50 p99 errors <<<"${result[$server-$app]}"
        printf "%-8s %-13s %10s %9s %9s %7s\n" "$app" "$server" "$rps" "$p50" "$p99" "$errors"
    done
done
echo
for app in plain flask; do
    for variant in gateway gateway-lean; do
        read -r g_rps _ g_p99 _ <<<"${result[gunicorn-$app]}"
        read -r t_rps _ t_p99 _ <<<"${result[$variant-$app]}"
        awk -v app="$app" -v v="$variant" -v t="$t_rps" -v g="$g_rps" -v tp="$t_p99" -v gp="$g_p99" \
            'BEGIN { printf "%-8s %-13s / gunicorn: throughput %.2fx, p99 %.2fx\n", app, v, t / g, tp / gp }'
    done
done
