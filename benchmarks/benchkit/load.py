"""Loading one address with CLIENTS concurrent clients for SECONDS: wrk when it is
installed (apt install wrk), otherwise threads of http.client. Both send what a browser
sends (the person's cookie, ``Accept-Encoding: gzip, br``) and give requests per second
and latency percentiles. A page too slow for the window (judged from its warm-up requests,
or wrk seeing fewer responses than clients) is measured with the Python generator, which
waits for the requests it started."""

from __future__ import annotations

import json
import math
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from benchkit.web import BROWSER_ENCODING, request

WORKERS = 2  # gunicorn's, as benchkit.server starts it
MAX_REQUESTS = 1_000_000  # the Python generator's bound besides the time
WARM_UP = 4  # requests before measuring, two per worker (caches, pools, first-view writes)


@dataclass
class Stats:
    requests: int
    errors: int
    seconds: float
    rate: float  # responses per second
    p50: float  # milliseconds
    p95: float
    p99: float
    generator: str

    def as_dict(self) -> dict:
        return asdict(self)


def generator_name(wanted: str = "auto") -> str:
    if wanted == "auto":
        return "wrk" if shutil.which("wrk") else "python"
    if wanted == "wrk" and not shutil.which("wrk"):
        raise RuntimeError("wrk is not installed (apt install wrk)")
    return wanted


def load(
    port: int, path: str, cookie: str, *, clients: int, seconds: float, generator: str
) -> Stats:
    headers = {"Accept-Encoding": BROWSER_ENCODING} | ({"Cookie": cookie} if cookie else {})
    warm = [request(port, "GET", path, headers).milliseconds for _ in range(WARM_UP)]
    # A page so slow that the clients' requests queued on the workers outlast the window:
    # wrk would drop those still in flight at the end, the Python generator lets each client
    # finish the one it started.
    slow = statistics.median(warm) / 1000 * clients / WORKERS >= seconds
    if generator == "wrk" and not slow:
        stats = _wrk(port, path, headers, clients, seconds)
        if stats.requests - stats.errors >= clients:
            return stats
    return _threads(port, path, headers, clients, seconds)


WRK_SCRIPT = """
{headers}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d errors=%d duration_us=%d p50=%d p95=%d p99=%d\\n",
    summary.requests, e.connect + e.read + e.write + e.status + e.timeout, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def _wrk(port: int, path: str, headers: dict, clients: int, seconds: float) -> Stats:
    lines = "\n".join(f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items())
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT.format(headers=lines))
    try:
        done = subprocess.run(  # noqa: S603  (wrk from PATH, fixed arguments)
            [
                shutil.which("wrk") or "wrk",
                f"-t{min(2, clients)}",
                f"-c{clients}",
                f"-d{max(1, round(seconds))}s",
                "--timeout",
                "120s",
                "--latency",
                "-s",
                script.name,
                f"http://127.0.0.1:{port}{path}",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        Path(script.name).unlink()
    return parse_wrk(done.stdout)


def parse_wrk(output: str) -> Stats:
    """wrk's --latency report, and the exact line our done() writes."""
    found = re.search(r"^BENCH (.+)$", output, re.MULTILINE)
    if found is None:
        raise RuntimeError(f"wrk printed no summary:\n{output}")
    values = {k: int(v) for k, v in (pair.split("=") for pair in found[1].split())}
    seconds = values["duration_us"] / 1e6
    distribution = dict(re.findall(r"^\s+(\d+)%\s+([\d.]+\w+)$", output, re.MULTILINE))
    p50 = _milliseconds(distribution["50"]) if "50" in distribution else values["p50"] / 1000
    p99 = _milliseconds(distribution["99"]) if "99" in distribution else values["p99"] / 1000
    return Stats(
        requests=values["requests"],
        errors=values["errors"],
        seconds=seconds,
        rate=values["requests"] / seconds if seconds else 0.0,
        p50=p50,
        p95=values["p95"] / 1000,
        p99=p99,
        generator="wrk",
    )


def _milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(\w+)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def _threads(port: int, path: str, headers: dict, clients: int, seconds: float) -> Stats:
    samples: list[float] = []
    errors = [0]
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + seconds

    def client() -> None:
        while time.perf_counter() < deadline:
            with lock:
                if len(samples) + errors[0] >= MAX_REQUESTS:
                    return
            try:
                answer = request(port, "GET", path, headers)
            except OSError:
                with lock:
                    errors[0] += 1
                continue
            with lock:
                if answer.status == 200:
                    samples.append(answer.milliseconds)
                else:
                    errors[0] += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return Stats(
        requests=len(samples) + errors[0],
        errors=errors[0],
        seconds=wall,
        rate=len(samples) / wall,
        p50=percentile(samples, 50),
        p95=percentile(samples, 95),
        p99=percentile(samples, 99),
        generator="python",
    )


def percentile(samples: list[float], p: float) -> float:
    """The nearest-rank percentile; 0 for no samples."""
    if not samples:
        return 0.0
    ordered = sorted(samples)
    rank = min(len(ordered), max(1, math.ceil(p / 100 * len(ordered))))
    return ordered[rank - 1]
