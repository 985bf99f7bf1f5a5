"""Recording the emulator's /v1 traffic, so that a later check can validate every request and answer shape.

One JSON line a request the collection's modules sent (User-Agent openai.beta-ansible/...; the emulator's own
tests send deliberately invalid requests, which are not the collection's): method, path with query, the OpenAI-Beta
header, the request body and the answer (status and body; a stream is recorded as such, not its events). The
Authorization header is never recorded. Injected faults are not recorded: they are not the API's answers.
"""

import json
import os
import threading
from urllib.parse import urlencode

MODULES_USER_AGENT = "openai.beta-ansible/"


class Recorder:
    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()
        if path:
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)

    def record(self, req, response, stream=False):
        headers = req.headers  # lower-case names
        if not self.path or not headers.get("user-agent", "").startswith(MODULES_USER_AGENT):
            return
        try:
            body = json.loads(req.raw_body) if req.raw_body else None
        except ValueError:
            body = req.raw_body.decode("utf-8", "replace")
        query = urlencode(req.query, doseq=True)
        line = json.dumps({"method": req.method, "path": req.path + ("?" + query if query else ""),
                           "beta": headers.get("openai-beta"), "body": body, "stream": stream,
                           "status": 200 if stream else response.status, "answer": None if stream else response.body},
                          sort_keys=True)
        with self.lock, open(self.path, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")


def default_path(pid):
    """Where an emulator records when OPENAI_EMULATOR_RECORD_DIR is set (a file per emulator process)."""
    directory = os.environ.get("OPENAI_EMULATOR_RECORD_DIR")
    return os.path.join(directory, "emulator-%d.jsonl" % pid) if directory else None
