#!/usr/bin/env bash
# Issue #16, an experiment that did not become the product (benchmarks/README.md, "A shared accept
# queue"): what the starter would gain if, as gunicorn's sync workers behind nginx, its workers took
# each request from one listening socket of their app (a connection per request, accepted by
# whichever worker is free) instead of the JVM lending a worker's own connection to each request.
# Fewer wake-ups per request (the JVM thread waits once, in its read; a busy worker finds the next
# connection in the backlog and does not sleep), against a connect, accept and close per request.
#
# It builds the demo's jar from this commit with shared-accept.patch applied (in a worktree of its
# own under $LOG_DIR: the prototype sends the requests of an app named in -Dtwod.proto.shared.<app>
# to that socket, nothing else), starts shared_workers.py (2 forked sync workers per app, the
# starter's own Handler and framing) for the plain and Flask hello apps, and serves, in ONE JVM, a
# plain Spring Boot app (peers.sh's starter-plain) with four mounts: /plain/ and /flask-hello/ on the
# starter's workers (2 each), /plainshared/ and /flaskshared/ on the shared-accept workers. wrk
# alternates between the four, ROUNDS times; CPU and context switches are the whole server's (JVM,
# its workers and the shared-accept workers) during each run.
#
#   benchmarks/experiments/shared-accept/run.sh             # wrk -t2 -c16, 2 rounds of 8 s each
#   CONNECTIONS=64 ROUNDS=3 benchmarks/experiments/shared-accept/run.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."
CONNECTIONS=${CONNECTIONS:-16}
DURATION=${DURATION:-8s}
ROUNDS=${ROUNDS:-2}
PORT=18103
PYTHON=/usr/bin/python3
HERE=$PWD/benchmarks/experiments/shared-accept
APPS_DIR=$PWD/benchmarks/apps
LOG_DIR=$(mktemp -d)
. benchmarks/lib.sh
require_free_ports "$PORT"

# Whatever fails, everything started is stopped and the worktree removed (set +e: under set -e the
# first failing command would end the trap).
cleanup() {
    set +e
    [ ${#pids[@]} -eq 0 ] || kill "${pids[@]}" 2>/dev/null
    wait
    [ ! -d "$LOG_DIR/tree" ] || git worktree remove --force "$LOG_DIR/tree"
    echo "logs: $LOG_DIR"
}
trap cleanup EXIT
# The prototype's jar, from a worktree of this commit with the patch.
git worktree add -q --detach "$LOG_DIR/tree" HEAD
(cd "$LOG_DIR/tree" && git apply "$HERE/shared-accept.patch" && ./mvnw -q -B -o package -DskipTests)
JAR=$(ls "$LOG_DIR"/tree/demo-app/target/demo-app-*.jar | head -n 1)
plain_spring_boot "$JAR" "$LOG_DIR"

PY=$LOG_DIR/tree/twod-wsgi-autoconfigure/src/main/resources/io/github/twodwsgi/python
$PYTHON "$HERE/shared_workers.py" "$LOG_DIR/plain.sock" 2 hello_apps:plain_behind_proxy "$PY" "$APPS_DIR" \
    >"$LOG_DIR/shared-plain.log" 2>&1 &
pids+=($!)
$PYTHON "$HERE/shared_workers.py" "$LOG_DIR/flask.sock" 2 hello_apps:flask_behind_proxy "$PY" "$APPS_DIR" \
    >"$LOG_DIR/shared-flask.log" 2>&1 &
pids+=($!)

mounts=()
for mount in plain flask-hello plainshared flaskshared; do
    case $mount in plain*) spec=hello_apps:plain ;; *) spec=hello_apps:flask_app ;; esac
    # The shared mounts' own workers stay idle (their requests go to the shared socket).
    case $mount in *shared) workers=1 ;; *) workers=2 ;; esac
    mounts+=("--twod.wsgi.apps.$mount.app=$spec" "--twod.wsgi.apps.$mount.python-path=$APPS_DIR"
        "--twod.wsgi.apps.$mount.workers=$workers")
done
java -Dtwod.proto.shared.plainshared="$LOG_DIR/plain.sock" -Dtwod.proto.shared.flaskshared="$LOG_DIR/flask.sock" \
    "${PLAIN_SPRING_BOOT[@]}" --server.port=$PORT \
    --twod.wsgi.python=$PYTHON --twod.wsgi.apps.flask.workers=1 --twod.wsgi.apps.flask.requirements= \
    "${mounts[@]}" >"$LOG_DIR/jvm.log" 2>&1 &
pids+=($!)
jvm=$!
for mount in plain flask-hello plainshared flaskshared; do
    for _ in $(seq 1 600); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/$mount/" && break; sleep 0.1; done
    [ "$(curl -fs "http://127.0.0.1:$PORT/$mount/")" = "Hello, World!" ] \
        || { echo "/$mount/ does not answer Hello, World!; logs in $LOG_DIR" >&2; exit 1; }
done

server_pids() { echo "$jvm" "${pids[0]}" "${pids[1]}"; descendants "$jvm"; descendants "${pids[0]}"; descendants "${pids[1]}"; }
for mount in plain plainshared flask-hello flaskshared; do
    wrk -t2 -c"$CONNECTIONS" -d10s "http://127.0.0.1:$PORT/$mount/" >/dev/null
done
echo "$(git rev-parse --short HEAD) + shared-accept.patch, $(date -u '+%F %H:%M'); wrk -t2 -c$CONNECTIONS -d$DURATION," \
    "2 workers per app, $($PYTHON --version), $(nproc) cores"
printf "%-6s %-12s %8s %8s %8s %6s %6s\n" round mount "req/s" "p99 ms" errors "us/req" "cs/req"
for round in $(seq 1 "$ROUNDS"); do
    for mount in plain plainshared flask-hello flaskshared; do
        read -r t0 c0 <<<"$(process_usage $(server_pids))"
        wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$PORT/$mount/" >"$LOG_DIR/wrk.txt"
        read -r t1 c1 <<<"$(process_usage $(server_pids))"
        read -r rps _ p99 errors requests <<<"$(wrk_result "$LOG_DIR/wrk.txt")"
        awk -v r="$round" -v m="$mount" -v rps="$rps" -v p99="$p99" -v e="$errors" -v t=$((t1 - t0)) \
            -v c=$((c1 - c0)) -v n="$requests" -v hz="$(getconf CLK_TCK)" \
            'BEGIN { printf "%-6s %-12s %8.0f %8.2f %8d %6.0f %6.1f\n", r, m, rps, p99, e, t * 1e6 / hz / n, c / n }'
    done
done
