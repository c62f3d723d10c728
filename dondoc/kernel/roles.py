"""A unit's role in a task, as plans write it: it leads (chủ trì) or it coordinates (phối hợp)."""

from __future__ import annotations

from typing import Final, Literal, get_args

Role = Literal["chu_tri", "phoi_hop"]  # lead / coordinating: the wire's and the store's codes
ROLES: Final[tuple[Role, ...]] = get_args(Role)
ROLE_LABELS: Final[dict[Role, str]] = {"chu_tri": "Chủ trì", "phoi_hop": "Phối hợp"}


def as_role(text: str) -> Role:
    """The role a code names; anything but "chu_tri" coordinates (a designation's default)."""
    return "chu_tri" if text == "chu_tri" else "phoi_hop"
