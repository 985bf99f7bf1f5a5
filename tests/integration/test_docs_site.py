"""The docs site (`make docs`) as a reader gets it: Debian's chromium, headless, over HTTP.

The browser loads the index, a module page and the user guide, and reports what it rendered through the DevTools
protocol: every link, every image (loaded or not) and, for each page a link points at, the HTTP status and the
element ids (the anchors). No internal link may lead to a missing page or anchor, no image may fail to load.
Chromium comes from Debian (`make setup` installs it as root); without it the test skips, and fails under CI.
"""

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
import time
import urllib.parse
import urllib.request

import pytest
import websocket

PAGES = ("index.html", "openai_assistant_module.html", "guide.html")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")
# what a page shows, as the browser sees it once loaded
REPORT = """JSON.stringify({
  status: (performance.getEntriesByType('navigation')[0] || {}).responseStatus,
  title: document.title,
  links: [...document.querySelectorAll('a[href]')].map(a => a.href),
  images: [...document.images].map(i => ({src: i.currentSrc || i.src, ok: i.complete && i.naturalWidth > 0})),
  ids: [...document.querySelectorAll('[id]')].map(e => e.id).concat(
       [...document.querySelectorAll('a[name]')].map(a => a.name)),
})"""


class Browser:
    """One headless chromium, one tab, driven over the DevTools protocol."""

    def __init__(self, binary, profile):
        self.process = subprocess.Popen([binary, *FLAGS, "--user-data-dir=%s" % profile, "--remote-debugging-port=0",
                                         "--remote-allow-origins=*", "about:blank"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        endpoint = None
        deadline = time.monotonic() + 60
        while endpoint is None and time.monotonic() < deadline:
            line = self.process.stderr.readline()
            if not line and self.process.poll() is not None:
                raise RuntimeError("chromium exited (%s) before its DevTools endpoint was up" % self.process.returncode)
            match = re.search(r"DevTools listening on ws://([\d.]+:\d+)/", line)
            endpoint = match and match.group(1)
        assert endpoint, "chromium printed no DevTools endpoint in 60s"
        threading.Thread(target=self.process.stderr.read, daemon=True).start()  # keep its pipe drained
        with urllib.request.urlopen("http://%s/json/list" % endpoint, timeout=30) as answer:
            tab = next(t for t in json.load(answer) if t["type"] == "page")
        self.socket = websocket.create_connection(tab["webSocketDebuggerUrl"], timeout=60, suppress_origin=True)
        self.next_id = 0
        self.call("Page.enable")

    def call(self, method, **params):
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                assert "error" not in message, message
                return message["result"]

    def wait_for(self, event):
        while True:
            message = json.loads(self.socket.recv())
            if message.get("method") == event:
                return message

    def open(self, url):
        """Navigate to url, wait for its load event; what the page shows (REPORT)."""
        self.call("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")
        result = self.call("Runtime.evaluate", expression=REPORT, returnByValue=True)
        return json.loads(result["result"]["value"])

    def close(self):
        self.socket.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def served_site(docs_site):
    """The built site over HTTP on a loopback port (as a web server serves it: fetches and anchors work)."""
    handler = functools.partial(_QuietHandler, directory=str(docs_site / "html"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield "http://127.0.0.1:%d/" % server.server_address[1]
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *_args):
        pass


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    binary = shutil.which("chromium")
    if not binary:
        message = "Debian's chromium is not installed (make setup installs it as root: apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; CI=true needs it", pytrace=False)
        pytest.skip(message)
    browser = Browser(binary, tmp_path_factory.mktemp("chromium-profile"))
    yield browser
    browser.close()


def test_pages_have_no_broken_internal_link_and_no_missing_image(browser, served_site):
    seen = {}  # page URL (no fragment) -> what the browser showed

    def page(url):
        if url not in seen:
            seen[url] = browser.open(url)
        return seen[url]

    problems, checked_links, images = [], 0, 0
    for name in PAGES:
        shown = page(served_site + name)
        assert shown["status"] == 200, "%s: HTTP %s" % (name, shown["status"])
        assert shown["links"], "%s shows no links" % name
        for image in shown["images"]:
            images += 1
            if not image["ok"]:
                problems.append("%s: image %s did not load" % (name, image["src"]))
        for link in sorted(set(shown["links"])):
            if not link.startswith(served_site):
                continue  # external (GitHub, docs.ansible.com): not this site's to check
            target, fragment = (link.split("#", 1) + [""])[:2]
            checked_links += 1
            linked = page(target)
            if linked["status"] != 200:
                problems.append("%s: link %s -> HTTP %s" % (name, link, linked["status"]))
            elif fragment and urllib.parse.unquote(fragment) not in linked["ids"]:
                problems.append("%s: link %s -> no anchor #%s on that page" % (name, link, fragment))
    assert not problems, "\n".join(problems)
    assert checked_links >= 20, "only %d internal links on %s" % (checked_links, ", ".join(PAGES))
    assert images >= 1, "no image on %s (the theme's logo is one)" % ", ".join(PAGES)
    titles = {name: seen[served_site + name]["title"] for name in PAGES}
    assert "openai.beta.openai_assistant module" in titles["openai_assistant_module.html"], titles
    assert "user guide" in titles["guide.html"], titles
    # the guides and the reference are one site: the index leads to each of them
    index_links = set(seen[served_site + "index.html"]["links"])
    for name in ("guide.html", "awx.html", "performance.html", "release.html", "reference.html",
                 "openai_assistant_module.html"):
        assert served_site + name in index_links, "the index does not link to %s" % name
