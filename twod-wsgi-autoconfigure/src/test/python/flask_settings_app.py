"""Flask apps that read their settings: through app.config, and in a factory through twod_wsgi.settings."""

from flask import Flask, jsonify

from twod_wsgi import settings

app = Flask(__name__)
app.config["GREETING"] = "set by the app"


@app.get("/")
def show():
    return jsonify(greeting=app.config["GREETING"], max_items=app.config.get("MAX_ITEMS"))


def create_app():
    """A factory: the settings are there before it runs."""
    made = Flask("made")
    title = settings.TITLE

    @made.get("/")
    def show_title():
        return jsonify(title=title, config_title=made.config.get("TITLE"), all=sorted(settings.as_dict()))

    return made
