#!/usr/bin/env bash
# How long from starting the demo until its Flask app serves its first request (target: <= 3 s),
# and how much of that is twod-wsgi booting the workers (from its log: "Starting 2 worker(s)" to
# "is ready"); the rest is the JVM's and Spring Boot's own startup. Two ways of running the same app:
#   jar  java -jar demo-app.jar
#   cds  the jar extracted (java -Djarmode=tools ... extract) with a CDS archive from a training run,
#        as Spring Boot recommends for production (-XX:SharedArchiveFile)
# Best of 3 runs each.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=18084
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
./mvnw -q -B install -DskipTests
JAR=$(ls demo-app/target/demo-app-*.jar | head -n 1)

millis() { date -d "$1" +%s%3N; }

run() {
    local start pid first boot_start boot_end
    start=$(date +%s%3N)
    java "$@" --server.port=$PORT >"$WORK/run.log" 2>&1 &
    pid=$!
    until curl -fs -o /dev/null "http://127.0.0.1:$PORT/flask/"; do sleep 0.01; done
    first=$(( $(date +%s%3N) - start ))
    kill $pid; wait $pid 2>/dev/null || true
    boot_start=$(grep -m1 "Starting 2 worker(s) for WSGI app 'flask'" "$WORK/run.log" | cut -c1-24)
    boot_end=$(grep -m1 "WSGI app 'flask' is ready" "$WORK/run.log" | cut -c1-24)
    echo "$first $(( $(millis "$boot_end") - $(millis "$boot_start") ))"
}

best_of_3() {
    local best="" result
    for _ in 1 2 3; do
        result=$(run "$@")
        if [ -z "$best" ] || [ "${result%% *}" -lt "${best%% *}" ]; then best=$result; fi
    done
    echo "$best"
}

report() {
    read -r first boot <<<"$2"
    printf "%-4s first /flask/ answer %5d ms after JVM start: workers %4d ms, JVM and Spring Boot %5d ms\n" \
        "$1" "$first" "$boot" "$((first - boot))"
}

report jar "$(best_of_3 -jar "$JAR")"
java -Djarmode=tools -jar "$JAR" extract --destination "$WORK/app" >/dev/null
EXTRACTED="$WORK/app/$(basename "$JAR")"
java -XX:ArchiveClassesAtExit="$WORK/app.jsa" -Dspring.context.exit=onRefresh -jar "$EXTRACTED" \
    --server.port=$PORT >/dev/null 2>&1
report cds "$(best_of_3 -XX:SharedArchiveFile="$WORK/app.jsa" -Xlog:cds=off -jar "$EXTRACTED")"
