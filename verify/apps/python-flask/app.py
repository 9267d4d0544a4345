"""A small Flask API: word statistics of a text, served by gunicorn."""
import hashlib
import re
import sqlite3
import sys
from collections import Counter

from flask import Flask, jsonify, request

app = Flask(__name__)

SAMPLE = "the quick brown fox jumps over the lazy dog and the dog sleeps"


@app.get("/healthz")
def healthz():
    return "ok\n"


@app.get("/stats")
def stats():
    text = request.args.get("text", SAMPLE)
    words = re.findall(r"[a-z']+", text.lower())
    # the standard library's sqlite3 (a C extension with its own runtime library) must work too
    db = sqlite3.connect(":memory:")
    db.execute("create table w (word text)")
    db.executemany("insert into w values (?)", [(w,) for w in words])
    distinct = db.execute("select count(distinct word) from w").fetchone()[0]
    return jsonify(
        python=".".join(map(str, sys.version_info[:2])),
        words=len(words),
        distinct=distinct,
        top=Counter(words).most_common(3),
        sha256=hashlib.sha256(text.encode()).hexdigest(),
    )
