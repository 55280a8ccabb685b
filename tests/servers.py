"""Real server processes for load tests: ``manage.py runserver`` (threaded) on the test database.

The test database is handed to the servers as it is: on PostgreSQL they connect to it (a
transactional test commits its data); on SQLite the in-memory test database is copied to a file
(``sqlite_file``) and copied back afterwards (``load_sqlite_file``), so the test reads what the
servers wrote through the ORM on either database. Ports come from 8340–8349.

Also a small HTTP client that behaves like a browser for forms: a cookie jar, the CSRF token,
every field of a rendered form posted back (``FormFields``), redirects not followed.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
PORTS = range(8340, 8350)


def free_ports(count: int) -> list[int]:
    found = []
    for port in PORTS:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                found.append(port)
        if len(found) == count:
            return found
    raise RuntimeError(f"fewer than {count} free ports in {PORTS}")


def database_url(tmp_path: Path) -> str:
    """A DATABASE_URL for server processes that reaches this test's (committed) data."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{sqlite_file(tmp_path)}"
    if connection.vendor == "postgresql":
        user = urllib.parse.quote(settings["USER"] or "")
        password = f":{urllib.parse.quote(settings['PASSWORD'])}" if settings["PASSWORD"] else ""
        host = settings["HOST"] or "127.0.0.1"
        port = settings["PORT"] or 5432
        return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"
    raise NotImplementedError(connection.vendor)


def sqlite_file(tmp_path: Path) -> Path:
    """The in-memory test database copied to a file (servers need a real file to share)."""
    path = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    return path


def load_sqlite_file(path: Path) -> None:
    """Bring what the servers wrote back into the test's in-memory database."""
    source = sqlite3.connect(path)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


@contextlib.contextmanager
def runservers(count: int, env: dict[str, str], logs: Path) -> Iterator[list[str]]:
    """``count`` threaded ``runserver --noreload`` processes; yields their base URLs."""
    ports = free_ports(count)
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "PYTHONUNBUFFERED": "1",
        "LOG_LEVEL": "WARNING",
        **env,
    }
    processes = []
    try:
        for port in ports:
            log = open(logs / f"server-{port}.log", "w")  # noqa: SIM115 - closed below
            command = [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
            process = subprocess.Popen(
                command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT
            )
            processes.append((process, log))
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url, (process, _log) in zip(urls, processes, strict=True):
            _wait_until_up(url, process)
        yield urls
    finally:
        for process, _log in processes:
            process.terminate()
        for process, log in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


def _wait_until_up(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server for {url} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/api/v1/areas/", timeout=5):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise RuntimeError(f"the server for {url} did not answer within {timeout} s")


def server_errors(logs: Path) -> str:
    """Tracebacks and 5xx lines from the servers' logs, for an assertion message."""
    lines = []
    for log in sorted(logs.glob("server-*.log")):
        for line in log.read_text(errors="replace").splitlines():
            if "Error" in line or "Traceback" in line or '" 5' in line:
                lines.append(f"{log.name}: {line}")
    return "\n".join(lines[-40:])


# --- a form-filling HTTP client -------------------------------------------------------------


@dataclass
class Answer:
    status: int
    url: str
    body: str
    location: str = ""
    headers: dict[str, str] | None = None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Session:
    """One visitor: cookies kept, redirects returned rather than followed."""

    def __init__(self, base: str, timeout: float = 120):
        self.base = base
        self.timeout = timeout
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect()
        )

    def request(self, path: str, data: list[tuple[str, str]] | dict | None = None) -> Answer:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        url = path if path.startswith("http") else self.base + path
        try:
            with self.opener.open(url, body, timeout=self.timeout) as response:
                return Answer(
                    response.status,
                    response.url,
                    response.read().decode(errors="replace"),
                    headers=dict(response.headers),
                )
        except urllib.error.HTTPError as error:
            return Answer(
                error.code,
                url,
                error.read().decode(errors="replace"),
                location=error.headers.get("Location", ""),
                headers=dict(error.headers),
            )

    def form(self, path: str, form_id: str | None = None) -> list[tuple[str, str]]:
        """``form_id``: the form's id or one of its classes (default: the first form)."""
        page = self.request(path)
        if page.status != 200:
            raise AssertionError(f"GET {path}: {page.status}")
        parser = FormFields(form_id)
        parser.feed(page.body)
        return parser.fields

    def log_in(self, username: str, password: str) -> None:
        fields = dict(self.form("/admin/login/", "login-form"))
        fields.update({"username": username, "password": password})
        answer = self.request("/admin/login/", fields)
        if answer.status != 302:
            raise AssertionError(f"could not log in as {username}: {answer.status}")


class FormFields(HTMLParser):
    """The name/value pairs a browser submits for a form (the first form, or the one with the
    given id or class): checked boxes only, selected options (or the first), textareas without their
    leading newline, nothing inside <template>."""

    def __init__(self, form_id: str | None = None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.fields: list[tuple[str, str]] = []
        self._inside = False
        self._done = False
        self._templates = 0
        self._select: tuple[str, bool] | None = None
        self._first_option: str | None = None
        self._selected = False
        self._textarea: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self._done and self._wanted(attrs):
            self._inside = True
            return
        if not self._inside:
            return
        if tag == "template":
            self._templates += 1
        if self._templates:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "file", "reset"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value") or "on"))
                return
            self.fields.append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self._select = (name, "multiple" in attrs)
            self._first_option = None
            self._selected = False
        elif tag == "option" and self._select:
            value = attrs.get("value") or ""
            if "selected" in attrs:
                self._selected = True
                self.fields.append((self._select[0], value))
            elif self._first_option is None:
                self._first_option = value
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def _wanted(self, attrs: dict) -> bool:
        classes = (attrs.get("class") or "").split()
        return self.form_id is None or self.form_id == attrs.get("id") or self.form_id in classes

    def handle_endtag(self, tag):
        if not self._inside:
            return
        if tag == "template":
            self._templates -= 1
        elif tag == "form" and not self._templates:
            self._inside = False
            self._done = True
        elif tag == "select" and self._select:
            name, multiple = self._select
            if not self._selected and not multiple and self._first_option is not None:
                self.fields.append((name, self._first_option))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, value = self._textarea
            self.fields.append((name, value[1:] if value.startswith("\n") else value))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data
