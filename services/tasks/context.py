"""What the tasks service's handlers, routes and ticker share: directory, clock, calendar, settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from dondoc.kernel.clock import SYSTEM_CLOCK, Clock
from dondoc.platform.directory import LiveDirectory
from dondoc.platform.runtime import Runtime
from services.tasks.directory import DirectoryUnits
from services.tasks.domain.calendar import WorkCalendar, default_calendar, parse_calendar
from services.tasks.domain.units import UnitDirectory
from services.tasks.settings import TasksSettings


@dataclass
class TasksContext:
    """Mutable on purpose: tests move time by replacing `clock` (a kernel FixedClock or ShiftedClock)."""

    settings: TasksSettings
    directory: UnitDirectory
    clock: Clock
    calendar: WorkCalendar
    # The directory intake publishes, when `directory` follows it (a test may pass a fixed port instead).
    live: LiveDirectory | None = field(default=None)

    def __post_init__(self) -> None:
        if self.live is None and isinstance(self.directory, DirectoryUnits):
            self.live = self.directory.live

    def today(self) -> date:
        """Today in Hải Phòng, by the injected clock."""
        return self.clock.today()

    def now(self) -> datetime:
        """Now, by the injected clock."""
        return self.clock.now()


def load_calendar(settings: TasksSettings) -> WorkCalendar:
    """The operator's calendar file (JSON or TOML) or the shipped Vietnamese one."""
    path = settings.calendar_path
    if path is None:
        return default_calendar()
    text = path.read_text("utf-8")
    if path.suffix.lower() == ".json":
        return parse_calendar(text, fmt="json")
    return parse_calendar(text, fmt="toml")


def build_context(settings: TasksSettings, directory: UnitDirectory, clock: Clock | None) -> TasksContext:
    """The context of one app: the system clock unless a test or replay passes one."""
    return TasksContext(settings, directory, clock or SYSTEM_CLOCK, load_calendar(settings))


TasksRuntime = Runtime[TasksSettings, TasksContext]
