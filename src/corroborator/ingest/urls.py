"""http(s) URLs, fetched with httpx under the limits of :class:`IngestOptions`.

Each hop of a fetch (the URL given, then each redirect, followed by hand) is resolved once;
every address the name resolves to is checked, and the connection goes to that checked
address (the name travels in the Host header and TLS SNI), so a DNS answer that changes
between the check and the connection cannot point the fetch elsewhere. Loopback, private,
link-local (cloud metadata 169.254.169.254 among them), multicast, reserved and unspecified
addresses are refused, IPv4-mapped and NAT64-embedded IPv6 forms too, unless
``allow_private`` is set (``--allow-private``). The body is streamed and cut at the size
cap; a declared Content-Length over the cap is refused before any byte is read.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from ..errors import UnreadableInput
from .limits import DEFAULT_LIMITS, IngestOptions, MiB

USER_AGENT = "corroborator/0.1 (+https://example.invalid/corroborator)"
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
FEED_TYPES = ("rss", "atom", "xml")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


@dataclass(frozen=True)
class Fetched:
    url: str  # the final URL, after redirects
    data: bytes
    content_type: str

    @property
    def is_feed(self) -> bool:
        return any(t in self.content_type for t in FEED_TYPES) and "html" not in self.content_type


def refused_reason(ip: IPAddress) -> str | None:
    """Why an address may not be fetched from without --allow-private, or None if it may."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in ipaddress.IPv6Network("64:ff9b::/96"):  # NAT64
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return refused_reason(embedded)
    checks = (
        ("loopback", ip.is_loopback),
        ("link-local (cloud metadata lives here)", ip.is_link_local),
        ("private", ip.is_private),
        ("multicast", ip.is_multicast),
        ("unspecified", ip.is_unspecified),
        ("reserved", ip.is_reserved),
        ("not globally routable", not ip.is_global),
    )
    for name, hit in checks:
        if hit:
            return f"a {name} address"
    return None


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (a literal address resolves to itself)."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnreadableInput(f"cannot resolve {host}: {exc}") from exc
    addresses: list[IPAddress] = []
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if ip not in addresses:
            addresses.append(ip)
    if not addresses:
        raise UnreadableInput(f"cannot resolve {host}: no address")
    return addresses


def checked_address(url: str, options: IngestOptions) -> IPAddress:
    """The address to connect to for ``url``, after checking every address of its host."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnreadableInput(f"cannot fetch {url}: only http and https URLs are read")
    if not parts.hostname:
        raise UnreadableInput(f"cannot fetch {url}: no host name")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = resolve(parts.hostname, port)
    if not options.allow_private:
        for ip in addresses:
            why = refused_reason(ip)
            if why:
                raise UnreadableInput(
                    f"refused to fetch {url}: {parts.hostname} resolves to {ip}, {why}; "
                    "pass --allow-private to read from this machine or a private network"
                )
    return addresses[0]


def _too_big(url: str, cap: int) -> UnreadableInput:
    return UnreadableInput(
        f"{url} is larger than the {cap / MiB:g} MB limit; raise it with --max-document-mb "
        "or --max-feed-mb, or save the page and read the file"
    )


def fetch(url: str, options: IngestOptions = DEFAULT_LIMITS) -> Fetched:
    """GET ``url`` under the limits; raises UnreadableInput with the reason otherwise."""
    import httpx  # imported on use: only URL inputs need it

    cap = max(options.max_document_bytes, options.max_feed_bytes)
    timeout = httpx.Timeout(
        options.read_timeout_s, connect=options.connect_timeout_s, pool=options.connect_timeout_s
    )
    deadline = time.monotonic() + options.fetch_timeout_s
    current = url
    with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
        for _hop in range(options.max_redirects + 1):
            ip = checked_address(current, options)
            target = httpx.URL(current)
            host_header = target.netloc.decode("ascii")
            pinned = target.copy_with(host=str(ip))
            request = client.build_request(
                "GET",
                pinned,
                headers={"Host": host_header, "User-Agent": USER_AGENT},
                extensions={"sni_hostname": target.host},
            )
            try:
                response = client.send(request, stream=True)
            except httpx.HTTPError as exc:
                raise UnreadableInput(
                    f"cannot fetch {current}: {exc or type(exc).__name__}"
                ) from exc
            try:
                if response.status_code in REDIRECT_CODES:
                    location = response.headers.get("location")
                    if not location:
                        raise UnreadableInput(f"cannot fetch {current}: redirect with no Location")
                    current = urljoin(current, location)
                    continue
                if response.status_code >= 400:
                    raise UnreadableInput(
                        f"cannot fetch {current}: HTTP {response.status_code} "
                        f"{response.reason_phrase}"
                    )
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > cap:
                    raise _too_big(current, cap)
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > cap:
                        raise _too_big(current, cap)
                    if time.monotonic() > deadline:
                        raise UnreadableInput(
                            f"cannot fetch {current}: took longer than "
                            f"{options.fetch_timeout_s:g} s"
                        )
                    chunks.append(chunk)
                ctype = response.headers.get("content-type", "").lower()
                return Fetched(url=current, data=b"".join(chunks), content_type=ctype)
            except httpx.HTTPError as exc:
                raise UnreadableInput(
                    f"cannot fetch {current}: {exc or type(exc).__name__}"
                ) from exc
            finally:
                response.close()
    raise UnreadableInput(
        f"cannot fetch {url}: more than {options.max_redirects} redirects (last: {current})"
    )
