"""Route dependencies of the notify service: its runtime, typed as its own."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from dondoc.platform.app import runtime_dependency
from services.notify.context import NotifyContext, NotifyRuntime
from services.notify.settings import NotifySettings

get_runtime = runtime_dependency(NotifySettings, NotifyContext)
# This service's runtime: `runtime.settings` is NotifySettings, `runtime.context` the NotifyContext.
RuntimeDep = Annotated[NotifyRuntime, Depends(get_runtime)]
