"""What notify's use cases share at run time: settings, the clock, unit names, metrics."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from dondoc.directory import Directory, load_default_directory, load_directory
from services.notify.channels.address import Resolver, system_resolver
from services.notify.channels.secrets_at_rest import SecretBox
from services.notify.domain.notices import Submission
from services.notify.metrics import NotifyMetrics
from services.notify.settings import NotifySettings

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Now, in UTC."""
    return datetime.now(UTC)


@lru_cache(maxsize=4)
def _directory(path: Path | None) -> Directory:
    return load_directory(path) if path else load_default_directory()


@dataclass
class NotifyContext:
    """Built by `create_app`; the clock is injectable so tests can move time (quiet hours, digests)."""

    settings: NotifySettings
    clock: Clock = system_clock
    metrics: NotifyMetrics | None = field(default=None)
    # How webhook host names become addresses (the system's resolver; tests name hosts of their own).
    resolver: Resolver = system_resolver
    secrets: SecretBox = field(init=False)

    def __post_init__(self) -> None:
        self.secrets = SecretBox(self.settings.notify_secrets_keys)

    def unit_name(self, code: str) -> str:
        """The unit's name from the directory, or its code when the directory does not know it."""
        unit = _directory(self.settings.directory_path).get(code)
        return unit.name if unit else code

    def assignment_link(self, assignment_id: str) -> str:
        """Where the unit acts on an assignment (the tasks service)."""
        return f"{self.settings.tasks_public_url.rstrip('/')}/assignments/{assignment_id}"

    def unit_link(self, unit: str) -> str:
        """Where the unit sees all its assignments."""
        return f"{self.settings.tasks_public_url.rstrip('/')}/assignments?unit={unit}"

    def submission_link(self, submission: Submission, item_id: str) -> str:
        """Where the unit sees a result or periodic report it sent (intake), to correct and resend it."""
        folder = "results" if submission == "result" else "reports"
        return f"{self.settings.intake_public_url.rstrip('/')}/{folder}/{item_id}"
