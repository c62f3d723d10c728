"""Route dependencies of the reporting service: its runtime and context, typed as its own."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from dondoc.platform.app import runtime_dependency
from services.reporting.context import ReportingContext, ReportingRuntime
from services.reporting.settings import ReportingSettings

# Also called directly by the dashboard's pages (web/), which read the runtime where they need it.
runtime_of = runtime_dependency(ReportingSettings, ReportingContext)
# This service's runtime: `runtime.settings` is ReportingSettings, `runtime.context` the ReportingContext.
RuntimeDep = Annotated[ReportingRuntime, Depends(runtime_of)]


def get_context(runtime: RuntimeDep) -> ReportingContext:
    """The running app's ReportingContext (settings, the day, the directory)."""
    return runtime.context


ContextDep = Annotated[ReportingContext, Depends(get_context)]
