"""This machine's TCP sockets as the kernel lists them (/proc), to tell whose a port or a connection is."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

LISTEN, ESTABLISHED = "0A", "01"


class Socket(NamedTuple):
    local_port: int
    remote_port: int
    state: str  # the kernel's code: LISTEN, ESTABLISHED
    inode: str


def ipv4_sockets() -> Iterator[Socket]:
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = fields[1].split(":")[1], fields[2].split(":")[1]
        yield Socket(int(local, 16), int(remote, 16), fields[3], fields[9])


def socket_inodes(pid: int | str = "self") -> set[str]:
    """The inodes of the sockets a process holds open."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = fd.readlink().name
        except OSError:
            continue  # closed meanwhile
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def listens_on(pid: int, port: int) -> bool:
    """Whether the process itself listens on `port` (not another server that took the port first)."""
    mine = socket_inodes(pid)
    return any(s.local_port == port and s.state == LISTEN and s.inode in mine for s in ipv4_sockets())
