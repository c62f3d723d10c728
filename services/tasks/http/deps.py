"""Route dependencies of the tasks service: its context and its ticker, held on the app's state."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.tasks.context import TasksContext
from services.tasks.jobs import Ticker


def get_context(request: Request) -> TasksContext:
    """The app's TasksContext (directory, clock, calendar)."""
    ctx: TasksContext = request.app.state.tasks
    return ctx


def get_ticker(request: Request) -> Ticker:
    """The app's ticker."""
    ticker: Ticker = request.app.state.ticker
    return ticker


ContextDep = Annotated[TasksContext, Depends(get_context)]
TickerDep = Annotated[Ticker, Depends(get_ticker)]
