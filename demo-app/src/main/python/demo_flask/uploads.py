"""The upload page: a browser sends files as multipart/form-data and a form-urlencoded PUT with fetch(),
and Flask shows what it parsed. The browser tests (FlaskUploadBrowserTests) drive it."""

import hashlib

from flask import Blueprint, jsonify, render_template, request

uploads = Blueprint("uploads", __name__)


@uploads.get("/upload")
def upload_form():
    return render_template("upload.html")


@uploads.post("/upload")
def upload_received():
    files = [_describe(storage) for storage in request.files.getlist("files") if storage.filename]
    return render_template("uploaded.html", files=files, note=request.form.get("note", ""))


@uploads.put("/form-echo")
def form_echo():
    """What Flask parsed from a form-urlencoded PUT body, with the type it was sent as."""
    return jsonify(form=request.form.to_dict(), content_type=request.content_type)


def _describe(storage):
    """Name, size and sha256 of an uploaded file, read in chunks as a large file would be."""
    digest = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: storage.stream.read(64 * 1024), b""):
        digest.update(chunk)
        size += len(chunk)
    return {"name": storage.filename, "size": size, "sha256": digest.hexdigest()}
