"""The demo's Flask app, mounted by Spring Boot at /flask (see application.yml)."""

import os
import time

from flask import Flask, Response, jsonify, redirect, request, url_for

from demo_flask.uploads import uploads

app = Flask(__name__)
app.register_blueprint(uploads)


@app.get("/")
def index():
    return jsonify(
        message="Hello from Flask, served by Spring Boot",
        script_name=request.environ["SCRIPT_NAME"],
        path_info=request.environ["PATH_INFO"],
        worker_pid=os.getpid(),
        # set by a WsgiEnvironCustomizer bean (DemoMiddleware.java)
        request_id=request.environ.get("demo.request_id"),
        # ProxyFix (a WsgiMiddleware bean) makes these honour X-Forwarded-For / X-Forwarded-Proto
        remote_addr=request.remote_addr,
        scheme=request.scheme,
    )


@app.get("/hello/<name>")
def hello(name):
    return jsonify(greeting="Hello, %s!" % name, args=request.args.to_dict())


@app.get("/settings")
def show_settings():
    """GREETING comes from application.yml (twod.wsgi.apps.flask.settings), through app.config."""
    from twod_wsgi import settings

    return jsonify(greeting=app.config.get("GREETING"), spring_settings=sorted(settings.as_dict()))


@app.get("/visits")
def visits():
    """Counts visits in SQLite; the table comes from a once hook (demo_flask.hooks.create_tables)."""
    import sqlite3

    from twod_wsgi import settings

    with sqlite3.connect(settings.VISITS_DB) as database:
        database.execute("INSERT INTO visits (path) VALUES (?)", (request.path,))
        count = database.execute("SELECT COUNT(*) FROM visits").fetchone()[0]
    return jsonify(visits=count)


@app.get("/whoami")
@app.get("/private/whoami")
def whoami():
    """REMOTE_USER is the name of the user Spring Security authenticated, absent for anonymous users."""
    return jsonify(remote_user=request.environ.get("REMOTE_USER"), auth_type=request.environ.get("AUTH_TYPE"))


@app.get("/routing-args")
def routing_args():
    """The variables of the Spring route that handed the request over (see DemoRoutes)."""
    positional, named = request.environ.get("wsgiorg.routing_args", ((), {}))
    return jsonify(positional=list(positional), named=named, script_name=request.environ["SCRIPT_NAME"])


@app.get("/old")
def old():
    # url_for builds from SCRIPT_NAME, so the Location keeps the /flask prefix.
    return redirect(url_for("hello", name="redirected"))


@app.get("/cookies")
def cookies():
    response = jsonify(set=["flavour", "session"])
    response.set_cookie("flavour", "oatmeal", httponly=True, samesite="Lax")
    response.set_cookie("session", "abc123", secure=True, max_age=3600, path="/flask")
    return response


@app.post("/echo")
def echo():
    return jsonify(length=len(request.get_data()), json=request.get_json(silent=True))


@app.get("/stream")
def stream():
    """Server-sent events: each event reaches the browser as soon as it is yielded."""
    count = request.args.get("count", 5, type=int)

    def events():
        for number in range(1, count + 1):
            yield "data: event %d\n\n" % number
            time.sleep(0.5)

    return Response(events(), mimetype="text/event-stream")
