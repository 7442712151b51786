"""Answers a batch of App Engine schedule queries with App Engine's own parser (groc).

groc ships with the Google Cloud SDK (platform/google_appengine/google/appengine/cron). This script
only loads it and asks it questions; taskstack's tests compare its answers with taskstack's own
reading of the grammar.

Usage: python3 groc_batch.py SDK_ROOT < queries.json > answers.json
queries: [{"schedule", "timeZone", "from" (ISO 8601 UTC), "until" (ISO 8601 UTC), "max"}]
answers: [{"runs": [ISO 8601 UTC, ...]} | {"error": "..."}], one per query.
"""

import datetime
import json
import os
import sys

sdk = sys.argv[1]
app_engine = os.path.join(sdk, "platform", "google_appengine")
sys.path[:0] = [
    app_engine,
    os.path.join(app_engine, "lib", "py3_antlr3"),
    os.path.join(app_engine, "lib", "six"),
    os.path.join(app_engine, "lib", "pytz"),
]

import pytz  # noqa: E402

# The SDK's pytz ships without zone files: read the system's tz database instead.
zoneinfo = os.environ.get("TZDIR", "/usr/share/zoneinfo")
pytz.open_resource = lambda name: open(os.path.join(zoneinfo, name), "rb")

from google.appengine.cron import groctimespecification  # noqa: E402


def parse(text):
    return pytz.utc.localize(datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ"))


def answer(q):
    try:
        spec = groctimespecification.GrocTimeSpecification(q["schedule"], q.get("timeZone"))
        t = parse(q["from"])
        until = parse(q["until"])
        runs = []
        while len(runs) < q["max"]:
            t = spec.GetMatch(t)
            if t > until:
                break
            runs.append(t.astimezone(pytz.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
        return {"runs": runs}
    except Exception as e:  # groc refuses with GrocException or ValueError
        return {"error": "%s: %s" % (type(e).__name__, e)}


json.dump([answer(q) for q in json.load(sys.stdin)], sys.stdout)
