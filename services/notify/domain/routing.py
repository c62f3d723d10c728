"""Which channels a unit hears a kind of notification on: the inbox always, others as it subscribed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Literal

from services.notify.domain.notices import Kind
from services.notify.domain.quiet_hours import QuietHours

Channel = Literal["inbox", "email", "webhook"]
CHANNELS: tuple[Channel, ...] = ("inbox", "email", "webhook")


@dataclass(frozen=True, slots=True)
class Preferences:
    """A unit's subscription as the rules see it; no `kinds` means every kind."""

    webhook_url: str | None = None
    emails: tuple[str, ...] = ()
    kinds: tuple[Kind, ...] = ()
    quiet: QuietHours | None = None


def channels_for(preferences: Preferences | None, kind: Kind) -> list[Channel]:
    """The inbox always; email and webhook when configured and the kind is wanted."""
    channels: list[Channel] = ["inbox"]
    if preferences is None or (preferences.kinds and kind not in preferences.kinds):
        return channels
    if preferences.emails:
        channels.append("email")
    if preferences.webhook_url:
        channels.append("webhook")
    return channels


def parse_clock(text: str) -> time:
    """Read a wall-clock time written "HH:MM" (24 h)."""
    hours, _, minutes = text.partition(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValueError(f"not a HH:MM time: {text!r}")
    return time(int(hours), int(minutes))
