#!/usr/bin/env bash
# Issue #16, what the request path costs at each layer, measured in one run on the same cores (wrk
# shares them), the same "Hello, World!" answered by
#   nginx-static      Debian's nginx (2 worker processes, access log off): `return 200 "Hello, World!"`
#   tomcat-raw        plain Spring Boot's Tomcat, a bare servlet (benchmarks/peers/Floors.java)
#   tomcat-parked     the same servlet, its thread parked for 25 us first: one sleep and wake-up of the
#                     request's thread, as when it waits for a Python worker's answer
#   spring-mvc        a Spring MVC controller in the same JVM
#   starter-plain     the plain-WSGI hello (benchmarks/apps/hello_apps.py) mounted by the starter in the
#                     same JVM, WORKERS (2) workers, Debian's python3
# For each: requests/s, p99, the server's CPU time per request (JVM and Python workers apart) and its
# context switches per request (all threads). The JVM is "plain Spring Boot" (lib.sh's
# plain_spring_boot: no Spring Security, observations, metrics or access log), and serves every
# path for JVM_WARMUP first.
#
#   benchmarks/floors.sh
#   CONNECTIONS=64 DURATION=20s benchmarks/floors.sh
set -euo pipefail
cd "$(dirname "$0")/.."

WORKERS=${WORKERS:-2}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-5s}
JVM_WARMUP=${JVM_WARMUP:-10s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
NGINX_PORT=${NGINX_PORT:-18102}
STARTER_PORT=${STARTER_PORT:-18103}
APPS_DIR=$PWD/benchmarks/apps
LOG_DIR=$(mktemp -d)

if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
    apt-get update -qq && apt-get install -y -qq wrk nginx >/dev/null
fi
. benchmarks/lib.sh
require_free_ports "$NGINX_PORT" "$STARTER_PORT"
LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
build_jar
trap 'stop_all; echo "logs: $LOG_DIR"' EXIT

plain_spring_boot "$PWD/$JAR" "$LOG_DIR"
javac -nowarn -d "$LOG_DIR/classes" -cp "$LOG_DIR/classes:$LOG_DIR/jar/BOOT-INF/classes:$LOG_DIR/jar/BOOT-INF/lib/*" \
    benchmarks/peers/Floors.java

mkdir -p "$LOG_DIR/nginx"
cat >"$LOG_DIR/nginx/nginx.conf" <<CONF
daemon off;
worker_processes 2;
user $(id -un) $(id -gn);
error_log $LOG_DIR/nginx/error.log warn;
pid $LOG_DIR/nginx/nginx.pid;
events { worker_connections 1024; accept_mutex off; }
http {
    access_log off;
    client_body_temp_path $LOG_DIR/nginx/client_body;
    proxy_temp_path $LOG_DIR/nginx/proxy;
    fastcgi_temp_path $LOG_DIR/nginx/fastcgi;
    uwsgi_temp_path $LOG_DIR/nginx/uwsgi;
    scgi_temp_path $LOG_DIR/nginx/scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location / { default_type text/plain; return 200 "Hello, World!"; }
    }
}
CONF

# wrk against $2 after the warm-up; prints a row for $1: the server's CPU (root process $3; its
# descendants in the "python" column when $4 is "python", else with the root: nginx's workers) and
# switches per request.
row() {
    local label=$1 url=$2 root=$3 kids_are=$4 kids before_root before_kids after_root after_kids
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$url" >/dev/null
    kids=$(descendants "$root")
    before_root=$(process_usage "$root"); before_kids=$(process_usage $kids)
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url" >"$LOG_DIR/wrk-$label.txt"
    after_root=$(process_usage "$root"); after_kids=$(process_usage $kids)
    read -r rps p50 p99 errors requests <<<"$(wrk_result "$LOG_DIR/wrk-$label.txt")"
    if [ "${requests:-0}" -eq 0 ]; then echo "$label: wrk got no answer; logs in $LOG_DIR" >&2; exit 1; fi
    read -r t0 s0 <<<"$before_root"; read -r t1 s1 <<<"$after_root"
    read -r k0 ks0 <<<"$before_kids"; read -r k1 ks1 <<<"$after_kids"
    local main=$((t1 - t0)) python=$((k1 - k0))
    if [ "$kids_are" != python ]; then main=$((main + python)); python=0; fi
    awk -v l="$label" -v r="$rps" -v p="$p99" -v e="$errors" -v n="$requests" -v hz="$(getconf CLK_TCK)" \
        -v main=$main -v py=$python -v cs=$((s1 - s0 + ks1 - ks0)) 'BEGIN {
            printf "%-14s %8.0f %7.2f %4d %7.0f %7.0f %7.0f %6.2f\n", l, r, p, e,
                (main + py) * 1e6 / hz / n, main * 1e6 / hz / n, py * 1e6 / hz / n, cs / n }'
}

nginx -e "$LOG_DIR/nginx/error.log" -c "$LOG_DIR/nginx/nginx.conf" -p "$LOG_DIR/nginx" &
pids+=($!)
nginx_pid=$!
wait_for "http://127.0.0.1:$NGINX_PORT/"

java "${PLAIN_SPRING_BOOT[@]}" --server.port="$STARTER_PORT" --twod.wsgi.python=/usr/bin/python3 \
    --twod.wsgi.apps.flask.workers=1 --twod.wsgi.apps.flask.requirements= \
    --twod.wsgi.apps.plain.app=hello_apps:plain --twod.wsgi.apps.plain.python-path="$APPS_DIR" \
    --twod.wsgi.apps.plain.workers="$WORKERS" >"$LOG_DIR/starter.log" 2>&1 &
pids+=($!)
jvm_pid=$!
base=http://127.0.0.1:$STARTER_PORT
for path in /floor/raw/ /floor/parked/ /floor/mvc/ /plain/; do
    wait_for "$base$path"
    [ "$(curl -fs "$base$path")" = "Hello, World!" ] || { echo "$path: not Hello, World!; logs in $LOG_DIR" >&2; exit 1; }
done
for path in /floor/raw/ /floor/parked/ /floor/mvc/ /plain/; do
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$JVM_WARMUP" "$base$path" >/dev/null
done

echo "$(git rev-parse --short HEAD), $(date '+%Y-%m-%d %H:%M'), load before: $LOAD_BEFORE"
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION after a $WARMUP warm-up (the JVM: $JVM_WARMUP per path first); starter: $WORKERS workers, $(/usr/bin/python3 --version); $(java -version 2>&1 | head -n 1); $(nproc) cores"
echo "cpu: server CPU us per request (all, then the JVM or nginx, then the Python workers); cs: context switches per request"
printf "%-14s %8s %7s %4s %7s %7s %7s %6s\n" server req/s "p99 ms" err cpu main python cs
row nginx-static "http://127.0.0.1:$NGINX_PORT/" "$nginx_pid" nginx
row tomcat-raw "$base/floor/raw/" "$jvm_pid" python
row tomcat-parked "$base/floor/parked/" "$jvm_pid" python
row spring-mvc "$base/floor/mvc/" "$jvm_pid" python
row starter-plain "$base/plain/" "$jvm_pid" python
