#!/usr/bin/env bash
# 1 GiB up and 1 GiB down through a mounted app (the demo's jar with benchmarks/apps/bulk_app.py at
# /bulk), on loopback: the JVM runs with a 128 MiB heap, and the script samples the JVM's used heap
# (jcmd GC.heap_info) and the worker's resident memory (/proc) every 200 ms, then prints how much
# each grew at its peak over its level before the transfer (target: < 64 MiB each).
#
#   benchmarks/memory.sh            # 1 GiB each way;  SIZE_MB=256 benchmarks/memory.sh for a quick run
#   benchmarks/memory.sh --twod.wsgi.apps.bulk.request-buffering=false   # extra arguments go to the app
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE_MB=${SIZE_MB:-1024}
PORT=18083
APPS_DIR=$PWD/benchmarks/apps
WORK=$(mktemp -d)
trap 'kill $JVM 2>/dev/null || true; rm -rf "$WORK"' EXIT

./mvnw -q -B install -DskipTests
JAR=$(ls demo-app/target/demo-app-*.jar | head -n 1)
head -c "${SIZE_MB}M" /dev/zero >"$WORK/upload.bin"

java -Xmx128m -jar "$JAR" --server.port=$PORT --twod.wsgi.access-log=false --twod.wsgi.apps.flask.requirements= \
    --twod.wsgi.apps.bulk.app=bulk_app:app --twod.wsgi.apps.bulk.python-path="$APPS_DIR" \
    --twod.wsgi.apps.bulk.workers=1 --twod.wsgi.apps.bulk.max-body-size=-1 \
    --twod.wsgi.apps.bulk.request-timeout=600s "$@" >"$WORK/jvm.log" 2>&1 &
JVM=$!
for _ in $(seq 1 300); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/bulk/source?size=1" && break; sleep 0.1; done
WORKER=$(pgrep -f "name bulk" | head -n 1)

heap_used() { jcmd "$JVM" GC.heap_info 2>/dev/null | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { sub("K,?", "", $(i+1)); print $(i+1); exit } }'; }
rss() { awk '/VmRSS/ { print $2 }' "/proc/$WORKER/status"; }

measure() {
    local name=$1
    shift
    jcmd "$JVM" GC.run >/dev/null
    local heap0 rss0 heap_peak rss_peak start elapsed
    heap0=$(heap_used); rss0=$(rss); heap_peak=$heap0; rss_peak=$rss0
    start=$(date +%s.%N)
    "$@" &
    local transfer=$!
    while kill -0 $transfer 2>/dev/null; do
        h=$(heap_used); r=$(rss)
        [ -n "$h" ] && [ "$h" -gt "$heap_peak" ] && heap_peak=$h
        [ -n "$r" ] && [ "$r" -gt "$rss_peak" ] && rss_peak=$r
        sleep 0.2
    done
    wait $transfer
    elapsed=$(echo "$(date +%s.%N) - $start" | bc)
    printf "%-9s %6d MiB in %6.1f s (%6.0f MiB/s)   JVM heap +%5d MiB at peak   worker RSS +%5d MiB at peak\n" \
        "$name" "$SIZE_MB" "$elapsed" "$(echo "$SIZE_MB / $elapsed" | bc -l)" \
        $(( (heap_peak - heap0) / 1024 )) $(( (rss_peak - rss0) / 1024 ))
}

echo "JVM -Xmx128m; $(java -version 2>&1 | head -n 1); $(python3 --version); arguments: ${*:-none}"
measure upload curl -fs -o "$WORK/upload.out" -H "Content-Type: application/octet-stream" \
    -T "$WORK/upload.bin" -X POST "http://127.0.0.1:$PORT/bulk/sink"
[ "$(cat "$WORK/upload.out")" = "$((SIZE_MB * 1024 * 1024))" ] || { echo "upload: wrong byte count"; exit 1; }
measure download curl -fs -o /dev/null "http://127.0.0.1:$PORT/bulk/source?size=$((SIZE_MB * 1024 * 1024))"
