"""Where a webhook may point: a public address only, checked when it is saved and again at every send.

A unit's webhook URL is the one place where a unit makes notify open a connection to a place of its choosing.
Left open, that is server-side request forgery: `http://127.0.0.1:8001/admin/keys` or the cloud's metadata
address `http://169.254.169.254/` reached from inside the city's network. So the host is resolved and every
address it resolves to must be global (not loopback, link-local, private, unique-local, shared or reserved);
the scheme must be `https`. The send connects to the very address that was checked (`Target.address`),
never resolving the name a second time, so a name that resolves to a public address for the check and to
a private one a moment later (DNS rebinding) gains nothing.

Development and tests receive webhooks on 127.0.0.1 over plain HTTP: they opt in to exactly that, loopback
and `http`, with `notify_webhook_allow_loopback` (off by default; on in `make run`'s development defaults).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

Resolver = Callable[[str, int], Awaitable[list[str]]]
# A name that does not resolve in this long is treated as not resolving (the unit is told, a send retried).
RESOLVE_SECONDS = 5.0
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(Exception):
    """A webhook address notify will not connect to; the message says why, in Vietnamese, for the unit.

    `lasting` is False when the name could not be resolved just now (DNS may answer later).
    """

    def __init__(self, message: str, *, lasting: bool = True) -> None:
        super().__init__(message)
        self.message = message
        self.lasting = lasting


@dataclass(frozen=True)
class Target:
    """A checked webhook address: the URL as given, and the one IP address notify connects to."""

    url: str
    host: str
    address: str

    def connect_url(self) -> str:
        """The URL with its host replaced by the checked address (the Host header and TLS keep the name)."""
        parts = urlsplit(self.url)
        ip = f"[{self.address}]" if ":" in self.address else self.address
        netloc = f"{ip}:{parts.port}" if parts.port else ip
        if "@" in parts.netloc:
            netloc = f"{parts.netloc.rsplit('@', 1)[0]}@{netloc}"
        return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))

    def host_header(self) -> str:
        """What the receiver sees as Host: the name and port the unit wrote."""
        return urlsplit(self.url).netloc.rsplit("@", 1)[-1]


async def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system's resolver gives for `host`."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def is_forbidden(address: IPAddress, *, allow_loopback: bool) -> bool:
    """True for anything but a global unicast address (loopback only when development allows it)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if allow_loopback and address.is_loopback:
        return False
    return not address.is_global or address.is_multicast


async def check_webhook_url(
    url: str, *, allow_loopback: bool, resolver: Resolver = system_resolver
) -> Target:
    """The checked target of `url`, or AddressRefused saying (in Vietnamese) what to change."""
    parts = urlsplit(url)
    schemes = ("https", "http") if allow_loopback else ("https",)
    if parts.scheme not in schemes:
        raise AddressRefused("Địa chỉ webhook phải bắt đầu bằng https://.")
    host = parts.hostname
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise AddressRefused("Cổng trong địa chỉ webhook không hợp lệ.") from None
    if not host:
        raise AddressRefused("Địa chỉ webhook thiếu tên máy chủ, ví dụ https://he-thong.phuong.gov.vn/nhan.")
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        try:
            async with asyncio.timeout(RESOLVE_SECONDS):
                addresses = await resolver(host, port)
        except (OSError, UnicodeError, TimeoutError):
            addresses = []
        if not addresses:
            raise AddressRefused(
                f"Không tìm thấy máy chủ «{host}» của địa chỉ webhook; hãy kiểm tra lại tên máy chủ.",
                lasting=False,
            ) from None
    for found in addresses:
        address = ipaddress.ip_address(found.split("%", 1)[0])
        if is_forbidden(address, allow_loopback=allow_loopback):
            raise AddressRefused(
                f"Địa chỉ webhook trỏ tới mạng nội bộ hoặc địa chỉ dành riêng ({address}); "
                "chỉ được dùng địa chỉ công khai trên Internet."
            )
    return Target(url, host, addresses[0].split("%", 1)[0])
