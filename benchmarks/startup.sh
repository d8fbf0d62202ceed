#!/usr/bin/env bash
# How long from starting the demo's jar until its Flask app serves its first request (target:
# <= 3 s), and how much of it is twod-wsgi booting the workers (from its log: "Starting 2 worker(s)"
# to "is ready"); the rest is the JVM's and Spring Boot's own startup. Best of 3 runs.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=18084
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
./mvnw -q -B install -DskipTests
JAR=$(ls demo-app/target/demo-app-*.jar | head -n 1)

millis() { date -d "$1" +%s%3N; }

run() {
    local start pid first boot_start boot_end
    start=$(date +%s%3N)
    java -jar "$JAR" --server.port=$PORT >"$LOG" 2>&1 &
    pid=$!
    until curl -fs -o /dev/null "http://127.0.0.1:$PORT/flask/"; do sleep 0.01; done
    first=$(( $(date +%s%3N) - start ))
    kill $pid; wait $pid 2>/dev/null || true
    boot_start=$(grep -m1 "Starting 2 worker(s) for WSGI app 'flask'" "$LOG" | cut -c1-24)
    boot_end=$(grep -m1 "WSGI app 'flask' is ready" "$LOG" | cut -c1-24)
    echo "$first $(( $(millis "$boot_end") - $(millis "$boot_start") ))"
}

best=""
for _ in 1 2 3; do
    result=$(run)
    if [ -z "$best" ] || [ "${result%% *}" -lt "${best%% *}" ]; then best=$result; fi
done
read -r first boot <<<"$best"
echo "JVM start to the first /flask/ answer: ${first} ms (of which twod-wsgi starting 2 Flask workers: ${boot} ms;"
echo "the JVM and Spring Boot: $((first - boot)) ms)"
