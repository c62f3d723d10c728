"""What intake's routes, pages and hooks share at run time: its settings and the directory it holds."""

from __future__ import annotations

from dataclasses import dataclass, field

from dondoc.platform.runtime import Runtime
from services.intake.directory_store import DirectoryHolder
from services.intake.settings import IntakeSettings


@dataclass
class IntakeContext:
    """Built by `create_app`, one per app: each app has its own store, so its own cached directory."""

    settings: IntakeSettings
    # The newest published directory, cached (intake owns the directory and keeps its versions).
    directory: DirectoryHolder = field(default_factory=DirectoryHolder)


IntakeRuntime = Runtime[IntakeSettings, IntakeContext]
