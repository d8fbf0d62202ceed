#!/usr/bin/env bash
# Issue #16, an experiment that did not become the product (benchmarks/README.md, "Spinning before a
# read blocks"): what the starter would gain if a request's JVM thread, before its read of the
# worker's answer blocks, kept retrying the read for a while (the socket non-blocking), so that an
# answer arriving within that time is taken without the thread sleeping and being woken.
#
# It builds the demo's jar from this commit with spin-read.patch applied (in a worktree of its own
# under $LOG_DIR: -Dtwod.proto.spin-nanos=N spins for N ns, 0 reads as the product does) and runs
# benchmarks/ab.sh on it with one variant for each of SPINS: plain Spring Boot with the plain and
# Flask hello apps, 2 workers each, the variants taking turns ROUNDS times. Each JVM's log says how
# many reads the spinning answered and how many still blocked.
#
#   benchmarks/experiments/spin-read/run.sh                  # SPINS="0 10000 40000", 2 rounds, 16 connections
#   CONNECTIONS=64 SPINS="0 20000" benchmarks/experiments/spin-read/run.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."
SPINS=${SPINS:-0 10000 40000}
HERE=$PWD/benchmarks/experiments/spin-read
LOG_DIR=$(mktemp -d)
. benchmarks/lib.sh
require_free_ports 18103

cleanup() {
    set +e
    [ ! -d "$LOG_DIR/tree" ] || git worktree remove --force "$LOG_DIR/tree"
}
trap cleanup EXIT
git worktree add -q --detach "$LOG_DIR/tree" HEAD
(cd "$LOG_DIR/tree" && git apply "$HERE/spin-read.patch" && ./mvnw -q -B -o package -DskipTests)
JAR=$(ls "$LOG_DIR"/tree/demo-app/target/demo-app-*.jar | head -n 1)

variants=()
for spin in $SPINS; do variants+=("-Dtwod.proto.spin-nanos=$spin"); done
echo "the jar: $(git rev-parse --short HEAD) + spin-read.patch"
JAR=$JAR LOG_DIR=$LOG_DIR benchmarks/ab.sh "${variants[@]}"
grep -H '^spin-read:' "$LOG_DIR"/jvm-*.log || true
