"""What reporting's handlers, routes and ticker share: settings, the clock and the unit directory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from dondoc.directory import load_default_directory, load_directory
from dondoc.platform.directory import DIRECTORY_TABLE, LiveDirectory
from dondoc.platform.runtime import Runtime
from services.reporting.domain.vi import local_date
from services.reporting.models import metadata
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
    _live: LiveDirectory | None = field(default=None, init=False)

    @property
    def live(self) -> LiveDirectory:
        """The directory intake last published (kept by the projection), else the packaged one."""
        if self._live is None:
            path = self.settings.directory_path
            packaged = load_directory(path) if path else load_default_directory()
            self._live = LiveDirectory(packaged, metadata.tables[DIRECTORY_TABLE])
        return self._live


ReportingRuntime = Runtime[ReportingSettings, ReportingContext]
