#!/usr/bin/env bash
# How long from starting the demo until its Flask app serves its first request (target: <= 3 s),
# and how much of that is twod-wsgi booting the workers (from its log: "Starting 2 worker(s)" to
# "is ready"); the rest is the JVM's and Spring Boot's own startup. Ways of running the same app:
#   jar    java -jar demo-app.jar, python3's own Flask (requirements empty)
#   cds    the jar extracted (java -Djarmode=tools ... extract) with a CDS archive from a training run,
#          as Spring Boot recommends for production (-XX:SharedArchiveFile); python3's own Flask
#   venv   java -jar, Flask from the demo's requirements.txt in a virtual environment that an earlier
#          start built (the cache warm, as in an image built with twod.wsgi.prepare-only): the same
#          python3 behind it, so venv - jar is what an environment adds (target: < 100 ms)
#   cold   java -jar with an empty cache: venv and pip install first (pip as configured, pip.conf and
#          PIP_* apply), and the build's own time from the starter's log ("Built ... in N ms")
# The end-to-end figures of one way vary by some 500 ms from run to run on 2 cores, so for jar and
# venv also the window in which the environment is looked up, from the starter's log: from Spring's
# "Root WebApplicationContext: initialization completed" to "Starting 2 worker(s)" (the interpreter's
# probe in both; reading the requirements, hashing them and finding the environment complete in venv).
# jar and venv alternate, RUNS times each (default 5), best and median; cds and cold best of 3. All of
# them run python3 (PYTHON to change it) by its real path: no launcher (pyenv's shim) in front of one
# and not of the other, since a virtual environment's bin/python links to the real interpreter.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=18084
RUNS=${RUNS:-5}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
LOG_DIR=$WORK
source benchmarks/lib.sh
build_jar
PYTHON=${PYTHON:-$(python3 -c 'import sys; print(sys.executable)')}
SYSTEM="--twod.wsgi.apps.flask.requirements="
CACHE="--twod.wsgi.venv-cache=$WORK/venvs"

millis() { date -d "$1" +%s%3N; }

# One start: "first-answer-ms workers-ms build-ms lookup-window-ms" (build 0 when none was built).
run() {
    local start pid first boot_start boot_end built context
    start=$(date +%s%3N)
    java "$@" --server.port=$PORT --twod.wsgi.python="$PYTHON" >"$WORK/run.log" 2>&1 &
    pid=$!
    until curl -fs -o /dev/null "http://127.0.0.1:$PORT/flask/"; do sleep 0.01; done
    first=$(( $(date +%s%3N) - start ))
    kill $pid; wait $pid 2>/dev/null || true
    context=$(grep -m1 "Root WebApplicationContext: initialization completed" "$WORK/run.log" | cut -c1-24)
    boot_start=$(grep -m1 "Starting 2 worker(s) for WSGI app 'flask'" "$WORK/run.log" | cut -c1-24)
    boot_end=$(grep -m1 "WSGI app 'flask' is ready" "$WORK/run.log" | cut -c1-24)
    built=$(grep -m1 -o "Built the Python environment of WSGI app 'flask' in [0-9]* ms" "$WORK/run.log" \
        | grep -o "[0-9]* ms" | cut -d' ' -f1 || true)
    echo "$first $(( $(millis "$boot_end") - $(millis "$boot_start") )) ${built:-0}" \
        "$(( $(millis "$boot_start") - $(millis "$context") ))"
}

best() { sort -n | head -n 1; }
median() { sort -n | awk '{ v[NR] = $0 } END { print v[int((NR + 1) / 2)] }'; }

best_of_3() {
    for _ in 1 2 3; do run "$@"; done | best
}

report() {
    local first boot built window
    read -r first boot built window <<<"$2"
    printf "%-5s first /flask/ answer %5d ms after JVM start: workers %4d ms, JVM and Spring Boot %5d ms%s\n" \
        "$1" "$first" "$boot" "$((first - boot))" "$( [ "$built" -gt 0 ] && echo ", of which building the environment $built ms")"
}

# cold first: each run with an empty cache. The last one leaves the cache warm for venv.
for _ in 1 2 3; do rm -rf "$WORK/venvs"; run -jar "$JAR" "$CACHE"; done | best >"$WORK/cold"
for _ in $(seq 1 "$RUNS"); do
    run -jar "$JAR" "$SYSTEM" >>"$WORK/jar"
    run -jar "$JAR" "$CACHE" >>"$WORK/venv"
done
flask_version() { "$1" -c 'import importlib.metadata as m; print(m.version("flask"))'; }
echo "$PYTHON (Python $("$PYTHON" -c 'import platform; print(platform.python_version())')): Flask" \
    "$(flask_version "$PYTHON") of its own (jar, cds), $(flask_version "$WORK"/venvs/*/bin/python) in the environment (venv)"
report jar "$(best <"$WORK/jar")"
report venv "$(best <"$WORK/venv")"
field_of() { cut -d' ' -f"$1" "$WORK/$2"; }
for way in jar venv; do
    echo "$way each run (first answer, ms): $(field_of 1 $way | tr '\n' ' ')"
done
for field in "1 first answer" "4 lookup window" "2 workers"; do
    read -r n name <<<"$field"
    printf "median of %d, %-13s jar %5d ms, venv %5d ms: venv - jar %4d ms\n" "$RUNS" "$name" \
        "$(field_of "$n" jar | median)" "$(field_of "$n" venv | median)" \
        "$(( $(field_of "$n" venv | median) - $(field_of "$n" jar | median) ))"
done
report cold "$(cat "$WORK/cold")"

java -Djarmode=tools -jar "$JAR" extract --destination "$WORK/app" >/dev/null
EXTRACTED="$WORK/app/$(basename "$JAR")"
java -XX:ArchiveClassesAtExit="$WORK/app.jsa" -Dspring.context.exit=onRefresh -jar "$EXTRACTED" "$SYSTEM" \
    --twod.wsgi.python="$PYTHON" --server.port=$PORT >/dev/null 2>&1
report cds "$(best_of_3 -XX:SharedArchiveFile="$WORK/app.jsa" -Xlog:cds=off -jar "$EXTRACTED" "$SYSTEM")"
