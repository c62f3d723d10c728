"""What notify's use cases share at run time: settings, the clock, unit names, metrics."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from dondoc.directory import Directory, load_default_directory, load_directory
from dondoc.kernel.clock import SYSTEM_CLOCK, Clock
from dondoc.platform.directory import LiveDirectory
from dondoc.platform.runtime import Runtime
from services.notify.channels.address import Resolver, system_resolver
from services.notify.channels.secrets_at_rest import SecretBox
from services.notify.domain.codec import ReadBack
from services.notify.domain.notices import Kind, Submission
from services.notify.metrics import NotifyMetrics
from services.notify.models import DIRECTORY
from services.notify.settings import NotifySettings


@lru_cache(maxsize=4)
def _directory(path: Path | None) -> Directory:
    return load_directory(path) if path else load_default_directory()


@dataclass
class NotifyContext:
    """Built by `create_app`; the clock is injectable so tests can move time (quiet hours, digests)."""

    settings: NotifySettings
    clock: Clock = SYSTEM_CLOCK
    metrics: NotifyMetrics | None = field(default=None)
    # How webhook host names become addresses (the system's resolver; tests name hosts of their own).
    resolver: Resolver = system_resolver
    secrets: SecretBox = field(init=False)
    # The directory intake publishes (directory.published), the packaged one until it has.
    live: LiveDirectory = field(init=False)
    # Notices of stored inbox rows, decoded once for the digests that list them (codec.ReadBack).
    read_back: ReadBack = field(default_factory=ReadBack)

    def __post_init__(self) -> None:
        self.secrets = SecretBox(self.settings.notify_secrets_keys)
        self.live = LiveDirectory(_directory(self.settings.directory_path), DIRECTORY)

    def unit_name(self, code: str) -> str:
        """The unit's name from the directory, or its code when the directory does not know it."""
        unit = self.live.directory.get(code)
        return unit.name if unit else code

    def _workspace(self, path: str) -> str:
        # Every link opens the people's workspace in intake; a signed-out visitor signs in and comes back.
        return f"{self.settings.intake_public_url.rstrip('/')}/workspace{path}"

    def assignment_link(self, assignment_id: str) -> str:
        """The workspace page of an assignment, where the unit reports on it."""
        return self._workspace(f"/assignments/{quote(assignment_id, safe='')}")

    def unit_link(self, unit: str) -> str:
        """The unit's work page in the workspace: all its assignments, grouped by plan."""
        return self._workspace(f"?unit={quote(unit, safe='')}")

    def report_link(self, unit: str, plan_id: str | None, period_id: str) -> str:
        """The workspace page of a periodic report the unit owes (the list of owed reports without a plan)."""
        if not plan_id:
            return self._workspace(f"/reports?unit={quote(unit, safe='')}")
        path = f"/reports/{quote(plan_id, safe='')}/{quote(period_id, safe='')}"
        return self._workspace(f"{path}?unit={quote(unit, safe='')}")

    def approvals_link(self) -> str:
        """The workspace page where a unit's leader approves or returns what waits (its own unit's and its
        offices')."""
        return self._workspace("/approvals")

    def digest_link(self, unit: str, kind: Kind) -> str:
        """Where a digest of one kind sends the unit: what waits for approval on the leader's page, the rest
        on the unit's work page."""
        return self.approvals_link() if kind == "approval_waiting" else self.unit_link(unit)

    def submission_link(self, submission: Submission, item_id: str) -> str:
        """The workspace page of a result or periodic report the unit sent, to correct and resend it."""
        folder = "results" if submission == "result" else "report-versions"
        return self._workspace(f"/{folder}/{quote(item_id, safe='')}")


NotifyRuntime = Runtime[NotifySettings, NotifyContext]
