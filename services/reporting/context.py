"""What reporting's handlers, routes and ticker share: settings, the clock and the unit directory."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from dondoc.directory import load_default_directory, load_directory
from dondoc.kernel.clock import SYSTEM_CLOCK, Clock
from dondoc.platform.directory import DIRECTORY_TABLE, LiveDirectory
from dondoc.platform.runtime import Runtime
from services.reporting.models import metadata
from services.reporting.settings import ReportingSettings


@dataclass
class ReportingContext:
    """Mutable on purpose: tests move time by moving (or replacing) `clock`."""

    settings: ReportingSettings
    clock: Clock = SYSTEM_CLOCK
    _live: LiveDirectory | None = field(default=None, init=False)

    def today(self) -> date:
        """Today in Hải Phòng, by the injected clock."""
        return self.clock.today()

    def now(self) -> datetime:
        """Now, by the injected clock."""
        return self.clock.now()

    @property
    def live(self) -> LiveDirectory:
        """The directory intake last published (kept by the projection), else the packaged one."""
        if self._live is None:
            path = self.settings.directory_path
            packaged = load_directory(path) if path else load_default_directory()
            self._live = LiveDirectory(packaged, metadata.tables[DIRECTORY_TABLE])
        return self._live


ReportingRuntime = Runtime[ReportingSettings, ReportingContext]
