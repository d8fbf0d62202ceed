#!/usr/bin/env bash
# How long from starting the demo's jar until its Flask app serves its first request, against the
# same JVM and Spring Boot app with twod-wsgi off (until /hello answers): the JVM's and Spring's own
# startup cost, shown apart. Best of 3 runs each (target: Flask ready <= 3 s after JVM start).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=18084
./mvnw -q -B install -DskipTests
JAR=$(ls demo-app/target/demo-app-*.jar | head -n 1)

first_answer() {
    local url=$1
    shift
    local start pid elapsed
    start=$(date +%s%N)
    java -jar "$JAR" --server.port=$PORT "$@" >/dev/null 2>&1 &
    pid=$!
    until curl -fs -o /dev/null "$url"; do sleep 0.01; done
    elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
    kill $pid; wait $pid 2>/dev/null || true
    echo $elapsed
}

best() { sort -n | head -n 1; }
spring=$(for _ in 1 2 3; do first_answer "http://127.0.0.1:$PORT/hello" --twod.wsgi.enabled=false; done | best)
flask=$(for _ in 1 2 3; do first_answer "http://127.0.0.1:$PORT/flask/"; done | best)
echo "Spring Boot alone (twod-wsgi off), first /hello:  ${spring} ms"
echo "with the Flask app (2 workers), first /flask/:    ${flask} ms  (twod-wsgi adds $((flask - spring)) ms)"
