#!/usr/bin/env bash
# A/B of settings for the starter on plain Spring Boot (peers.sh's starter-plain): each variant is a
# set of java arguments (JVM options and Spring properties, as -D or --), started in a JVM of its own,
# the variants taking turns ROUNDS times so that the machine's drift falls on all of them alike. Each
# JVM mounts the plain and Flask hello apps (benchmarks/apps/hello_apps.py, WORKERS each), serves each
# for JVM_WARMUP, then measures each with wrk: requests/s, p99, CPU per request of the JVM and of its
# Python workers (from /proc), context switches per request (both, all threads).
#
#   benchmarks/ab.sh "" "--server.tomcat.threads.max=8"            # the default against a setting
#   ROUNDS=3 CONNECTIONS=64 benchmarks/ab.sh "" "--server.tomcat.threads.max=4" "-XX:+UseParallelGC"
#   JAR=/path/to/other.jar benchmarks/ab.sh "" ...                   # another build (default: this tree's)
# (An empty variant is the defaults; a variant's words are split on spaces, and those that start
# with -- go to Spring Boot, the others, -D and -X options, to the JVM: a JVM option that starts with
# -- itself, such as --add-opens, cannot be given. The variants take turns in reverse order in
# even rounds, so that a drift within a round does not always fall on the same one.)
set -euo pipefail
# Paths given relative to where the script was started, before it moves to the repository.
[ -z "${JAR:-}" ] || JAR=$(realpath "$JAR")
[ -z "${LOG_DIR:-}" ] || LOG_DIR=$(realpath "$LOG_DIR")
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: benchmarks/ab.sh VARIANT [VARIANT...] (each: java arguments, \"\" for none)" >&2; exit 1; }
ROUNDS=${ROUNDS:-2}
CONNECTIONS=${CONNECTIONS:-16}
DURATION=${DURATION:-10s}
JVM_WARMUP=${JVM_WARMUP:-10s}
WORKERS=${WORKERS:-2}
PORT=18103
PYTHON=/usr/bin/python3
APPS_DIR=$PWD/benchmarks/apps
LOG_DIR=${LOG_DIR:-$(mktemp -d)}
. benchmarks/lib.sh
require_free_ports "$PORT"
trap 'stop_all; echo "logs: $LOG_DIR"' EXIT
[ -n "${JAR:-}" ] || { build_jar; JAR=$PWD/$JAR; }
plain_spring_boot "$JAR" "$LOG_DIR"

declare -A SPEC=([plain]=hello_apps:plain [flask-hello]=hello_apps:flask_app)
mounts=()
for mount in plain flask-hello; do
    mounts+=("--twod.wsgi.apps.$mount.app=${SPEC[$mount]}" "--twod.wsgi.apps.$mount.python-path=$APPS_DIR"
        "--twod.wsgi.apps.$mount.workers=$WORKERS")
done

echo "$(git rev-parse --short HEAD), $(date -u '+%F %H:%M'); $(basename "$JAR"); wrk -t2 -c$CONNECTIONS -d$DURATION" \
    "after $JVM_WARMUP per app; $WORKERS workers per app, $($PYTHON --version), $(nproc) cores"
for i in $(seq 1 $#); do echo "variant $i: ${!i:-(defaults)}"; done
printf "%-6s %-8s %-12s %8s %8s %6s %6s %7s\n" round variant mount "req/s" "p99 ms" jvm python "cs/req"
for round in $(seq 1 "$ROUNDS"); do
    order=$(seq 1 $#)
    [ $((round % 2)) -eq 1 ] || order=$(seq $# -1 1)
    for i in $order; do
        jvm_options=()
        spring_arguments=()
        read -r -a words <<<"${!i}"
        for word in "${words[@]}"; do
            case $word in
                --*) spring_arguments+=("$word") ;;
                *) jvm_options+=("$word") ;;
            esac
        done
        java "${jvm_options[@]}" "${PLAIN_SPRING_BOOT[@]}" --server.port=$PORT --twod.wsgi.python=$PYTHON \
            --twod.wsgi.apps.flask.workers=1 --twod.wsgi.apps.flask.requirements= "${mounts[@]}" \
            "${spring_arguments[@]}" >"$LOG_DIR/jvm-$round-$i.log" 2>&1 &
        pids+=($!)
        jvm=$!
        for mount in plain flask-hello; do
            wait_for "http://127.0.0.1:$PORT/$mount/"
            [ "$(curl -fs "http://127.0.0.1:$PORT/$mount/")" = "Hello, World!" ] \
                || { echo "/$mount/ does not answer Hello, World!; logs in $LOG_DIR" >&2; exit 1; }
            wrk -t2 -c"$CONNECTIONS" -d"$JVM_WARMUP" "http://127.0.0.1:$PORT/$mount/" >/dev/null
        done
        for mount in plain flask-hello; do
            workers=$(descendants "$jvm")
            read -r j0 c0 <<<"$(process_usage "$jvm")"
            read -r p0 d0 <<<"$(process_usage $workers)"
            wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$PORT/$mount/" >"$LOG_DIR/wrk.txt"
            read -r j1 c1 <<<"$(process_usage "$jvm")"
            read -r p1 d1 <<<"$(process_usage $workers)"
            read -r rps _ p99 errors requests <<<"$(wrk_result "$LOG_DIR/wrk.txt")"
            [ "$requests" -gt 0 ] || { echo "/$mount/: wrk completed no request; logs in $LOG_DIR" >&2; exit 1; }
            [ "$errors" -eq 0 ] || echo "($errors errors in the next row: non-2xx answers or socket errors)"
            awk -v r="$round" -v v="$i" -v m="$mount" -v rps="$rps" -v p99="$p99" -v j=$((j1 - j0)) \
                -v p=$((p1 - p0)) -v c=$((c1 - c0 + d1 - d0)) -v n="$requests" -v hz="$(getconf CLK_TCK)" \
                'BEGIN { printf "%-6s %-8s %-12s %8.0f %8.2f %6.0f %6.0f %7.2f\n", r, v, m, rps, p99,
                         j * 1e6 / hz / n, p * 1e6 / hz / n, c / n }'
        done
        stop_all
    done
done
