"""Route dependencies of the reporting service: its runtime and context, typed as its own; the plan a
caller may compile (`MayCompile`); and how a review and a kept submission are answered."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from dondoc.platform.access import refuse_caller
from dondoc.platform.app import PrincipalDep, runtime_dependency
from dondoc.platform.idempotency import Answer
from dondoc.platform.refusals import PlanNotFound
from services.reporting.context import ReportingContext, ReportingRuntime
from services.reporting.http import library
from services.reporting.models import GeneratedReport, PlanView
from services.reporting.settings import ReportingSettings
from services.reporting.use_cases import access
from services.reporting.use_cases.reviews import Decision

# Also called directly by the dashboard's pages (web/), which read the runtime where they need it.
runtime_of = runtime_dependency(ReportingSettings, ReportingContext)
# This service's runtime: `runtime.settings` is ReportingSettings, `runtime.context` the ReportingContext.
RuntimeDep = Annotated[ReportingRuntime, Depends(runtime_of)]


def get_context(runtime: RuntimeDep) -> ReportingContext:
    """The running app's ReportingContext (settings, the day, the directory)."""
    return runtime.context


ContextDep = Annotated[ReportingContext, Depends(get_context)]


async def compilable_plan(
    plan_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> PlanView:
    """The plan the path names, if the caller may see its city-level figures (`access.may_compile`);
    otherwise 404, as for a plan that does not exist, so that no one learns it does."""
    async with runtime.uow() as uow:
        plan = await uow.session.get(PlanView, plan_id)
    if plan is None or not access.may_compile(principal, plan):
        raise await refuse_caller(request, runtime, principal, PlanNotFound())
    return plan


# The plan of the path, compiled by the caller: the city administrator, its issuer or its report recipient.
MayCompile = Annotated[PlanView, Depends(compilable_plan)]


def decision_answer(decided: Decision) -> Answer:
    """A review as the API and the dashboard answer it: 201 when recorded now, 200 when it already was."""
    body: dict[str, object] = {
        "kind": decided.kind,
        "item_id": decided.item_id,
        "version": decided.version,
        "unit": decided.unit,
        "decision": decided.decision,
        "note": decided.note,
    }
    return 201 if decided.new else 200, body, decided.subject


def generated_answer(base: str) -> Callable[[GeneratedReport], Answer]:
    """A kept submission as the API answers it, its links under `base`."""

    def shape(row: GeneratedReport) -> Answer:
        return 201, library.described(row, base).model_dump(mode="json"), row.report_id

    return shape
