"""What reporting's handlers, routes and ticker share: settings, the clock and the unit directory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from dondoc.directory import Directory, load_default_directory, load_directory
from services.reporting.domain.vi import local_date
from services.reporting.settings import ReportingSettings

Today = Callable[[], date]


def system_today() -> date:
    """Today in Hải Phòng."""
    return local_date(datetime.now(UTC))


@dataclass
class ReportingContext:
    """Mutable on purpose: tests move time by replacing `today`."""

    settings: ReportingSettings
    today: Today = system_today
    _packaged: Directory | None = None
    _published: dict[int, Directory] = field(default_factory=dict)

    def directory(self, version: int | None = None, snapshot: dict[str, object] | None = None) -> Directory:
        """The directory intake last published (by version, parsed once), else the packaged one."""
        if version is not None and snapshot is not None:
            if version not in self._published:
                self._published = {version: Directory.from_dict(snapshot)}
            return self._published[version]
        if self._packaged is None:
            path = self.settings.directory_path
            self._packaged = load_directory(path) if path else load_default_directory()
        return self._packaged
