# Shared by the benchmark scripts (sourced): the demo's jar, one server at a time, waiting for it.
# The script sets LOG_DIR first; it may set a trap of its own that calls stop_server.

# Builds the demo app's jar from this tree (package, not install: ~/.m2 stays as it is; offline) into $JAR.
build_jar() {
    ./mvnw -q -B -o package -DskipTests
    JAR=$(ls demo-app/target/demo-app-*.jar | head -n 1)
}

# Stops the script if any of the TCP ports $@ is taken already.
require_free_ports() {
    local port
    for port in "$@"; do
        if [ -n "$(ss -Htln "sport = :$port")" ]; then echo "port $port is in use" >&2; exit 1; fi
    done
}

# The processes below $1 (its children, theirs, and so on), one pid a line.
descendants() {
    local pid
    for pid in $(pgrep -P "$1" || true); do
        echo "$pid"
        descendants "$pid"
    done
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

# The servers a script started in the background (their pids in $pids, in order): stopped, last first,
# and waited for.
pids=()
stop_all() {
    local i
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        kill "${pids[i]}" 2>/dev/null || true
        wait "${pids[i]}" 2>/dev/null || true
    done
    pids=()
}

# CPU time (clock ticks, user + system) and context switches (voluntary + involuntary, all threads)
# so far of the processes $@, as "ticks switches"; processes gone meanwhile count for nothing.
process_usage() {
    local ticks=0 switches=0 pid task
    for pid in "$@"; do
        [ -r "/proc/$pid/stat" ] || continue
        # After the command name (which may hold spaces), utime and stime are fields 12 and 13.
        ticks=$((ticks + $(sed 's/.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }')))
        for task in /proc/"$pid"/task/*; do
            switches=$((switches + $(awk '/ctxt_switches/ { n += $2 } END { print n + 0 }' "$task/status" 2>/dev/null || echo 0)))
        done
    done
    echo "$ticks $switches"
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

# nginx in front of gunicorn on a Unix socket, as gunicorn's deployment docs show (access log off,
# request and response buffering on): writes $1/nginx.conf, listening on 127.0.0.1:$2 with $3 worker
# processes, the upstream at unix:$1/gunicorn.sock. Start it with start_nginx $1.
write_nginx_conf() {
    local dir=$1 port=$2 workers=$3
    mkdir -p "$dir"
    cat >"$dir/nginx.conf" <<CONF
daemon off;
worker_processes $workers;
user $(id -un) $(id -gn);
error_log $dir/error.log warn;
pid $dir/nginx.pid;
events {
    worker_connections 1024;
    accept_mutex off;
}
http {
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    client_body_temp_path $dir/client_body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
    upstream app_server {
        server unix:$dir/gunicorn.sock fail_timeout=0;
    }
    server {
        listen 127.0.0.1:$port;
        client_max_body_size 4G;
        keepalive_timeout 5;
        location / {
            proxy_buffering on;
            proxy_request_buffering on;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_set_header Host \$http_host;
            proxy_redirect off;
            proxy_pass http://app_server;
        }
    }
}
CONF
}

# wrk's --latency report $1 as "requests/s p50-ms p99-ms errors requests" (errors: non-2xx/3xx
# responses and socket errors).
wrk_result() {
    awk '
        function ms(value) {
            if (value ~ /us$/) return substr(value, 1, length(value) - 2) / 1000
            if (value ~ /ms$/) return substr(value, 1, length(value) - 2) + 0
            if (value ~ /s$/) return substr(value, 1, length(value) - 1) * 1000
            return value
        }
        /^ +50%/ { p50 = ms($2) }
        /^ +99%/ { p99 = ms($2) }
        / requests in / { requests = $1 }
        /^Requests\/sec:/ { rps = $2 }
        /Non-2xx or 3xx responses:/ { errors += $NF }
        /Socket errors:/ { errors += $4 + $6 + $8 + $10 }
        END { printf "%s %s %s %d %d\n", rps, p50, p99, errors, requests }' "$1"
}

# "Plain Spring Boot" from the demo's jar $1 (benchmarks/peers/PlainDemo.java: the demo without its
# Spring Security configuration), for peers.sh and the experiments: compiles PlainDemo into $2/classes
# against the jar's classes and libraries, and sets PLAIN_SPRING_BOOT to the java arguments that start
# it (PropertiesLauncher) without Spring Security, Micrometer's observations and metrics, or the
# access log. Append the app's own arguments after "${PLAIN_SPRING_BOOT[@]}".
plain_spring_boot() {
    local jar=$1 dir=$2
    mkdir -p "$dir/jar" "$dir/classes"
    (cd "$dir/jar" && unzip -q -o "$jar" 'BOOT-INF/*')
    javac -nowarn -d "$dir/classes" -cp "$dir/jar/BOOT-INF/classes:$dir/jar/BOOT-INF/lib/*" \
        benchmarks/peers/PlainDemo.java
    local security=org.springframework.boot.security.autoconfigure
    local metrics=org.springframework.boot.micrometer.metrics.autoconfigure
    local exclude=$security.SecurityAutoConfiguration,$security.UserDetailsServiceAutoConfiguration
    exclude+=,$security.web.servlet.SecurityFilterAutoConfiguration,$security.web.servlet.ServletWebSecurityAutoConfiguration
    exclude+=,$security.actuate.web.servlet.ManagementWebSecurityAutoConfiguration
    exclude+=,org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration
    exclude+=,org.springframework.boot.webmvc.autoconfigure.WebMvcObservationAutoConfiguration
    exclude+=,$metrics.MetricsAutoConfiguration,$metrics.CompositeMeterRegistryAutoConfiguration
    exclude+=,$metrics.export.simple.SimpleMetricsExportAutoConfiguration
    PLAIN_SPRING_BOOT=(-Dloader.path="$dir/classes" -Dloader.main=io.github.twodwsgi.demo.PlainDemo
        -cp "$jar" org.springframework.boot.loader.launch.PropertiesLauncher
        --spring.autoconfigure.exclude="$exclude" --twod.wsgi.access-log=false)
}
