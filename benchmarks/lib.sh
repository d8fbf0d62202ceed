# Shared by the benchmark scripts (sourced): the demo's jar, one server at a time, waiting for it.
# The script sets LOG_DIR first; it may set a trap of its own that calls stop_server.

# Builds the demo app's jar from this tree (package, not install: ~/.m2 stays as it is) into $JAR.
build_jar() {
    ./mvnw -q -B package -DskipTests
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
