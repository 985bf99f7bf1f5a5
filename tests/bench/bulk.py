"""``make bench``, bulk work: a fleet of assistants from scratch, and a user's ChatKit threads deleted, at the API's pace.

Prints a table (Markdown) of, at 0 ms and at 300 ms a request (the emulator's ``--latency-ms``, as a real service):

6. ``openai_assistant_fleet`` creating N assistants from scratch in one task (N = 100 and 1,000), against the
   hand-written way, one ``ansible.builtin.uri`` POST per assistant in a loop, and against the limit the API's pace
   allows, N x latency / concurrency: requests, wall time and the two ratios;
7. ``openai_chatkit_thread`` deleting every thread of a user (1,000) in one task, against a loop of single deletes
   (one module task per thread), and against the same limit.

The loops are measured on 100 objects and scaled linearly to 1,000 (they send one request after another, so their
time per object does not depend on N); the table says where. A measurement, not a test: it fails only when it cannot
measure. Results: ``.build/bench/bulk.json`` and ``.build/bench/bulk.md``; logs in ``.build/bench/logs``.
"""

import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO_ROOT, "tests"))

from emulator.harness import Emulator  # noqa: E402  pylint: disable=wrong-import-position

OUT_DIR = os.path.join(REPO_ROOT, ".build", "bench")
LOG_DIR = os.path.join(OUT_DIR, "logs")
COLLECTIONS_DIR = os.path.join(REPO_ROOT, ".build", "collections")
LATENCIES = (0, 300)
FLEETS = (100, 1000)
LOOP = 100           # objects the hand-written loops are measured on
THREADS = 1000
CONCURRENCY = 8
GOAL_RATIO = 0.25    # the fleet of 100 at 300 ms, against the uri loop (issue 13)
GOAL_REQUESTS = 105


def say(message):
    print("bulk bench: %s" % message, flush=True)


def playbook(emulator, name, extra_vars, log_name):
    with tempfile.NamedTemporaryFile("w", suffix=".json", dir=OUT_DIR, delete=False) as handle:
        json.dump(extra_vars, handle)
    env = dict(os.environ, OPENAI_BASE_URL=emulator.base_url, OPENAI_API_KEY=emulator.api_key,
               ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_DIR, ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false",
               ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_INVENTORY_UNPARSED_WARNING="false", ANSIBLE_NOCOLOR="1")
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), os.path.join(HERE, name),
               "-e", "@" + handle.name]
    emulator.reset()
    began = time.monotonic()
    proc = subprocess.run(command, env=env, cwd=REPO_ROOT, capture_output=True, text=True, check=False,
                          stdin=subprocess.DEVNULL)
    seconds = time.monotonic() - began
    os.unlink(handle.name)
    with open(os.path.join(LOG_DIR, log_name + ".log"), "w", encoding="utf-8") as log:
        log.write(proc.stdout + proc.stderr)
    if proc.returncode != 0:
        raise SystemExit("%s failed (rc=%d): see %s" % (name, proc.returncode, os.path.join(LOG_DIR, log_name)))
    stats = emulator.stats()
    with open(os.path.join(LOG_DIR, log_name + ".requests.json"), "w", encoding="utf-8") as counts:
        json.dump(stats["requests"], counts, indent=1, sort_keys=True)  # by route: where the requests went
    return seconds, stats["total"]


def definitions(count, prefix):
    return [{"name": "%s-%04d" % (prefix, number), "model": "gpt-4o", "instructions": "Answer briefly.",
             "metadata": {"index": str(number)}} for number in range(count)]


def limit(count, latency_ms):
    return count * latency_ms / 1000.0 / CONCURRENCY


def measure():
    rows = []
    for latency in LATENCIES:
        with Emulator(api_key="sk-bulk-bench", latency_ms=latency) as emulator:
            say("%d ms: the uri loop of %d creates" % (latency, LOOP))
            loop_seconds, loop_requests = playbook(emulator, "fleet_uri.yml",
                                                   {"bench_definitions": definitions(LOOP, "uri")},
                                                   "fleet-uri-%d" % latency)
            for count in FLEETS:
                say("%d ms: the fleet of %d from scratch" % (latency, count))
                seconds, requests = playbook(emulator, "fleet.yml", {"bench_definitions": definitions(count, "f%d" % count),
                                                                     "bench_concurrency": CONCURRENCY},
                                             "fleet-%d-%d" % (count, latency))
                loop = loop_seconds * count / LOOP
                rows.append({"what": "fleet of %d from scratch" % count, "latency_ms": latency, "seconds": seconds,
                             "requests": requests, "loop_seconds": loop, "loop_measured_on": LOOP,
                             "loop_requests": loop_requests * count // LOOP, "limit_seconds": limit(count, latency)})
            user = "bench-user"
            say("%d ms: seeding %d ChatKit threads" % (latency, THREADS + LOOP))
            ids = [emulator.seed_chatkit_thread(user)["id"] for _number in range(THREADS)]
            loop_ids = [emulator.seed_chatkit_thread("loop-user")["id"] for _number in range(LOOP)]
            say("%d ms: a loop of %d single deletes" % (latency, LOOP))
            loop_seconds, loop_requests = playbook(emulator, "retention_loop.yml", {"bench_thread_ids": loop_ids},
                                                   "retention-loop-%d" % latency)
            say("%d ms: %d threads of a user deleted in one task" % (latency, THREADS))
            seconds, requests = playbook(emulator, "retention.yml", {"bench_user": user,
                                                                     "bench_concurrency": CONCURRENCY},
                                         "retention-%d" % latency)
            left = [thread for thread in ids if emulator.state()["data"]["chatkit_threads"].get(thread)]
            if left:
                raise SystemExit("%d threads were not deleted" % len(left))
            rows.append({"what": "%d ChatKit threads of a user deleted" % THREADS, "latency_ms": latency,
                         "seconds": seconds, "requests": requests, "loop_seconds": loop_seconds * THREADS / LOOP,
                         "loop_measured_on": LOOP, "loop_requests": loop_requests * THREADS // LOOP,
                         "limit_seconds": limit(THREADS, latency)})
    return rows


def table(rows):
    lines = ["| measurement | latency | requests | wall time | the loop (one request at a time) | ratio to the loop "
             "| the limit (N x latency / %d) | ratio to the limit |" % CONCURRENCY, "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        scaled = "" if row["loop_measured_on"] == int(row["what"].split()[2 if row["what"].startswith("fleet") else 0]) \
            else " (scaled from %d)" % row["loop_measured_on"]
        lines.append("| %s | %d ms | %d | %.1f s | %.1f s, %d requests%s | %.2f | %s | %s |" % (
            row["what"], row["latency_ms"], row["requests"], row["seconds"], row["loop_seconds"], row["loop_requests"],
            scaled, row["seconds"] / row["loop_seconds"],
            "%.1f s" % row["limit_seconds"] if row["limit_seconds"] else "-",
            "%.1f" % (row["seconds"] / row["limit_seconds"]) if row["limit_seconds"] else "-"))
    goal = next(row for row in rows if row["what"] == "fleet of 100 from scratch" and row["latency_ms"] == 300)
    ratio = goal["seconds"] / goal["loop_seconds"]
    verdict = "met" if ratio <= GOAL_RATIO and goal["requests"] <= GOAL_REQUESTS else "NOT met"
    lines.append("")
    lines.append("Goal (issue 13): the fleet of 100 at 300 ms in at most %.2f of the uri loop's time and at most %d "
                 "requests: %.2f and %d requests, %s." % (GOAL_RATIO, GOAL_REQUESTS, ratio, goal["requests"], verdict))
    return "\n".join(lines)


def main():
    os.makedirs(LOG_DIR, exist_ok=True)
    rows = measure()
    text = table(rows)
    with open(os.path.join(OUT_DIR, "bulk.json"), "w", encoding="utf-8") as handle:
        json.dump(rows, handle, indent=2)
    with open(os.path.join(OUT_DIR, "bulk.md"), "w", encoding="utf-8") as handle:
        handle.write(text + "\n")
    print("\n" + text, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
