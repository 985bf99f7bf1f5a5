"""The emulator's latency option: ``--latency-ms N`` (harness ``latency_ms``) and ``POST /__emulator/latency``.

Every /v1 request is delayed by N ms before it is handled (admin requests never are). What is asserted is
only a lower bound, from the server's own ``openai-processing-ms`` header (a sleep never ends early); the
wall times of concurrent requests are printed, not asserted (the machine is shared and noisy).
"""

import concurrent.futures
import subprocess
import sys
import time

import requests

from emulator.harness import SERVER, Emulator


def _processing_ms(emu, path="/conversations"):
    response = requests.post(emu.base_url + path, json={}, timeout=30,
                             headers={"Authorization": "Bearer %s" % emu.api_key})
    assert response.status_code == 200, response.text
    return int(response.headers["openai-processing-ms"])


def test_the_command_line_latency_delays_every_v1_request():
    with Emulator(latency_ms=250) as emu:
        assert "--latency-ms" in emu.command() and requests.get(emu.admin_url + "/latency", timeout=10).json() == {
            "latency_ms": 250}
        assert _processing_ms(emu) >= 250
        missing = requests.get(emu.base_url + "/conversations/conv_nope", timeout=30,
                               headers={"Authorization": "Bearer %s" % emu.api_key})
        assert missing.status_code == 404 and int(missing.headers["openai-processing-ms"]) >= 250
        assert emu.stats()["total"] == 2  # the admin requests above were neither delayed nor counted


def test_the_admin_api_sets_the_latency():
    with Emulator() as emu:
        assert requests.get(emu.admin_url + "/latency", timeout=10).json() == {"latency_ms": 0}
        assert emu.set_latency(150) == 150
        assert _processing_ms(emu) >= 150
        assert emu.set_latency(0) == 0
        for bad in (-1, "300", True, 1.5):
            response = requests.post(emu.admin_url + "/latency", json={"latency_ms": bad}, timeout=10)
            assert response.status_code == 400 and response.json()["error"]["param"] == "latency_ms", bad
        assert requests.get(emu.admin_url + "/latency", timeout=10).json() == {"latency_ms": 0}


def test_concurrent_requests_wait_side_by_side():
    """Ten requests at 300 ms each: all answered, and the state holds all ten (the times are printed)."""
    with Emulator(latency_ms=300) as emu:
        began = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(max_workers=10) as pool:
            results = list(pool.map(lambda _index: _processing_ms(emu), range(10)))
        wall = time.monotonic() - began
        assert min(results) >= 300 and len(emu.state()["data"]["conversations"]) == 10
        print("10 concurrent requests at 300 ms: %.2f s wall, server times %d..%d ms" % (wall, min(results),
                                                                                         max(results)))


def test_a_negative_latency_is_refused_on_the_command_line():
    done = subprocess.run([sys.executable, SERVER, "--port", "0", "--latency-ms", "-5"], capture_output=True,
                          text=True, timeout=30, check=False)
    assert done.returncode == 2 and "--latency-ms must be >= 0" in done.stderr
