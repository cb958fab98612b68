"""A small, honest HTTP load client: one connection per client thread, warm-up requests left out.

It uses only http.client, so it measures the server and not a framework: each thread keeps its
connection open for as long as the server allows (gunicorn's sync workers close it after every
answer, and the thread then connects again, which is timed, for pages and static files alike).
"""

from __future__ import annotations

import http.client
import re
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Session:
    """One client: its own connection and its own cookies (a browser tab, roughly)."""

    def __init__(self, host: str, port: int, cookies: dict[str, str] | None = None, timeout: float = 120) -> None:
        self.host, self.port = host, port
        self.origin = f"http://{host}:{port}"
        self.cookies = dict(cookies or {})
        self.connection = http.client.HTTPConnection(host, port, timeout=timeout)

    def request(self, method: str, path: str, body: dict | None = None, headers: dict[str, str] | None = None):
        sent = {"Host": f"{self.host}:{self.port}", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Origin"] = self.origin  # what a browser sends with a form; Django's CSRF check reads it
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=data, headers=sent)
            answer = self.connection.getresponse()
            payload = answer.read()
        except (ConnectionError, http.client.HTTPException):
            self.connection.close()  # the next request connects again; this one counts as an error
            raise
        seconds = time.perf_counter() - started
        for name, value in answer.getheaders():
            if name.lower() == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    self.cookies[morsel.key] = morsel.value
        return Response(answer.status, {k.lower(): v for k, v in answer.getheaders()}, payload, seconds)

    def get(self, path: str, headers: dict[str, str] | None = None) -> Response:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, data: dict, headers: dict[str, str] | None = None) -> Response:
        token = self.cookies.get("csrftoken", "")
        return self.request("POST", path, body=data, headers={"X-CSRFToken": token, **(headers or {})})

    def close(self) -> None:
        self.connection.close()


_HIDDEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def log_in(host: str, port: int, username: str, password: str, path: str = "/accounts/login/") -> dict[str, str]:
    """Sign in through the login form, as a person would; the session's cookies."""
    session = Session(host, port)
    form = session.get(path)
    found = _HIDDEN.search(form.text())
    if form.status != 200 or not found:
        raise RuntimeError(f"The login page answered {form.status} without a form.")
    answer = session.request(
        "POST",
        path,
        body={"username": username, "password": password, "csrfmiddlewaretoken": found.group(1)},
    )
    session.close()
    if answer.status != 302 or "sessionid" not in session.cookies:
        raise RuntimeError(f"Logging in as {username} failed ({answer.status}).")
    return session.cookies


def percentile(samples: list[float], p: float) -> float:
    """The p-th percentile (0-100) by linear interpolation between the closest ranks."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Run:
    """What one measured load produced."""

    latencies: list[float] = field(default_factory=list)  # seconds, successful answers only
    sizes: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warmup_errors: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    concurrency: int = 1

    @property
    def count(self) -> int:
        return len(self.latencies)

    def ms(self, p: float) -> float:
        return percentile(self.latencies, p) * 1000

    @property
    def rps(self) -> float:
        return self.count / self.elapsed if self.elapsed else 0.0

    @property
    def bytes(self) -> int:
        return int(statistics.median(self.sizes)) if self.sizes else 0


# One request of a load: given the thread's session and a counter, make the request and check its
# answer; return the response to keep its time, or raise AssertionError to count an error.
Step = Callable[[Session, int], Response]


def load(
    make_session: Callable[[], Session],
    step: Step,
    *,
    concurrency: int = 4,
    requests: int = 200,
    seconds: float = 10.0,
    warmup: int = 1,
) -> Run:
    """Run `step` from `concurrency` threads until `requests` were made or `seconds` passed.

    Each thread first makes `warmup` requests of its own, which are not counted; then all start
    together. Only the time spent in requests that answered as expected counts as latency.
    """
    run = Run(concurrency=concurrency)
    lock = threading.Lock()
    ready = threading.Barrier(concurrency + 1)
    issued = 0
    deadline = [0.0]

    def worker(index: int) -> None:
        nonlocal issued
        session = None
        try:
            session = make_session()
            for n in range(warmup):
                try:
                    step(session, -1 - n - index * warmup)
                except Exception as error:  # a cold start's hiccup is not counted, but it is told
                    with lock:
                        run.warmup_errors.append(f"{type(error).__name__}: {error}"[:300])
        finally:
            ready.wait()  # whatever happened, the others are not left waiting
        if session is None:
            return
        try:
            while time.perf_counter() < deadline[0]:
                with lock:
                    if issued >= requests:
                        return
                    issued += 1
                    n = issued
                try:
                    answer = step(session, n)
                except Exception as error:
                    with lock:
                        run.errors.append(f"{type(error).__name__}: {error}"[:300])
                    continue
                with lock:
                    run.latencies.append(answer.seconds)
                    run.sizes.append(len(answer.body))
        finally:
            session.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    deadline[0] = time.perf_counter() + 3600  # until every thread has warmed up
    ready.wait()
    started = time.perf_counter()
    deadline[0] = started + seconds
    for thread in threads:
        thread.join()
    run.elapsed = time.perf_counter() - started
    return run


def expect(answer: Response, *statuses: int) -> Response:
    if answer.status not in statuses:
        raise AssertionError(f"answered {answer.status}, expected {'/'.join(map(str, statuses))}")
    return answer
