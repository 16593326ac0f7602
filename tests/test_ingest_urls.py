"""Fetching URLs: a real http.server on 127.0.0.1, refused without --allow-private,
fetched with it, under the size cap and the redirect limit."""

from __future__ import annotations

import ipaddress
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from corroborator.errors import UnreadableInput
from corroborator.ingest import read_one, urls
from corroborator.ingest.limits import IngestOptions
from corroborator.records import RawDocument, Rejection

ALLOW = IngestOptions(allow_private=True)
#: a real article's variety (a page of one sentence repeated is rejected as not prose)
PAGE = (
    "<html><head><title>Harbour bridge reopens</title></head><body><article>"
    "<h1>Harbour bridge reopens</h1>"
    "<p>The harbour bridge reopened on Monday after three weeks of repairs, the council said.</p>"
    "<p>Engineers replaced 40 steel cables at a cost of 2.1 million euros, according to the port authority.</p>"
    "<p>Traffic was light in the morning, and buses returned to their usual route by noon.</p>"
    "<p>\u201cThe bridge is safe and will stay open,\u201d said Mayor Anna Berg.</p>"
    "</article></body></html>"
).encode()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # quiet
        return

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        port = self.server.server_address[1]
        if self.path == "/page.html":
            self._send(PAGE, "text/html; charset=utf-8")
        elif self.path == "/big-declared":
            self._send(b"x" * (3 * 1024 * 1024), "text/html")
        elif self.path == "/big-streamed":  # no Content-Length: the cap must cut the stream
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.close_connection = True
            try:
                for _ in range(64):
                    self.wfile.write(b"<p>" + b"y" * 65536 + b"</p>")
            except OSError:
                pass  # the client hung up at the cap, as it should
        elif self.path.startswith("/hop/"):
            left = int(self.path.rsplit("/", 1)[1])
            target = "/page.html" if left == 0 else f"/hop/{left - 1}"
            self._redirect(target)
        elif self.path == "/to-other-loopback":
            self._redirect(f"http://127.0.0.2:{port}/page.html")
        elif self.path == "/file.pdf":
            self._send(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "application/pdf")
        else:
            self._send(b"not found", "text/plain", 404)

    def _send(self, body: bytes, ctype: str, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_ingest_urls_loopback_refused_without_the_flag(server: str) -> None:
    [out] = list(read_one(f"{server}/page.html"))
    assert isinstance(out, Rejection)
    assert "refused" in out.reason and "loopback" in out.reason and "--allow-private" in out.reason
    # a host name is resolved and its answers checked, not only literal addresses
    port = server.rsplit(":", 1)[1]
    [named] = list(read_one(f"http://localhost:{port}/page.html"))
    assert isinstance(named, Rejection) and "refused" in named.reason


def test_ingest_urls_fetched_with_allow_private(server: str) -> None:
    [doc] = list(read_one(f"{server}/page.html", ALLOW))
    assert isinstance(doc, RawDocument), doc
    assert doc.fmt == "url" and doc.title == "Harbour bridge reopens"
    assert "reopened on Monday" in doc.text and doc.url == f"{server}/page.html"


def test_ingest_urls_size_cap_declared_and_streamed(server: str) -> None:
    small = IngestOptions(
        allow_private=True, max_document_bytes=1024 * 1024, max_feed_bytes=1024 * 1024
    )
    for path in ("/big-declared", "/big-streamed"):
        [out] = list(read_one(server + path, small))
        assert isinstance(out, Rejection) and "larger than the 1 MB limit" in out.reason, out


def test_ingest_urls_redirects_followed_up_to_the_limit(server: str) -> None:
    three = IngestOptions(allow_private=True, max_redirects=3)
    [doc] = list(read_one(f"{server}/hop/2", three))  # 3 redirects: allowed
    assert isinstance(doc, RawDocument) and doc.url == f"{server}/page.html"
    [out] = list(read_one(f"{server}/hop/3", three))  # 4 redirects: one too many
    assert isinstance(out, Rejection) and "more than 3 redirects" in out.reason


def test_ingest_urls_every_hop_is_checked(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """127.0.0.1 is let through as if public; the redirect to 127.0.0.2 must still be refused."""
    real = urls.refused_reason

    def first_hop_public(ip: urls.IPAddress) -> str | None:
        return None if str(ip) == "127.0.0.1" else real(ip)

    monkeypatch.setattr(urls, "refused_reason", first_hop_public)
    [ok] = list(read_one(f"{server}/page.html"))
    assert isinstance(ok, RawDocument)
    [out] = list(read_one(f"{server}/to-other-loopback"))
    assert isinstance(out, Rejection) and "127.0.0.2" in out.reason and "refused" in out.reason


def test_ingest_urls_http_errors_and_unsupported_formats(server: str) -> None:
    [missing] = list(read_one(f"{server}/nothing-here", ALLOW))
    assert isinstance(missing, Rejection) and "HTTP 404" in missing.reason
    [pdf] = list(read_one(f"{server}/file.pdf", ALLOW))
    assert isinstance(pdf, Rejection) and pdf.reason.startswith("PDF is not read")


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1", "169.254.169.254",
        "0.0.0.0", "224.0.0.1", "240.0.0.1", "255.255.255.255", "::1", "::", "fe80::1",
        "fc00::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a00:1",
        "2002:7f00:1::1",
    ],
)  # fmt: skip
def test_ingest_urls_private_addresses_refused(address: str) -> None:
    assert urls.refused_reason(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_ingest_urls_public_addresses_allowed(address: str) -> None:
    assert urls.refused_reason(ipaddress.ip_address(address)) is None


def test_ingest_urls_only_http_schemes() -> None:
    with pytest.raises(UnreadableInput, match="only http and https"):
        urls.checked_address("file:///etc/passwd", ALLOW)


def test_ingest_urls_cli_flag(server: str, tmp_path: Path) -> None:
    cli = [sys.executable, "-m", "corroborator", "ingest", f"{server}/page.html"]
    refused = subprocess.run([*cli, "--db", str(tmp_path / "a.db")], capture_output=True, text=True)
    assert (
        refused.returncode == 1
        and "refused" in refused.stdout
        and "--allow-private" in refused.stdout
    )
    fetched = subprocess.run(
        [*cli, "--db", str(tmp_path / "b.db"), "--allow-private"], capture_output=True, text=True
    )
    assert fetched.returncode == 0 and "new 1" in fetched.stdout, fetched.stdout + fetched.stderr


@pytest.mark.parametrize("command", ["claims", "check"])
def test_ingest_urls_claims_and_check_take_the_flag(
    server: str, tmp_path: Path, command: str
) -> None:
    """`claims` and `check` read URLs under the same rules as `ingest`: a loopback address
    is refused with one line naming --allow-private, and fetched with it."""
    cli = [sys.executable, "-m", "corroborator", command, f"{server}/page.html", "--json", "-"]
    if command == "check":
        cli += ["--no-model", "--db", str(tmp_path / "c.db")]
    refused = subprocess.run(cli, capture_output=True, text=True)
    assert refused.returncode == 1 and refused.stdout == ""
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot read"), refused.stderr
    assert "refused" in lines[0] and "--allow-private" in lines[0]
    fetched = subprocess.run([*cli, "--allow-private"], capture_output=True, text=True)
    assert fetched.returncode == 0, fetched.stderr
    doc = json.loads(fetched.stdout)
    assert doc["claims"], doc  # the page's sentences were read and cut into claims
    if command == "check":
        assert doc["title"] == "Harbour bridge reopens"
