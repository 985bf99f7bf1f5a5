"""HTTP transport: read a request, count it, inject faults, write the response or stream.

Every response carries ``x-request-id: req_<32 hex>`` and ``content-type: application/json``
(``text/event-stream`` for streams, sent with chunked transfer encoding). Keep-alive (HTTP/1.1)
is supported, so a client can reuse one connection. No header or body is ever logged.
"""

import json
import secrets
import socket
import sys
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

from . import errors
from .router import Request, Response, StreamResponse

ERROR_FAULTS = ("429", "500", "502", "503")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "openai-emulator"
    sys_version = ""
    timeout = 120  # an idle keep-alive connection is closed after this
    disable_nagle_algorithm = True  # small responses go out at once (no 40 ms delayed-ACK stalls)

    def version_string(self):
        return self.server_version

    # -- entry points -------------------------------------------------------------------------------
    def do_GET(self):
        self._handle()

    def do_POST(self):
        self._handle()

    def do_DELETE(self):
        self._handle()

    def do_PUT(self):
        self._handle()

    def do_PATCH(self):
        self._handle()

    def log_message(self, format, *args):  # noqa: A002  (stdlib signature)
        if self.server.app.verbose:
            sys.stderr.write("emulator: %s %s\n" % (self.address_string(), format % args))

    # -- pipeline -----------------------------------------------------------------------------------
    def _read_body(self):
        if "chunked" in self.headers.get("transfer-encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("content-length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _handle(self):
        app = self.server.app
        parts = urlsplit(self.path)
        try:
            raw = self._read_body()
        except ValueError:
            raw = b""
        req = Request(self.command, parts.path, parts.query, dict(self.headers.items()), raw)
        req.now = app.now()
        if parts.path == "/__emulator" or parts.path.startswith("/__emulator/"):
            self._send(app.handle_admin(req))
            return
        if not (parts.path == "/v1" or parts.path.startswith("/v1/")):
            exc = errors.invalid_url(self.command, parts.path)
            self._send(Response(exc.body(), exc.status))
            return

        template = app.router.template_for(self.command, parts.path)
        app.stats.count_request(self.command, template)
        fault = app.faults.draw("%s %s" % (self.command, template))
        if fault is not None:
            app.stats.count_fault(fault)
        if fault in ERROR_FAULTS:
            self._send(app.fault_response(fault))
            return
        if fault == "drop_before":
            self._drop()
            return
        response = app.handle_v1(req)
        app.recorder.record(req, response, stream=isinstance(response, StreamResponse))
        if fault == "drop_after":
            self._drop()
            return
        if fault == "slow":
            time.sleep(app.faults.slow_ms / 1000.0)
        if isinstance(response, StreamResponse):
            self._stream(response)
        else:
            self._send(response)

    # -- output -------------------------------------------------------------------------------------
    def _common_headers(self, headers):
        self.send_header("x-request-id", "req_" + secrets.token_hex(16))
        self.send_header("openai-version", "2020-10-01")
        for name, value in headers.items():
            self.send_header(name, value)

    def _send(self, response):
        payload = json.dumps(response.body).encode("utf-8")
        self.send_response(response.status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self._common_headers(response.headers)
        self._headers_buffer.append(b"\r\n")  # end_headers() without its flush: one write for all
        self._headers_buffer.append(payload)
        self.flush_headers()

    def _stream(self, response):
        self.send_response(200)
        self.send_header("content-type", "text/event-stream; charset=utf-8")
        self.send_header("cache-control", "no-cache")
        self.send_header("transfer-encoding", "chunked")
        self._common_headers(response.headers)
        self.end_headers()
        try:
            for event, data in response.events:
                text = data if isinstance(data, str) else json.dumps(data)
                self._chunk(("event: %s\ndata: %s\n\n" % (event, text)).encode("utf-8"))
            self._chunk(b"event: done\ndata: [DONE]\n\n")
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def _drop(self):
        """Close the connection without sending anything."""
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
