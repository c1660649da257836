"""A small HTTP load generator: threads and http.client, nothing to install.

Each client thread sends one request after another, as a browser would (with
`Accept-Encoding: gzip`), and reconnects whenever the server closes the connection (gunicorn's
sync workers close it after every response). Any answer other than 200, and any failure to
connect or read, is an error: it is counted and reported, never taken for a success.
"""

import http.client
import statistics
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

BROWSER_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
    "Accept-Encoding": "gzip",
    "User-Agent": "rentai-bench/1",
}


@dataclass
class Measurement:
    """What one path answered under load: throughput, latency and errors."""

    path: str
    clients: int
    requests: int
    errors: int
    seconds: float
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    mean_bytes: int
    statuses: dict[str, int] = field(default_factory=dict)
    page_cache: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class _Outcome:
    latency: float
    status: str
    size: int = 0
    cache: str = ""


class _Client:
    """One connection to the server, opened again whenever the server closed it."""

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.connection: http.client.HTTPConnection | None = None

    def get(self, path: str, headers: dict[str, str]) -> _Outcome:
        started = time.perf_counter()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    self.host, self.port, timeout=self.timeout
                )
            self.connection.request("GET", path, headers=headers)
            response = self.connection.getresponse()
            body = response.read()
            if response.will_close:
                self.close()
            status = str(response.status)
            cache = response.getheader("X-Page-Cache", "")
        except (OSError, http.client.HTTPException) as error:
            self.close()
            return _Outcome(time.perf_counter() - started, type(error).__name__)
        return _Outcome(time.perf_counter() - started, status, len(body), cache)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def fetch(base_url: str, path: str, *, headers: dict[str, str] | None = None, timeout=120.0):
    """One request, as the load sends it: (status or error name, body size, X-Page-Cache)."""
    host, port = _address(base_url)
    client = _Client(host, port, timeout)
    try:
        outcome = client.get(path, {**BROWSER_HEADERS, **(headers or {})})
    finally:
        client.close()
    return outcome.status, outcome.size, outcome.cache


def measure(
    base_url: str,
    path: str,
    *,
    clients: int = 8,
    requests: int | None = None,
    seconds: float | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 120.0,
) -> Measurement:
    """Load `path` with `clients` concurrent clients for `requests` requests in all, or for
    `seconds` (each client finishes the request it has started). Latencies are those of every
    request, errors included; req/s counts every answer over the time until the last one."""
    if (requests is None) == (seconds is None):
        raise ValueError("Give either requests or seconds.")
    host, port = _address(base_url)
    sent = {**BROWSER_HEADERS, **(headers or {})}
    outcomes: list[_Outcome] = []
    lock = threading.Lock()
    budget = [requests or 0]
    start = threading.Event()
    deadline = [0.0]

    def another() -> bool:
        if seconds is not None:
            return time.perf_counter() < deadline[0]
        with lock:
            if budget[0] <= 0:
                return False
            budget[0] -= 1
            return True

    def work() -> None:
        client = _Client(host, port, timeout)
        start.wait()
        mine = []
        try:
            while another():
                mine.append(client.get(path, sent))
        finally:
            client.close()
            with lock:
                outcomes.extend(mine)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline[0] = began + (seconds or 0)
    start.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began

    latencies = sorted(o.latency * 1000 for o in outcomes)
    ok = [o for o in outcomes if o.status == "200"]
    return Measurement(
        path=path,
        clients=clients,
        requests=len(outcomes),
        errors=len(outcomes) - len(ok),
        seconds=round(elapsed, 3),
        requests_per_second=round(len(outcomes) / elapsed, 2) if elapsed else 0.0,
        p50_ms=round(_percentile(latencies, 50), 1),
        p95_ms=round(_percentile(latencies, 95), 1),
        mean_bytes=round(statistics.fmean(o.size for o in ok)) if ok else 0,
        statuses=dict(Counter(o.status for o in outcomes)),
        page_cache=dict(Counter(o.cache or "none" for o in ok)),
    )


def _percentile(sorted_values: list[float], percent: float) -> float:
    """The nearest-rank percentile of sorted values (0 for none)."""
    if not sorted_values:
        return 0.0
    rank = max(1, -(-len(sorted_values) * percent // 100))
    return sorted_values[int(rank) - 1]


def _address(base_url: str) -> tuple[str, int]:
    parts = urlsplit(base_url)
    if parts.scheme != "http" or not parts.hostname:
        raise ValueError(f"Give a plain http:// base URL, not {base_url!r}.")
    return parts.hostname, parts.port or 80
