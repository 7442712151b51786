"""Answers a batch of queue.yaml texts with the Google Cloud SDK's own translation to Cloud Tasks.

`gcloud app deploy queue.yaml` reads the file with App Engine's queue.yaml parser
(googlecloudsdk/appengine/api/queueinfo.py), checks it as App Engine did
(ValidateQueueYamlFileConfig) and turns each push queue into the Cloud Tasks settings it sends
(_PopulateCloudTasksArgs, googlecloudsdk/api_lib/tasks/app_deploy_migration_util.py). This script
only loads those functions and asks them about each text, for a queue that does not exist yet; it
calls no API. taskstack's tests compare the answers with taskstack's own import.

Usage: python3 queue_batch.py SDK_ROOT < texts.json > answers.json
texts: ["queue:\n- name: ...", ...]
answers: [{"queues": [{"name", "maxDispatchesPerSecond", "maxConcurrentDispatches", "maxAttempts",
          "maxRetryDuration", "minBackoff", "maxBackoff", "maxDoublings", "maxBurstSize"}]}
          | {"error": "..."}], one per text.
"""

import json
import os
import sys

sdk = sys.argv[1]
sys.path[:0] = [os.path.join(sdk, "lib"), os.path.join(sdk, "lib", "third_party")]

from googlecloudsdk.api_lib.tasks import app_deploy_migration_util as migration  # noqa: E402
from googlecloudsdk.appengine.api import queueinfo  # noqa: E402
from googlecloudsdk.command_lib.tasks import constants  # noqa: E402

fields = {
    "maxDispatchesPerSecond": "max_dispatches_per_second",
    "maxConcurrentDispatches": "max_concurrent_dispatches",
    "maxAttempts": "max_attempts",
    "maxRetryDuration": "max_retry_duration",
    "minBackoff": "min_backoff",
    "maxBackoff": "max_backoff",
    "maxDoublings": "max_doublings",
    "maxBurstSize": "max_burst_size",
}


class Parsed(object):
    """What ValidateQueueYamlFileConfig reads: the parsed file, as gcloud's yaml_parsing gives it."""

    def __init__(self, parsed):
        self.parsed = parsed


def answer(text):
    try:
        parsed = queueinfo.LoadSingleQueue(text)
        migration.ValidateQueueYamlFileConfig(Parsed(parsed))
        out = []
        for queue in parsed.queue or []:
            if queue.mode == constants.PULL_QUEUE:
                out.append({"name": queue.name, "pull": True})
                continue
            args = migration._PopulateCloudTasksArgs(
                queue, None, list(constants.APP_TO_TASKS_ATTRIBUTES_MAPPING.values())
            )
            entry = {"name": queue.name}
            for key, arg in fields.items():
                entry[key] = getattr(args, arg)
            out.append(entry)
        return {"queues": out}
    except Exception as e:  # the parser's ValidationError, or the HTTP error gcloud would print
        # gcloud's RPCError puts App Engine's message on its last line.
        lines = [line.strip() for line in str(e).splitlines() if line.strip()]
        return {"error": "%s: %s" % (type(e).__name__, lines[-1] if lines else "")}


json.dump([answer(t) for t in json.load(sys.stdin)], sys.stdout)
