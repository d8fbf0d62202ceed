# Shared by the benchmark scripts (sourced): the demo's jar, one server at a time, waiting for it.
# The script sets LOG_DIR first; it may set a trap of its own that calls stop_server.

# Builds the demo app's jar from this tree (package, not install: ~/.m2 stays as it is; offline) into $JAR.
build_jar() {
    ./mvnw -q -B -o package -DskipTests
    JAR=$(ls demo-app/target/demo-app-*.jar | head -n 1)
}

# The server started last (its pid in $server_pid): stopped, and waited for.
server_pid=""
stop_server() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
        server_pid=""
    fi
}

# Waits up to 60 s for a 2xx from $1; gives up with the logs' place.
wait_for() {
    for _ in $(seq 1 600); do
        if curl -fs -o /dev/null "$1"; then return 0; fi
        sleep 0.1
    done
    echo "no answer from $1; logs in $LOG_DIR" >&2
    exit 1
}

# The Python processes of the starter's app $2 under the JVM $1, one "role:pid" a line: with preload
# (the default) "forkserver:PID" (the JVM's child, which imported the app) and "worker:PID" for each of
# its children; without, "worker:PID" for each of the JVM's children that runs the app's workers.
# Both run `python -m twod_wsgi.worker --name APP` (a fork keeps its parent's command line).
starter_processes() {
    local jvm=$1 app=$2 pid children
    for pid in $(pgrep -P "$jvm" -f "twod_wsgi.worker --name $app "); do
        children=$(pgrep -P "$pid" || true)
        if [ -n "$children" ]; then
            echo "forkserver:$pid"
            for child in $children; do echo "worker:$child"; done
        else
            echo "worker:$pid"
        fi
    done
}
