"""Fetching a web page for import without letting an address reach inside our own network.

The host is resolved here, every address it resolves to is checked, and the connection goes to
the checked address (TLS still verifies the host's name), so a second DNS answer cannot rebind
it. Every redirect is checked the same way; time and size are capped while the body streams.
"""

from __future__ import annotations

import datetime
import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import urllib3
from django.conf import settings
from django.utils import timezone

from factline.ingest.errors import ImportRefused

MAX_REDIRECTS = 5
REDIRECTS = {301, 302, 303, 307, 308}
CHUNK = 64 * 1024
USER_AGENT = "Factline/1.0 (source import)"
NAT64 = ipaddress.ip_network("64:ff9b::/96")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class Fetched:
    data: bytes
    content_type: str
    address: str
    final_address: str
    fetched: datetime.datetime


def refused(reason: str, code: str) -> ImportRefused:
    return ImportRefused(reason, field="url", code=code)


def max_bytes() -> int:
    return settings.FACTLINE_IMPORT_MAX_BYTES


def _timeout() -> float:
    return float(settings.FACTLINE_FETCH_TIMEOUT)


def _allowed_hosts() -> set[str]:
    return {host.lower() for host in settings.FACTLINE_FETCH_ALLOWED_HOSTS}


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # as the DNS and the certificate know it (IDNA), without brackets
    port: int
    path: str  # path and query, what the request line asks for
    url: str  # the address, normalised, without its fragment

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


def parse(address: str) -> Target:
    """The address as a target we may ask for, or a refusal saying what is wrong with it."""
    address = address.strip()
    try:
        parts = urlsplit(address)
        port = parts.port
    except ValueError:
        raise refused("This is not a web address we can read.", "invalid_address") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        what = f"a {scheme}: address" if scheme else "an address without http:// or https://"
        raise refused(f"Only http and https addresses can be fetched, not {what}.", "scheme")
    if parts.username or parts.password:
        raise refused("Addresses with a user name or password are not fetched.", "credentials")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise refused("The address has no host name.", "invalid_address")
    try:
        host = host.encode("idna").decode("ascii").lower() if not _is_ip(host) else host
    except UnicodeError:
        raise refused("The address's host name is not valid.", "invalid_address") from None
    port = port or (443 if scheme == "https" else 80)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    netloc = f"[{host}]" if ":" in host else host
    if parts.port:
        netloc += f":{parts.port}"
    return Target(scheme, host, port, path, urlunsplit((scheme, netloc, parts.path or "/", parts.query, "")))


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def why_not_public(ip: IPAddress) -> str:
    """What kind of address `ip` is, when it is one we never fetch from; "" for a public address."""
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv4 address inside an IPv6 one (mapped, 6to4, NAT64) is judged as the IPv4 address it reaches.
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif ip.sixtofour is not None:
            ip = ip.sixtofour
        elif ip in NAT64:
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    checks = [
        ("is_unspecified", "an unspecified address"),
        ("is_loopback", "a loopback address (this machine)"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
        ("is_reserved", "a reserved address"),
        ("is_private", "a private network address"),
    ]
    for attribute, words in checks:
        if getattr(ip, attribute):
            return words
    return "" if ip.is_global else "an address that is not public"


def resolve(target: Target) -> str:
    """The address to connect to: every address the host resolves to must be public (or the host allowed)."""
    try:
        infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise refused(f"The host {target.host} was not found.", "dns") from None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if not addresses:
        raise refused(f"The host {target.host} was not found.", "dns")
    if target.host not in _allowed_hosts():
        for ip in addresses:
            kind = why_not_public(ip)
            if kind:
                raise refused(f"{target.host} is {kind} ({ip}); only public web addresses are fetched.", "private")
    return str(addresses[0])


def _pool(target: Target, ip: str, remaining: float) -> urllib3.HTTPConnectionPool:
    timeout = urllib3.Timeout(connect=remaining, read=remaining)
    if target.scheme == "https":
        # Connect to the checked address; SNI and the certificate check still use the host's name.
        return urllib3.HTTPSConnectionPool(
            ip, target.port, timeout=timeout, retries=False, maxsize=1,
            server_hostname=target.host, assert_hostname=target.host, cert_reqs="CERT_REQUIRED",
        )  # fmt: skip
    return urllib3.HTTPConnectionPool(ip, target.port, timeout=timeout, retries=False, maxsize=1)


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise refused(f"The server did not answer within {_timeout():g} seconds.", "timeout")
    return left


def _read(response: urllib3.BaseHTTPResponse, deadline: float, cap: int) -> bytes:
    length = response.headers.get("Content-Length", "")
    if length.isdecimal() and int(length) > cap:
        raise refused(f"The page is larger than {cap // (1024 * 1024)} MB.", "too_large")
    body = bytearray()
    while True:
        sock = getattr(getattr(response, "connection", None), "sock", None)
        if sock is not None:
            sock.settimeout(_left(deadline))  # the whole fetch shares one deadline, not each read
        chunk = response.read1(CHUNK)
        if not chunk:
            return bytes(body)
        body += chunk
        if len(body) > cap:
            raise refused(f"The page is larger than {cap // (1024 * 1024)} MB.", "too_large")
        _left(deadline)


def fetch(address: str) -> Fetched:
    """GET `address` (following up to five checked redirects), or refuse with the reason."""
    deadline = time.monotonic() + _timeout()
    first = parse(address)
    target = first
    for _hop in range(MAX_REDIRECTS + 1):
        ip = resolve(target)
        pool = _pool(target, ip, _left(deadline))
        headers = {
            "Host": target.host_header,
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml,application/pdf,text/plain;q=0.9,*/*;q=0.1",
        }
        try:
            response = pool.urlopen(
                "GET", target.path, headers=headers, redirect=False, retries=False,
                preload_content=False, assert_same_host=False,
            )  # fmt: skip
            try:
                if response.status in REDIRECTS:
                    location = response.headers.get("Location", "")
                    if not location:
                        raise refused(f"The server answered {response.status} without saying where to.", "status")
                    target = parse(urljoin(target.url, location))
                    continue
                if response.status != 200:
                    reason = f" {response.reason}" if response.reason else ""
                    raise refused(f"The server answered {response.status}{reason}, not the page.", "status")
                data = _read(response, deadline, max_bytes())
                content_type = response.headers.get("Content-Type", "")
            finally:
                response.release_conn()
        except (urllib3.exceptions.TimeoutError, TimeoutError):
            raise refused(f"The server did not answer within {_timeout():g} seconds.", "timeout") from None
        except urllib3.exceptions.SSLError:
            raise refused(f"{target.host}'s secure connection could not be verified.", "tls") from None
        except urllib3.exceptions.HTTPError as error:
            raise refused(f"{target.host} could not be reached ({type(error).__name__}).", "connection") from None
        finally:
            pool.close()
        return Fetched(data, content_type, first.url, target.url, timezone.now())
    raise refused(f"The address redirected more than {MAX_REDIRECTS} times.", "redirects")
