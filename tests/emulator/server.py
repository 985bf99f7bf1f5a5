"""Command line and lifecycle of the OpenAI API emulator.

    python3 tests/emulator/server.py --port PORT [--host 127.0.0.1] [--api-key KEY] [--state FILE]
                                     [--fault-rate R --seed S] [--fault-kinds k1,k2] [--run-seconds X]
                                     [--exit-with PID] [--record FILE]

``--port 0`` picks a free port. When the server is ready it prints exactly one line,
``http://HOST:PORT/v1``, to stdout. SIGTERM and SIGINT stop it cleanly (exit code 0), saving the
state file first when there is one; so does the end of the process ``--exit-with`` names (default:
``$OPENAI_EMULATOR_EXIT_WITH``), so that an emulator never outlives the test run or script that started it,
even one killed without a chance to stop it.
"""

import argparse
import os
import signal
import socket
import sys
import threading
from http.server import ThreadingHTTPServer

if __package__ in (None, ""):  # run as a script: make the package importable as `emulator`
    _here = os.path.dirname(os.path.realpath(__file__))
    # keep this directory off sys.path so that its modules cannot shadow anything, then add its parent
    sys.path[:] = [p for p in sys.path if os.path.realpath(p or os.curdir) != _here]
    sys.path.insert(0, os.path.dirname(_here))
    from emulator.app import App  # noqa: E402
    from emulator.faults import KINDS  # noqa: E402
    from emulator.handler import Handler  # noqa: E402
    from emulator.recorder import default_path  # noqa: E402
else:
    from .app import App
    from .faults import KINDS
    from .handler import Handler
    from .recorder import default_path


class Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, address, app):
        self.app = app
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="Local, stateful OpenAI API emulator.")
    parser.add_argument("--port", type=int, required=True, help="port to listen on (0 picks a free one)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--api-key", default=None,
                        help="require this bearer token (default: any non-empty token is accepted)")
    parser.add_argument("--state", default=None, help="JSON file to load at start and save after every write")
    parser.add_argument("--fault-rate", type=float, default=0.0, help="probability of a fault per /v1 request")
    parser.add_argument("--seed", type=int, default=0, help="seed of the fault generator")
    parser.add_argument("--fault-kinds", default=None,
                        help="comma-separated fault kinds (default all: %s)" % ",".join(KINDS))
    parser.add_argument("--run-seconds", type=float, default=1.0,
                        help="how long a run takes from queued to completed (default 1.0)")
    parser.add_argument("--verbose", action="store_true", help="log request lines (never headers) to stderr")
    parser.add_argument("--exit-with", type=int, default=_env_pid("OPENAI_EMULATOR_EXIT_WITH"), metavar="PID",
                        help="stop when process PID ends (default: $OPENAI_EMULATOR_EXIT_WITH)")
    parser.add_argument("--record", default=None, metavar="FILE",
                        help="append each /v1 request and its answer to FILE, as JSON lines (default: a file in "
                             "$OPENAI_EMULATOR_RECORD_DIR when set)")
    args = parser.parse_args(argv)
    if not 0.0 <= args.fault_rate <= 1.0:
        parser.error("--fault-rate must be between 0 and 1")
    if args.run_seconds < 0:
        parser.error("--run-seconds must be >= 0")
    return args


def _env_pid(name):
    value = os.environ.get(name, "").strip()
    return int(value) if value.isdigit() else None


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, as another user's process
        return True
    return True


def main(argv=None):
    args = parse_args(argv)
    kinds = [k for k in (args.fault_kinds or "").split(",") if k] or None
    try:
        app = App(api_key=args.api_key, state_file=args.state, fault_rate=args.fault_rate, seed=args.seed,
                  fault_kinds=kinds, run_seconds=args.run_seconds, verbose=args.verbose,
                  record=args.record or default_path(os.getpid()))
    except (ValueError, OSError) as exc:
        sys.stderr.write("emulator: %s\n" % exc)
        return 2
    try:
        server = Server((args.host, args.port), app)
    except OSError as exc:
        sys.stderr.write("emulator: cannot listen on %s:%s: %s\n" % (args.host, args.port, exc))
        return 2
    host, port = server.server_address[:2]

    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    shown_host = "[%s]" % host if ":" in host else host
    sys.stdout.write("http://%s:%d/v1\n" % (shown_host, port))
    sys.stdout.flush()
    while not stop.wait(0.5):
        if args.exit_with and not _alive(args.exit_with):
            break
    server.shutdown()
    server.server_close()
    with app.store.lock:
        app.store.save(force=bool(app.store.path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
