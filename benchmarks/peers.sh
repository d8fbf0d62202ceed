#!/usr/bin/env bash
# Issue #16, against the usual deployment: the plain-WSGI and Flask hello apps (benchmarks/apps/
# hello_apps.py) and, with APPS, a Django page (benchmarks/apps/heavy_django's book list at "/": a
# ListView over a SQLite query with select_related/prefetch_related, 20 rows rendered by a template)
# served, in one run, on the same 2 cores (wrk shares them), same interpreter (Debian's python3),
# WORKERS (2) sync workers per app, by
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
# every server runs the same Python per request (Django: apps/gunicorn_django.py, with the project's
# settings and the run's database, apps/gunicorn_django_settings.py). The Django project gets one
# SQLite file per run, migrated (its sample data comes with the migrations: 60 books) before the
# servers start and used by all of them, as in worker_memory.sh; the starter mounts it at /djheavy
# with the same settings module and database (twod.wsgi.apps.djheavy.*). Before measuring, each
# server's page must answer 200 with the expected body (hello: "Hello, World!"; Django: the 20 rows
# of the book list's first page, the same page from every server); the script stops otherwise.
# For each: requests/s, p50/p99, and from /proc the server's CPU time per request by process group
# (JVM; Python workers with their fork server; nginx; gunicorn master and workers) and its
# voluntary+involuntary context switches per request (all processes and threads), then the ratios
# starter/(nginx+gunicorn) and starter/gunicorn, for each app of APPS.
#
#   benchmarks/peers.sh                       # plain and flask, wrk -t2 -c16 -d10s after a 5 s warm-up
#                                             # (the starter's JVM first serves each app, and the plain hello, for JVM_WARMUP, 10s)
#   CONNECTIONS=64 DURATION=20s WARMUP=10s benchmarks/peers.sh
#   APPS=django benchmarks/peers.sh           # the Django page only
#   APPS="plain flask django" CONNECTIONS=256 WORKERS=4 benchmarks/peers.sh
#   STARTER_ARGS="--twod.wsgi.apps.plain.queue-size=100" APPS=plain CONNECTIONS=256 benchmarks/peers.sh
# (STARTER_ARGS: more arguments for both starters, after the script's; the apps are named plain,
# flask-hello and djheavy there. GUNICORN_PORT, NGINX_PORT, STARTER_PORT: 18101, 18102, 18103.)
#
# Many connections (CONNECTIONS=256): ulimit -n must exceed them (wrk opens one socket each; nginx
# two per request, client and upstream). gunicorn's listen backlog is 2048 (--backlog, capped by
# net.core.somaxconn); its sync workers take one connection at a time and close it after the
# response, the others wait in that backlog. nginx: worker_connections 1024 per worker (lib.sh), so
# up to 512 proxied clients per worker; listen backlog 511. The starter runs on Tomcat's defaults
# (server.tomcat.max-connections 8192, threads.max 200, accept-count 100) and its own per-app
# queue-size (1000 since issue #16; it was 100): a request holds a Tomcat thread while it waits for a
# Python worker, so Tomcat's 200 threads bound the wait and requests beyond them wait in Tomcat for a
# thread. With queue-size 100, more than about 100 + WORKERS connections on one app got 503s
# (counted in "err", and fast: they inflate req/s). The script keeps the defaults, marks the ratios
# that have errors on either side and lists the errors after them; STARTER_ARGS can change
# queue-size (STARTER_ARGS="--twod.wsgi.apps.plain.queue-size=100" for the old behaviour).
set -euo pipefail
cd "$(dirname "$0")/.."

APPS=${APPS:-plain flask}
WORKERS=${WORKERS:-2}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-5s}
JVM_WARMUP=${JVM_WARMUP:-10s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
NGINX_WORKERS=${NGINX_WORKERS:-2}
STARTER_ARGS=${STARTER_ARGS:-}
PYTHON=/usr/bin/python3
GUNICORN_PORT=${GUNICORN_PORT:-18101}
NGINX_PORT=${NGINX_PORT:-18102}
STARTER_PORT=${STARTER_PORT:-18103}
APPS_DIR=$PWD/benchmarks/apps
LOG_DIR=$(mktemp -d)
DJANGO_DB=$LOG_DIR/heavy_django.sqlite3

for app in $APPS; do
    case $app in
        plain | flask | django) ;;
        *) echo "APPS: unknown app '$app' (plain, flask, django)" >&2; exit 1 ;;
    esac
done
[ -n "${APPS// /}" ] || { echo "APPS is empty (plain, flask, django)" >&2; exit 1; }
has_app() { [[ " $APPS " == *" $1 "* ]]; }
modules=flask
has_app django && modules+=", django"

if ! command -v wrk >/dev/null || ! command -v gunicorn >/dev/null || ! command -v nginx >/dev/null \
        || ! $PYTHON -c "import $modules" 2>/dev/null; then
    apt-get update -qq && apt-get install -y -qq wrk gunicorn nginx python3-flask python3-django >/dev/null
fi
. benchmarks/lib.sh
require_free_ports "$GUNICORN_PORT" "$NGINX_PORT" "$STARTER_PORT"
LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
build_jar

trap 'stop_all; echo "logs: $LOG_DIR"' EXIT

# The plain variant: the demo's jar without Spring Security, observations, metrics, access log.
plain_spring_boot "$PWD/$JAR" "$LOG_DIR"

# The Django project's database, once per run, for every server: migrated, which adds its sample data.
if has_app django; then
    DJANGO_SETTINGS_MODULE=gunicorn_django_settings BENCH_DJANGO_SETTINGS=heavy_django.settings \
        BENCH_DJANGO_DB=$DJANGO_DB PYTHONPATH="$APPS_DIR" $PYTHON -m django migrate --noinput \
        >"$LOG_DIR/migrate-django.log" 2>&1 \
        || { echo "migrating the Django project failed; see $LOG_DIR/migrate-django.log" >&2; exit 1; }
    books=$($PYTHON -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from catalog_book").fetchone()[0])' "$DJANGO_DB")
    [ "$books" -eq 60 ] || { echo "the Django database has $books books, expected 60; logs in $LOG_DIR" >&2; exit 1; }
fi

# "group:pid" a line for every process of the server started last: group_roots holds its top
# processes ("gunicorn:PID", "nginx:PID", "jvm:PID"); their descendants are read again after each
# warm-up (workers started late or replaced count), in the root's group (the JVM's are "python").
group_roots=""
group_pids=""
expand_group() {
    local root group pid p
    for root in $group_roots; do
        group=${root%%:*}; pid=${root#*:}
        echo "$group:$pid"
        [ "$group" = jvm ] && group=python
        for p in $(descendants "$pid"); do echo "$group:$p"; done
    done
}

# "jvm python nginx gunicorn switches": CPU ticks per group and context switches (all threads) so far.
usage_of() {
    local group ticks group_switches switches=0 out=""
    for group in jvm python nginx gunicorn; do
        read -r ticks group_switches <<<"$(process_usage $(printf '%s\n' $group_pids | sed -n "s/^$group://p"))"
        out+="$ticks "
        switches=$((switches + group_switches))
    done
    echo "$out$switches"
}

# wrk against $1 after the warm-up; prints "rps p50 p99 errors cpu-us/req jvm python nginx gunicorn cs/req".
measure() {
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$1" >/dev/null
    group_pids=$(expand_group)
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

# Checks, before measuring, that $1 answers 200 with app $2's page; saves the page as
# $LOG_DIR/page-$3-$2.html ($3: the server). Stops the script otherwise.
check_page() {
    local url=$1 app=$2 server=$3 page status rows
    page=$LOG_DIR/page-$server-$app.html
    status=$(curl -s -o "$page" -w '%{http_code}' "$url" || true)
    [ "$status" = 200 ] || { echo "$server / $app: $url answered ${status:-nothing}, not 200; logs in $LOG_DIR" >&2; exit 1; }
    case $app in
        plain | flask)
            grep -q 'Hello, World!' "$page" \
                || { echo "$server / $app: $url did not say Hello, World! (see $page)" >&2; exit 1; } ;;
        django)
            # 20 rows (paginate_by) from the database: title, publisher, authors.
            rows=$(grep -c '<li><a href="[^"]*/books/[0-9]*/">Book Number [0-9]*</a>, Publisher [0-9],' "$page" || true)
            [ "$rows" -eq 20 ] && grep -q 'by Author [0-9]' "$page" \
                || { echo "$server / django: $url has $rows book rows, not 20 (see $page)" >&2; exit 1; }
            # The same page from every server, but for the starter's mount point in its links.
            sed 's#/djheavy/#/#g' "$page" >"$page.norm"
            if [ -e "$LOG_DIR/django-page.ref" ]; then
                cmp -s "$LOG_DIR/django-page.ref" "$page.norm" \
                    || { echo "$server / django: not the same page as the first server's; see $LOG_DIR/page-*-django.html" >&2; exit 1; }
            else
                cp "$page.norm" "$LOG_DIR/django-page.ref"
            fi ;;
    esac
}

declare -A result
gunicorn_cmd() { # $1 app, $2 bind
    local spec environment=()
    case $1 in
        plain) spec=hello_apps:plain_behind_proxy ;;
        flask) spec=hello_apps:flask_behind_proxy ;;
        django)
            spec=gunicorn_django:application
            environment=(DJANGO_SETTINGS_MODULE=gunicorn_django_settings
                BENCH_DJANGO_SETTINGS=heavy_django.settings "BENCH_DJANGO_DB=$DJANGO_DB") ;;
    esac
    env "${environment[@]}" $PYTHON -m gunicorn --workers "$WORKERS" --worker-class sync --bind "$2" \
        --chdir "$APPS_DIR" --log-level warning "$spec" >"$LOG_DIR/gunicorn-$1-${2%%:*}.log" 2>&1 &
    pids+=($!)
}

# 1. gunicorn alone.
for app in $APPS; do
    gunicorn_cmd $app 127.0.0.1:$GUNICORN_PORT
    wait_for "http://127.0.0.1:$GUNICORN_PORT/"
    check_page "http://127.0.0.1:$GUNICORN_PORT/" $app gunicorn
    group_roots="gunicorn:${pids[0]}"
    result[gunicorn-$app]=$(measure "http://127.0.0.1:$GUNICORN_PORT/" gunicorn-$app)
    stop_all
done

# 2. nginx in front of gunicorn on a Unix socket (slow_clients.sh's configuration, 2 workers).
NGINX_DIR=$LOG_DIR/nginx
write_nginx_conf "$NGINX_DIR" "$NGINX_PORT" $NGINX_WORKERS
for app in $APPS; do
    gunicorn_cmd $app "unix:$NGINX_DIR/gunicorn.sock"
    nginx -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" -e "$NGINX_DIR/error.log" &
    pids+=($!)
    wait_for "http://127.0.0.1:$NGINX_PORT/"
    check_page "http://127.0.0.1:$NGINX_PORT/" $app nginx+gunicorn
    group_roots="gunicorn:${pids[0]} nginx:${pids[1]}"
    result[nginx+gunicorn-$app]=$(measure "http://127.0.0.1:$NGINX_PORT/" nginx-$app)
    stop_all
done

# 3. the starter: the apps mounted beside the demo's own Flask app (1 worker, idle, no requirements):
# plain at /plain (always, for the JVM's warm-up; its workers idle while another app is measured),
# flask at /flask-hello, django at /djheavy.
declare -A MOUNT=([plain]=plain [flask]=flask-hello [django]=djheavy)
starter() {
    local variant=$1 app prefix apps=() served
    shift
    # The plain hello is always mounted: served first, it has the JIT compile the request path that
    # every mount shares at 10,000+ requests/s (the Django page alone gives it 250 a second).
    served=$(echo plain $APPS | tr ' ' '\n' | awk '!seen[$0]++' | tr '\n' ' ')
    for app in $served; do
        prefix=--twod.wsgi.apps.${MOUNT[$app]}
        case $app in
            plain) apps+=("$prefix.app=hello_apps:plain") ;;
            flask) apps+=("$prefix.app=hello_apps:flask_app") ;;
            django) apps+=("$prefix.app=heavy_django.wsgi:application"
                "$prefix.django.settings-module=heavy_django.settings"
                "$prefix.settings.DATABASES.default.ENGINE=django.db.backends.sqlite3"
                "$prefix.settings.DATABASES.default.NAME=$DJANGO_DB") ;;
        esac
        apps+=("$prefix.python-path=$APPS_DIR" "$prefix.workers=$WORKERS")
    done
    java "$@" --server.port=$STARTER_PORT --twod.wsgi.python=$PYTHON \
        --twod.wsgi.apps.flask.workers=1 --twod.wsgi.apps.flask.requirements= \
        "${apps[@]}" $STARTER_ARGS >"$LOG_DIR/$variant.log" 2>&1 &
    pids+=($!)
    for app in $served; do
        wait_for "http://127.0.0.1:$STARTER_PORT/${MOUNT[$app]}/"
    done
    group_roots="jvm:${pids[0]}"
    # The JIT compiles the whole request path of a Spring app (Spring Security's chain, observations)
    # over tens of seconds: every app is served once for JVM_WARMUP before any is measured, or the
    # first app measured pays for it (the demo's first row came out 0.3x to 0.7x from run to run).
    for app in $served; do
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$JVM_WARMUP" "http://127.0.0.1:$STARTER_PORT/${MOUNT[$app]}/" >/dev/null
    done
    for app in $APPS; do
        check_page "http://127.0.0.1:$STARTER_PORT/${MOUNT[$app]}/" $app $variant
        result[$variant-$app]=$(measure "http://127.0.0.1:$STARTER_PORT/${MOUNT[$app]}/" $variant-$app)
    done
    stop_all
}
starter starter-plain "${PLAIN_SPRING_BOOT[@]}"
starter starter-demo -jar "$JAR"

echo
echo "$(git rev-parse --short HEAD), $(date -u '+%F %H:%M'), load before: $LOAD_BEFORE;" \
    "connections $CONNECTIONS, workers $WORKERS, apps: $APPS${STARTER_ARGS:+, starter: $STARTER_ARGS}"
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION after $WARMUP warm-up (the starter's JVM: $JVM_WARMUP per app and on the plain hello first), $WORKERS sync workers per app," \
    "$($PYTHON --version), $(java -version 2>&1 | head -n 1), nginx $NGINX_WORKERS workers, $(nproc) cores"
echo "cpu: server CPU us per request (all groups, then by group); cs: context switches per request"
printf "%-6s %-15s %7s %7s %7s %4s %6s %6s %6s %6s %6s %6s\n" \
    app server "req/s" "p50 ms" "p99 ms" err cpu jvm python nginx gunic cs
servers="gunicorn nginx+gunicorn starter-plain starter-demo"
for app in $APPS; do
    for server in $servers; do
        read -r rps p50 p99 errors cpu jvm py ngx gun cs <<<"${result[$server-$app]}"
        printf "%-6s %-15s %7s %7s %7s %4s %6s %6s %6s %6s %6s %6s\n" \
            "$app" "$server" "$rps" "$p50" "$p99" "$errors" "$cpu" "$jvm" "$py" "$ngx" "$gun" "$cs"
    done
done
echo
for app in $APPS; do
    for variant in starter-plain starter-demo; do
        for peer in nginx+gunicorn gunicorn; do
            read -r p_rps _ p_p99 p_err p_cpu _ <<<"${result[$peer-$app]}"
            read -r s_rps _ s_p99 s_err s_cpu _ <<<"${result[$variant-$app]}"
            awk -v app="$app" -v v="$variant" -v peer="$peer" -v s="$s_rps" -v p="$p_rps" -v sp="$s_p99" \
                -v pp="$p_p99" -v sc="$s_cpu" -v pc="$p_cpu" -v se="$s_err" -v pe="$p_err" 'BEGIN {
                printf "%-6s %-13s / %-14s: throughput %.2fx, p99 %.2fx, cpu/req %.2fx%s\n",
                    app, v, peer, s / p, sp / pp, sc / pc,
                    (se + pe > 0) ? sprintf(" (with errors: %d, %d)", se, pe) : "" }'
        done
    done
done
errors=""
for app in $APPS; do
    for server in $servers; do
        read -r _ _ _ n _ <<<"${result[$server-$app]}"
        [ "$n" -eq 0 ] || errors+=" $server/$app ($n)"
    done
done
if [ -n "$errors" ]; then
    echo
    echo "errors (non-2xx/3xx responses or socket errors, counted in req/s; wrk's reports in $LOG_DIR):$errors"
fi
