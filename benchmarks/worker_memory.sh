#!/usr/bin/env bash
# Memory of 8 Python workers serving a Django project: gunicorn (sync workers, each imports the app
# after the fork), gunicorn --preload (the arbiter imports the app once, then forks), the same with
# gc.freeze() before each fork (apps/gunicorn_gc_freeze.py), and the starter (the demo app's jar)
# twice: with preload (the default: a fork server imports the app once, calls gc.freeze() and forks
# the workers; the fork server is a Python process of the server and counts in the total, as gunicorn's
# arbiter does) and with `preload=false` (each worker is its own `python -m twod_wsgi.worker` and
# imports the app).
# Two projects: the demo's (demo-app/src/main/python/demo_django) and a heavier one
# (benchmarks/apps/heavy_django: admin, auth, sessions, messages, staticfiles, humanize, a catalog
# app with five models, admin registrations, template and JSON views). Same interpreter (Debian's
# python3), same settings (the project's module plus one SQLite file per project for every server,
# migrated before the servers start), gunicorn serving the project inside the ProxyFix that the demo
# puts around every app it mounts. Each server first serves every URL in the list below for 2 s ($WARM) with
# `wrk -t1 -c8` (some thousands of requests; the script checks that every worker used CPU for them),
# then the PSS of all its Python processes is read from /proc/<pid>/smaps_rollup (benchmarks/pss.py);
# it is read before those requests too, once all the workers are idle (they have imported the app;
# one of them has served the one request that told the script the server was up).
#
#   benchmarks/worker_memory.sh               # 8 workers
#   WORKERS=4 benchmarks/worker_memory.sh
#   WARM=6s benchmarks/worker_memory.sh       # 6 s of requests per URL rather than 2
set -euo pipefail
cd "$(dirname "$0")/.."

WORKERS=${WORKERS:-8}
WARM=${WARM:-2s}
PYTHON=/usr/bin/python3
PORT=18085
ROOT=$PWD
APPS_DIR=$ROOT/benchmarks/apps
DEMO_DIR=$ROOT/demo-app/src/main/python
LOG_DIR=$(mktemp -d /tmp/twod-wsgi-worker-memory.XXXXXX)
echo "logs in $LOG_DIR"

if ! command -v wrk >/dev/null || ! command -v curl >/dev/null || ! command -v gunicorn >/dev/null \
        || ! $PYTHON -c "import django, werkzeug" 2>/dev/null; then
    apt-get update -qq && apt-get install -y -qq wrk curl gunicorn python3-django python3-flask >/dev/null
fi
. benchmarks/lib.sh
build_jar

trap 'stop_server; echo "logs in $LOG_DIR"' EXIT

# CPU ticks (user + system) of each pid, one line each.
ticks_of() { for pid in "$@"; do awk '{ print $14 + $15 }' "/proc/$pid/stat"; done; }

# The projects: name, settings module, Python path, WSGI module for the starter, URLs to warm up.
declare -A SETTINGS=([demo]=demo_django.settings [heavy]=heavy_django.settings)
declare -A PATHS=([demo]=$DEMO_DIR [heavy]=$APPS_DIR)
declare -A WSGI=([demo]=demo_django.wsgi:application [heavy]=heavy_django.wsgi:application)
declare -A URLS=([demo]="/ /admin/login/" [heavy]="/ /books/7/ /books/7/review/ /stats.json /admin/login/")

# Waits until the pids given have used no CPU for 1 s (gunicorn's workers import the app after they
# start; the server answers as soon as one of them is ready).
wait_idle() {
    local last="" now
    for _ in $(seq 1 60); do
        now=$(ticks_of "$@" | paste -sd' ')
        [ "$now" = "$last" ] && return 0
        last=$now
        sleep 1
    done
    echo "the workers did not settle within 60 s; logs in $LOG_DIR" >&2
    exit 1
}

# Warms up the server at $1 (base URL), checks that each worker ($2: their pids) served, samples PSS
# of the arbiter/JVM ($3, "role:pid") and the workers as app $4, server $5.
warm_and_sample() {
    local base=$1 workers=$2 other=$3 app=$4 server=$5 url before after low
    [ "$(echo $workers | wc -w)" -eq "$WORKERS" ] || { echo "$server: expected $WORKERS workers, found: $workers" >&2; exit 1; }
    wait_idle $workers
    $PYTHON benchmarks/pss.py sample "$LOG_DIR/pss-before.tsv" "$app" "$server" $other $(for pid in $workers; do echo "worker:$pid"; done)
    before=$(ticks_of $workers)
    for url in ${URLS[$app]}; do
        wrk -t1 -c8 -d"$WARM" "$base$url" >>"$LOG_DIR/wrk-$app-${server//[ ,.()]/}.txt"
    done
    after=$(ticks_of $workers)
    low=$(paste <(echo "$before") <(echo "$after") | awk '{ d = $2 - $1; if (min == "" || d < min) min = d } END { print min }')
    echo "$app / $server: $(grep -h ' requests in ' "$LOG_DIR/wrk-$app-${server//[ ,.()]/}.txt" | awk '{ n += $1 } END { print n }') requests, least CPU of a worker for them: $low ticks"
    [ "$low" -gt 0 ] || { echo "a worker served nothing; logs in $LOG_DIR" >&2; exit 1; }
    grep -h "Non-2xx" "$LOG_DIR/wrk-$app-${server//[ ,.()]/}.txt" && { echo "errors; logs in $LOG_DIR" >&2; exit 1; }
    sleep 1
    $PYTHON benchmarks/pss.py sample "$LOG_DIR/pss.tsv" "$app" "$server" $other $(for pid in $workers; do echo "worker:$pid"; done)
}

for app in demo heavy; do
    db=$LOG_DIR/$app.sqlite3
    # One database per project, migrated once, used by every server.
    DJANGO_SETTINGS_MODULE=gunicorn_django_settings BENCH_DJANGO_SETTINGS=${SETTINGS[$app]} BENCH_DJANGO_DB=$db \
        PYTHONPATH="$APPS_DIR:${PATHS[$app]}" $PYTHON -m django migrate --noinput >"$LOG_DIR/migrate-$app.log" 2>&1

    for variant in gunicorn "gunicorn --preload" "gunicorn --preload, gc.freeze()"; do
        case $variant in
            gunicorn) preload="" ;;
            "gunicorn --preload") preload=--preload ;;
            *) preload="--preload -c $APPS_DIR/gunicorn_gc_freeze.py" ;;
        esac
        DJANGO_SETTINGS_MODULE=gunicorn_django_settings BENCH_DJANGO_SETTINGS=${SETTINGS[$app]} BENCH_DJANGO_DB=$db \
            $PYTHON -m gunicorn --workers "$WORKERS" --worker-class sync $preload --bind 127.0.0.1:$PORT \
            --pythonpath "$APPS_DIR,${PATHS[$app]}" --log-level warning gunicorn_django:application \
            >"$LOG_DIR/gunicorn-$app-${variant//[ ,.()-]/}.log" 2>&1 &
        server_pid=$!
        wait_for "http://127.0.0.1:$PORT/"
        for _ in $(seq 1 100); do [ "$(pgrep -P $server_pid | wc -l)" -ge "$WORKERS" ] && break; sleep 0.1; done
        warm_and_sample "http://127.0.0.1:$PORT" "$(pgrep -P $server_pid)" "arbiter:$server_pid" "$app" "$variant"
        stop_server
    done

    # The starter: the demo's jar, the project mounted at /dj$app beside the demo's Flask app (one
    # worker, not counted), its settings module and the same database given as Spring settings; with
    # preload (default) and without.
    name=dj$app
    prefix=--twod.wsgi.apps.$name
    for preload in true false; do
        variant="starter, preload"; [ $preload = false ] && variant="starter, no preload"
        java -jar "$JAR" --server.port=$PORT --twod.wsgi.python=$PYTHON --twod.wsgi.access-log=false \
            --twod.wsgi.apps.flask.workers=1 --twod.wsgi.apps.flask.requirements= \
            $prefix.app=${WSGI[$app]} $prefix.python-path="${PATHS[$app]}" $prefix.workers="$WORKERS" \
            $prefix.preload=$preload \
            $prefix.django.settings-module=${SETTINGS[$app]} \
            $prefix.settings.DATABASES.default.ENGINE=django.db.backends.sqlite3 \
            $prefix.settings.DATABASES.default.NAME="$db" >"$LOG_DIR/starter-$app-preload-$preload.log" 2>&1 &
        server_pid=$!
        wait_for "http://127.0.0.1:$PORT/$name/"
        for _ in $(seq 1 100); do
            [ "$(starter_processes $server_pid $name | grep -c ^worker:)" -ge "$WORKERS" ] && break
            sleep 0.1
        done
        processes=$(starter_processes $server_pid $name)
        forkservers=$(echo "$processes" | grep ^forkserver: || true)
        # The fork server found in /proc is the one the starter reports (None without preload).
        reported=$(curl -fs "http://127.0.0.1:$PORT/actuator/wsgi/$name" \
            | $PYTHON -c "import json, sys; print(json.load(sys.stdin)['forkServerPid'])" || echo "?")
        found=${forkservers#forkserver:}
        echo "$app / $variant: fork server in /proc: ${found:-none}, in /actuator/wsgi: $reported"
        if [ $preload = true ]; then
            [ "$(echo "$forkservers" | grep -c .)" -eq 1 ] && [ "$forkservers" = "forkserver:$reported" ] \
                || { echo "$variant: expected one fork server ($reported), found: ${forkservers:-none}" >&2; exit 1; }
        else
            [ -z "$forkservers" ] || { echo "$variant: found a fork server: $forkservers" >&2; exit 1; }
        fi
        warm_and_sample "http://127.0.0.1:$PORT/$name" "$(echo "$processes" | sed -n 's/^worker://p')" \
            "jvm:$server_pid $forkservers" "$app" "$variant"
        stop_server
    done
done

echo
echo "$WORKERS workers each, $($PYTHON --version), Django $($PYTHON -c 'import django; print(django.get_version())'), gunicorn $($PYTHON -c 'import gunicorn; print(gunicorn.__version__)'), $(nproc) cores"
$PYTHON benchmarks/pss.py report "$LOG_DIR/pss.tsv" "$LOG_DIR/pss-before.tsv" | tee "$LOG_DIR/report.txt"
