#!/usr/bin/env bash
# Issue #16, an experiment that did not become the product (benchmarks/README.md, "Spinning before a
# read blocks"): what the starter would gain if a request's JVM thread, before its read of the
# worker's answer blocks, kept retrying the read for a while (the socket non-blocking), so that an
# answer arriving within that time is taken without the thread sleeping and being woken.
#
# It builds the demo's jar from this commit with spin-read.patch applied (in a worktree of its own
# under $LOG_DIR: -Dtwod.proto.spin-nanos=N spins for N ns, 0 reads as the product does), then, ROUNDS
# times, for each of SPINS, starts plain Spring Boot (peers.sh's starter-plain) with the plain and
# Flask hello apps (2 workers each), serves each app for 10 s, then measures it with wrk: requests/s,
# p99, CPU per request of the JVM and of its Python workers, and their context switches per request.
# The JVM's log says how many reads the spinning answered and how many still blocked.
#
#   benchmarks/experiments/spin-read/run.sh                  # SPINS="0 10000 40000", 2 rounds, 16 connections
#   CONNECTIONS=64 SPINS="0 20000" benchmarks/experiments/spin-read/run.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."
CONNECTIONS=${CONNECTIONS:-16}
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-2}
SPINS=${SPINS:-0 10000 40000}
PORT=18103
PYTHON=/usr/bin/python3
HERE=$PWD/benchmarks/experiments/spin-read
APPS_DIR=$PWD/benchmarks/apps
LOG_DIR=$(mktemp -d)
. benchmarks/lib.sh
require_free_ports "$PORT"

cleanup() {
    set +e
    stop_all
    [ ! -d "$LOG_DIR/tree" ] || git worktree remove --force "$LOG_DIR/tree"
    echo "logs: $LOG_DIR"
}
trap cleanup EXIT
git worktree add -q --detach "$LOG_DIR/tree" HEAD
(cd "$LOG_DIR/tree" && git apply "$HERE/spin-read.patch" && ./mvnw -q -B -o package -DskipTests)
JAR=$(ls "$LOG_DIR"/tree/demo-app/target/demo-app-*.jar | head -n 1)
plain_spring_boot "$JAR" "$LOG_DIR"

declare -A SPEC=([plain]=hello_apps:plain [flask-hello]=hello_apps:flask_app)
mounts=()
for mount in plain flask-hello; do
    mounts+=("--twod.wsgi.apps.$mount.app=${SPEC[$mount]}" "--twod.wsgi.apps.$mount.python-path=$APPS_DIR"
        "--twod.wsgi.apps.$mount.workers=2")
done

echo "$(git rev-parse --short HEAD) + spin-read.patch, $(date -u '+%F %H:%M'); wrk -t2 -c$CONNECTIONS -d$DURATION" \
    "after 10 s per app, 2 workers per app, $($PYTHON --version), $(nproc) cores"
printf "%-6s %-9s %-12s %8s %8s %6s %6s %6s\n" round spin-ns mount "req/s" "p99 ms" jvm python "cs/req"
for round in $(seq 1 "$ROUNDS"); do
    for spin in $SPINS; do
        java -Dtwod.proto.spin-nanos="$spin" "${PLAIN_SPRING_BOOT[@]}" --server.port=$PORT \
            --twod.wsgi.python=$PYTHON --twod.wsgi.apps.flask.workers=1 --twod.wsgi.apps.flask.requirements= \
            "${mounts[@]}" >"$LOG_DIR/jvm-$round-$spin.log" 2>&1 &
        pids+=($!)
        jvm=$!
        for mount in plain flask-hello; do
            wait_for "http://127.0.0.1:$PORT/$mount/"
            [ "$(curl -fs "http://127.0.0.1:$PORT/$mount/")" = "Hello, World!" ] \
                || { echo "/$mount/ does not answer Hello, World!; logs in $LOG_DIR" >&2; exit 1; }
            wrk -t2 -c"$CONNECTIONS" -d10s "http://127.0.0.1:$PORT/$mount/" >/dev/null
        done
        for mount in plain flask-hello; do
            workers=$(descendants "$jvm")
            read -r j0 c0 <<<"$(process_usage "$jvm")"
            read -r p0 d0 <<<"$(process_usage $workers)"
            wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$PORT/$mount/" >"$LOG_DIR/wrk.txt"
            read -r j1 c1 <<<"$(process_usage "$jvm")"
            read -r p1 d1 <<<"$(process_usage $workers)"
            read -r rps _ p99 errors requests <<<"$(wrk_result "$LOG_DIR/wrk.txt")"
            [ "$errors" -eq 0 ] || echo "($errors errors in the next row)"
            awk -v r="$round" -v s="$spin" -v m="$mount" -v rps="$rps" -v p99="$p99" -v j=$((j1 - j0)) \
                -v p=$((p1 - p0)) -v c=$((c1 - c0 + d1 - d0)) -v n="$requests" -v hz="$(getconf CLK_TCK)" \
                'BEGIN { printf "%-6s %-9s %-12s %8.0f %8.2f %6.0f %6.0f %6.2f\n", r, s, m, rps, p99,
                         j * 1e6 / hz / n, p * 1e6 / hz / n, c / n }'
        done
        stop_all
        grep -h '^spin-read:' "$LOG_DIR/jvm-$round-$spin.log" || true
    done
done
