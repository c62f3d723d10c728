"""Route dependencies of the tasks service: its runtime and context, typed as its own."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from dondoc.platform.app import runtime_dependency
from services.tasks.context import TasksContext, TasksRuntime
from services.tasks.settings import TasksSettings

get_runtime = runtime_dependency(TasksSettings, TasksContext)
# This service's runtime: `runtime.settings` is TasksSettings, `runtime.context` the TasksContext.
RuntimeDep = Annotated[TasksRuntime, Depends(get_runtime)]


def get_context(runtime: RuntimeDep) -> TasksContext:
    """The running app's TasksContext (directory, clock, calendar)."""
    return runtime.context


ContextDep = Annotated[TasksContext, Depends(get_context)]
