#!/usr/bin/env bash
# Issue #16, against the usual deployment: the plain-WSGI and Flask hello apps (benchmarks/apps/
# hello_apps.py) served, in one run, on the same 2 cores (wrk shares them), same interpreter
# (Debian's python3), 2 sync workers per app, by
#   gunicorn          gunicorn alone on TCP (access log off: gunicorn's default, no --access-logfile)
#   nginx+gunicorn    Debian's nginx (2 worker processes, access log off, proxy buffering on) in
#                     front of gunicorn on a Unix socket, as gunicorn's deployment docs show
#   starter-plain     the demo's jar as plain Spring Boot: without the demo's DemoSecurity (compiled
#                     here: benchmarks/peers/PlainDemo.java, run from the jar by PropertiesLauncher)
#                     and with Spring Security's and Actuator's observation/metrics
#                     auto-configurations excluded (spring.autoconfigure.exclude); access log off
#   starter-demo      the demo's jar as shipped (Spring Security, Actuator, http.server.requests,
#                     the twod-wsgi meters, access log on as in its application.yml)
# gunicorn serves the apps inside the ProxyFix that the demo puts around every app it mounts, so
# every server runs the same Python per request. For each: requests/s, p50/p99, and from /proc the
# server's CPU time per request by process group (JVM; Python workers with their fork server;
# nginx; gunicorn master and workers) and its voluntary+involuntary context switches per request
# (all processes and threads), then the ratios starter/(nginx+gunicorn) and starter/gunicorn.
#
#   benchmarks/peers.sh                       # wrk -t2 -c16 -d10s after a 5 s warm-up
#   CONNECTIONS=64 DURATION=20s WARMUP=10s benchmarks/peers.sh
set -euo pipefail
cd "$(dirname "$0")/.."

WORKERS=${WORKERS:-2}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-5s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
NGINX_WORKERS=${NGINX_WORKERS:-2}
PYTHON=/usr/bin/python3
GUNICORN_PORT=18101
NGINX_PORT=18102
STARTER_PORT=18103
APPS_DIR=$PWD/benchmarks/apps
LOG_DIR=$(mktemp -d)

if ! command -v wrk >/dev/null || ! command -v gunicorn >/dev/null || ! command -v nginx >/dev/null \
        || ! $PYTHON -c "import flask" 2>/dev/null; then
    apt-get update -qq && apt-get install -y -qq wrk gunicorn nginx python3-flask >/dev/null
fi
for port in $GUNICORN_PORT $NGINX_PORT $STARTER_PORT; do
    if ss -Htln "sport = :$port" | grep -q .; then echo "port $port is in use" >&2; exit 1; fi
done
. benchmarks/lib.sh
LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
build_jar

pids=()
stop_all() {
    local i
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        kill "${pids[i]}" 2>/dev/null || true
        wait "${pids[i]}" 2>/dev/null || true
    done
    pids=()
}
trap 'stop_all; echo "logs: $LOG_DIR"' EXIT

# The plain variant's main class, compiled against the jar's own classes and libraries.
mkdir -p "$LOG_DIR/jar" "$LOG_DIR/classes"
(cd "$LOG_DIR/jar" && unzip -q "$OLDPWD/$JAR" 'BOOT-INF/*')
javac -nowarn -d "$LOG_DIR/classes" -cp "$LOG_DIR/jar/BOOT-INF/classes:$LOG_DIR/jar/BOOT-INF/lib/*" \
    benchmarks/peers/PlainDemo.java
SECURITY=org.springframework.boot.security.autoconfigure
METRICS=org.springframework.boot.micrometer.metrics.autoconfigure
EXCLUDE=$SECURITY.SecurityAutoConfiguration,$SECURITY.UserDetailsServiceAutoConfiguration
EXCLUDE+=,$SECURITY.web.servlet.SecurityFilterAutoConfiguration,$SECURITY.web.servlet.ServletWebSecurityAutoConfiguration
EXCLUDE+=,$SECURITY.actuate.web.servlet.ManagementWebSecurityAutoConfiguration
EXCLUDE+=,org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration
EXCLUDE+=,org.springframework.boot.webmvc.autoconfigure.WebMvcObservationAutoConfiguration
EXCLUDE+=,$METRICS.MetricsAutoConfiguration,$METRICS.CompositeMeterRegistryAutoConfiguration
EXCLUDE+=,$METRICS.export.simple.SimpleMetricsExportAutoConfiguration

# "group:pid" a line for every process of the server started last.
group_pids=""
descendants() { local p; for p in $(pgrep -P "$1" || true); do echo "$p"; descendants "$p"; done; }
gunicorn_group() { echo "gunicorn:$1"; for p in $(descendants "$1"); do echo "gunicorn:$p"; done; }
nginx_group() { echo "nginx:$1"; for p in $(descendants "$1"); do echo "nginx:$p"; done; }
starter_group() { echo "jvm:$1"; for p in $(descendants "$1"); do echo "python:$p"; done; }

# "jvm python nginx gunicorn switches": CPU ticks per group and context switches (all threads) so far.
usage_of() {
    local entry group pid task ticks
    declare -A t=([jvm]=0 [python]=0 [nginx]=0 [gunicorn]=0)
    local switches=0
    for entry in $group_pids; do
        group=${entry%%:*}; pid=${entry#*:}
        [ -r "/proc/$pid/stat" ] || continue
        ticks=$(sed 's/.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }')
        t[$group]=$((t[$group] + ticks))
        for task in /proc/"$pid"/task/*; do
            switches=$((switches + $(awk '/ctxt_switches/ { n += $2 } END { print n + 0 }' "$task/status" 2>/dev/null || echo 0)))
        done
    done
    echo "${t[jvm]} ${t[python]} ${t[nginx]} ${t[gunicorn]} $switches"
}

# wrk against $1 after the warm-up; prints "rps p50 p99 errors cpu-us/req jvm python nginx gunicorn cs/req".
measure() {
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$1" >/dev/null
    local before after
    read -r -a before <<<"$(usage_of)"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$1" >"$LOG_DIR/wrk-$2.txt"
    read -r -a after <<<"$(usage_of)"
    local rps p50 p99 errors requests
    read -r rps p50 p99 errors requests <<<"$(wrk_result "$LOG_DIR/wrk-$2.txt")"
    awk -v jvm=$((after[0] - before[0])) -v py=$((after[1] - before[1])) -v ngx=$((after[2] - before[2])) \
        -v gun=$((after[3] - before[3])) -v switches=$((after[4] - before[4])) -v hz="$(getconf CLK_TCK)" \
        -v rps="$rps" -v p50="$p50" -v p99="$p99" -v errors="$errors" -v requests="$requests" '
        function us(ticks) { return ticks * 1e6 / hz / requests }
        BEGIN { printf "%.0f %.2f %.2f %d %.0f %.0f %.0f %.0f %.0f %.1f\n", rps, p50, p99, errors,
                       us(jvm + py + ngx + gun), us(jvm), us(py), us(ngx), us(gun), switches / requests }'
}

declare -A result
gunicorn_cmd() { # $1 app, $2 bind
    local spec="hello_apps:plain_behind_proxy"; [ "$1" = flask ] && spec="hello_apps:flask_behind_proxy"
    $PYTHON -m gunicorn --workers "$WORKERS" --worker-class sync --bind "$2" --chdir "$APPS_DIR" \
        --log-level warning "$spec" >"$LOG_DIR/gunicorn-$1-${2%%:*}.log" 2>&1 &
    pids+=($!)
}

# 1. gunicorn alone.
for app in plain flask; do
    gunicorn_cmd $app 127.0.0.1:$GUNICORN_PORT
    wait_for "http://127.0.0.1:$GUNICORN_PORT/"
    group_pids=$(gunicorn_group "${pids[0]}")
    result[gunicorn-$app]=$(measure "http://127.0.0.1:$GUNICORN_PORT/" gunicorn-$app)
    stop_all
done

# 2. nginx in front of gunicorn on a Unix socket (slow_clients.sh's configuration, 2 workers).
NGINX_DIR=$LOG_DIR/nginx
write_nginx_conf "$NGINX_DIR" "$NGINX_PORT" $NGINX_WORKERS
for app in plain flask; do
    gunicorn_cmd $app "unix:$NGINX_DIR/gunicorn.sock"
    nginx -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" -e "$NGINX_DIR/error.log" &
    pids+=($!)
    wait_for "http://127.0.0.1:$NGINX_PORT/"
    group_pids="$(gunicorn_group "${pids[0]}") $(nginx_group "${pids[1]}")"
    result[nginx+gunicorn-$app]=$(measure "http://127.0.0.1:$NGINX_PORT/" nginx-$app)
    stop_all
done

# 3. the starter: both apps mounted beside the demo's own Flask app (1 worker, idle, no requirements).
starter() {
    local variant=$1
    shift
    java "$@" --server.port=$STARTER_PORT --twod.wsgi.python=$PYTHON \
        --twod.wsgi.apps.flask.workers=1 --twod.wsgi.apps.flask.requirements= \
        --twod.wsgi.apps.plain.app=hello_apps:plain --twod.wsgi.apps.plain.python-path="$APPS_DIR" \
        --twod.wsgi.apps.plain.workers="$WORKERS" \
        --twod.wsgi.apps.flask-hello.app=hello_apps:flask_app --twod.wsgi.apps.flask-hello.python-path="$APPS_DIR" \
        --twod.wsgi.apps.flask-hello.workers="$WORKERS" >"$LOG_DIR/$variant.log" 2>&1 &
    pids+=($!)
    wait_for "http://127.0.0.1:$STARTER_PORT/plain/"
    wait_for "http://127.0.0.1:$STARTER_PORT/flask-hello/"
    group_pids=$(starter_group "${pids[0]}")
    result[$variant-plain]=$(measure "http://127.0.0.1:$STARTER_PORT/plain/" $variant-plain)
    result[$variant-flask]=$(measure "http://127.0.0.1:$STARTER_PORT/flask-hello/" $variant-flask)
    stop_all
}
starter starter-plain -Dloader.path="$LOG_DIR/classes" -Dloader.main=io.github.twodwsgi.demo.PlainDemo \
    -cp "$JAR" org.springframework.boot.loader.launch.PropertiesLauncher \
    --spring.autoconfigure.exclude="$EXCLUDE" --twod.wsgi.access-log=false
starter starter-demo -jar "$JAR"

echo
echo "$(git rev-parse --short HEAD), $(date -u '+%F %H:%M'), load before: $LOAD_BEFORE"
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION after $WARMUP warm-up, $WORKERS sync workers per app," \
    "$($PYTHON --version), $(java -version 2>&1 | head -n 1), nginx $NGINX_WORKERS workers, $(nproc) cores"
echo "cpu: server CPU us per request (all groups, then by group); cs: context switches per request"
printf "%-6s %-15s %7s %7s %7s %4s %6s %6s %6s %6s %6s %6s\n" \
    app server "req/s" "p50 ms" "p99 ms" err cpu jvm python nginx gunic cs
servers="gunicorn nginx+gunicorn starter-plain starter-demo"
for app in plain flask; do
    for server in $servers; do
        read -r rps p50 p99 errors cpu jvm py ngx gun cs <<<"${result[$server-$app]}"
        printf "%-6s %-15s %7s %7s %7s %4s %6s %6s %6s %6s %6s %6s\n" \
            "$app" "$server" "$rps" "$p50" "$p99" "$errors" "$cpu" "$jvm" "$py" "$ngx" "$gun" "$cs"
    done
done
echo
for app in plain flask; do
    for variant in starter-plain starter-demo; do
        for peer in nginx+gunicorn gunicorn; do
            read -r p_rps _ p_p99 _ p_cpu _ <<<"${result[$peer-$app]}"
            read -r s_rps _ s_p99 _ s_cpu _ <<<"${result[$variant-$app]}"
            awk -v app="$app" -v v="$variant" -v peer="$peer" -v s="$s_rps" -v p="$p_rps" -v sp="$s_p99" \
                -v pp="$p_p99" -v sc="$s_cpu" -v pc="$p_cpu" 'BEGIN {
                printf "%-6s %-13s / %-14s: throughput %.2fx, p99 %.2fx, cpu/req %.2fx\n",
                    app, v, peer, s / p, sp / pp, sc / pc }'
        done
    done
done
