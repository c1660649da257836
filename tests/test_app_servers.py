"""Several app servers behind one load balancer: two `make serve` share PostgreSQL and Redis.

A clerk signs in on one server and opens the desk on the other; the resolution recorded
through the first, with its PDF, shows at once on the second, whose page cache held the page
as it was; the document is read back through the storage API on the second.
"""

import http.client
import os
import re
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from agreements.models import CouncilResolution
from public import demo
from tests import factories

BASE_DIR = Path(__file__).resolve().parent.parent
PASSWORD = "two-servers-clerk"
PDF = demo.sample_pdf("Resolution")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="app servers share a database server: run on PostgreSQL (DATABASE_URL)",
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One `make serve`, as an operator starts it, on a port of its own."""

    def __init__(self, env: dict[str, str], log: Path):
        self.port = _free_port()
        self.log = log
        self.process = subprocess.Popen(
            ["make", "--no-print-directory", "serve"],
            cwd=BASE_DIR,
            # Each collects its static files on its own disk, as on its own machine.
            env=env | {"PORT": str(self.port), "STATIC_ROOT": str(log.with_suffix(".static"))},
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait(self, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"make serve stopped:\n{self.log.read_text()[-3000:]}")
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.3)
        pytest.fail(f"make serve did not answer:\n{self.log.read_text()[-3000:]}")

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            conn.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


class Browser:
    """Cookies by hand: the servers speak plain HTTP here, behind no proxy."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def send(self, server: Server, method: str, path: str, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        status, response_headers, content = server.request(method, path, body, headers)
        for name, value in response_headers:
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        return status, dict(response_headers), content

    def form_token(self, server: Server, path: str) -> str:
        status, _, content = self.send(server, "GET", path)
        assert status == 200, (path, status)
        return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)[1].decode()


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, (filename, data) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@pytest.fixture
def servers(tmp_path):
    database = settings.DATABASES["default"]
    redis_db = 15
    try:
        redis.Redis(host="127.0.0.1", port=6379, db=redis_db).flushdb()
    except redis.ConnectionError:
        pytest.skip("app servers share a Redis: none answers on 127.0.0.1:6379")
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "SECRET_KEY": "two-servers-" + "k" * 50,
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
            f"{connection.settings_dict['NAME']}"
        ),
        "REDIS_URL": f"redis://127.0.0.1:6379/{redis_db}",
        "CACHE_KEY_PREFIX": f"two-servers-{uuid.uuid4().hex}",
        "MEDIA_ROOT": str(tmp_path / "media"),  # one disk for both, as a shared volume
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "WEB_CONCURRENCY": "2",
    }
    first = Server(env, tmp_path / "first.log")
    second = Server(env, tmp_path / "second.log")
    try:
        first.wait()
        second.wait()
        yield first, second
    finally:
        first.stop()
        second.stop()


def test_two_app_servers_share_sessions_writes_cache_versions_and_documents(servers):
    first, second = servers
    procedure = factories.ProcedureFactory()
    agreement = procedure.agreement
    clerk = factories.clerk(agreement.partner, username="two-servers-clerk")
    # The servers check passwords with production's hashers, not the tests' quick one.
    clerk.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    clerk.save()
    page = agreement.get_absolute_url()

    # A reader on the second server: the page is cached there.
    reader = Browser()
    assert reader.send(second, "GET", page)[1].get("X-Page-Cache") == "miss"
    status, headers, before = reader.send(second, "GET", page)
    assert (status, headers.get("X-Page-Cache")) == (200, "hit")
    assert "議案第88号" not in before.decode()
    assert not reader.cookies  # a reader gets no cookie

    # The clerk signs in on the first server and opens the desk on the second.
    clerk_browser = Browser()
    token = clerk_browser.form_token(first, "/accounts/login/")
    status, headers, _ = clerk_browser.send(
        first,
        "POST",
        "/accounts/login/",
        urlencode(
            {"username": clerk.username, "password": PASSWORD, "csrfmiddlewaretoken": token}
        ).encode(),
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 302, headers
    form_url = f"/desk/procedures/{procedure.pk}/resolutions/new/"
    token = clerk_browser.form_token(second, form_url)

    # ... and records the resolution, with its PDF, through the first.
    body, content_type = _multipart(
        {
            "csrfmiddlewaretoken": token,
            "session": "令和8年3月定例会",
            "bill_number": "議案第88号",
            "resolved_on": factories.RESOLVED_ON.isoformat(),
            "result": "passed",
            "document_pending": "",
            "note": "",
        },
        {"document": ("giketsu.pdf", PDF)},
    )
    status, headers, content = clerk_browser.send(
        first, "POST", form_url, body, {"Content-Type": content_type}
    )
    assert status == 302, content.decode()[-2000:]

    # The second server shows it at once, although it had the page cached.
    status, headers, after = reader.send(second, "GET", page)
    assert (status, headers.get("X-Page-Cache")) == (200, "miss")
    assert "議案第88号" in after.decode()
    # The document went through the storage API and reads back through the second server.
    resolution = CouncilResolution.objects.get(bill_number="議案第88号")
    assert resolution.document.name.endswith(".pdf")
    status, headers, document = reader.send(
        second, "GET", f"/resolutions/{resolution.pk}/document.pdf"
    )
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    assert document == PDF
