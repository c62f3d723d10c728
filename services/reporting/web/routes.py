"""The dashboard's pages: the city's plans → a plan → a unit → an assignment, and generated reports."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import date
from weakref import WeakKeyDictionary

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from dondoc.platform.app import ServiceApp, service_app
from dondoc.platform.auth import Principal
from dondoc.platform.uow import UnitOfWork
from services.reporting import queries
from services.reporting.context import ReportingContext
from services.reporting.domain import ReportingInputs, Submission
from services.reporting.http import library
from services.reporting.http.deps import runtime_of
from services.reporting.models import AssignmentView, GeneratedReport, PlanView
from services.reporting.use_cases import access, generation
from services.reporting.web import cache, charts, plan_view, reads, views
from services.reporting.web.auth import Viewer
from services.reporting.web.render import error, page

router = APIRouter(include_in_schema=False)
ALL = "all"
_NO_PLAN = "Không tìm thấy kế hoạch này."
_CITY_ONLY = (
    "Trang tổng hợp của kế hoạch chỉ dành cho cơ quan tổng hợp (Sở Tư pháp), cơ quan ban hành và lãnh đạo "
    "thành phố. Đơn vị của bạn xem được trang kết quả của chính đơn vị mình."
)
_NOT_YOUR_UNIT = "Bạn chỉ xem được trang của đơn vị mình (và các phòng, ban trực thuộc)."


def _ctx(request: Request) -> ReportingContext:
    ctx = runtime_of(request).context
    return ctx


class Refusal(Exception):
    """A page the viewer may not see, or that does not exist."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Loaded:
    """A plan compiled for the scope a page asked for."""

    plan: PlanView
    inputs: ReportingInputs
    periods: list[queries.PeriodInfo]
    period: str | None
    scope: generation.Scope
    submission: Submission


# Each app's cache of compiled plans (one per app: each app has its own store), gone with its app.
_COMPILED: WeakKeyDictionary[ServiceApp, cache.CompiledCache[Loaded]] = WeakKeyDictionary()


def compiled_cache(app: ServiceApp) -> cache.CompiledCache[Loaded]:
    """`app`'s cache of compiled plans."""
    return _COMPILED.setdefault(app, cache.CompiledCache())


def compiled(request: Request) -> cache.CompiledCache[Loaded]:
    """The cache of compiled plans of the app answering `request`."""
    return compiled_cache(service_app(request))


async def load(uow: UnitOfWork, request: Request, plan: PlanView, period: str | None) -> Loaded:
    """The plan's inputs and the submission for a period (the default one when none is asked)."""
    return await load_for(uow, _ctx(request), compiled(request), plan, period)


async def load_for(
    uow: UnitOfWork,
    ctx: ReportingContext,
    kept: cache.CompiledCache[Loaded],
    plan: PlanView,
    period: str | None,
) -> Loaded:
    """`load` for a caller without a request: the background warmer (warm.py) compiles what views ask."""
    today = ctx.today()
    periods = await queries.periods(uow.session, plan.plan_id)
    chosen = reads.default_period(periods, today) if period is None else period
    if chosen == ALL or chosen is None:
        scope = generation.Scope(plan.plan_id, None, date.min, date.max, today)
    elif chosen in {p.period_id for p in periods}:
        scope = await generation.resolve_scope(
            uow.session, plan.plan_id, period_id=chosen, start=None, end=None, as_of=today
        )
    else:
        raise Refusal(404, f"Kế hoạch không có kỳ báo cáo {chosen}.")

    stamp = await cache.store_stamp(uow.session, uow.tables)
    plan_key = (plan.plan_id, plan.version)

    async def compile_() -> Loaded:
        # Another period of this plan version, compiled at this very state of the store, read the same
        # inputs: a viewer who switches periods waits for the compile alone.
        same = kept.kept_at(stamp, lambda view: isinstance(view, tuple) and view[:2] == plan_key)
        inputs = (
            same.inputs if same is not None else await queries.load_inputs(uow.session, ctx, plan.plan_id)
        )
        assert inputs is not None  # the plan exists
        # Pure and CPU-bound (seconds at national scale): in a thread, so the service answers meanwhile.
        submission = await asyncio.to_thread(generation.compile_scope, inputs, scope)
        return Loaded(plan, inputs, periods, scope.period_id, scope, submission)

    return await kept.get((*plan_key, scope), stamp, compile_)


async def find_plan(uow: UnitOfWork, principal: Principal, plan_id: str, unit: str | None = None) -> PlanView:
    """The plan, if the viewer may see its city figures (or, given a unit, that unit's page)."""
    plan = await uow.session.get(PlanView, plan_id)
    if plan is None:
        raise Refusal(404, _NO_PLAN)
    if access.may_compile(principal, plan):
        return plan
    if unit is not None and principal.may_act_for(unit):
        return plan
    raise Refusal(403, _NOT_YOUR_UNIT if unit is not None else _CITY_ONLY)


@dataclass(frozen=True)
class PlanCard:
    """A plan on the home page, with its progress over every period."""

    plan: PlanView
    city: bool
    summary: views.Summary | None
    unit: str | None
    unit_counts: views.CountsView | None = None


@router.get("/dashboard", response_class=HTMLResponse)
async def home(request: Request, principal: Viewer) -> HTMLResponse:
    ctx = _ctx(request)
    cards: list[PlanCard] = []
    async with runtime_of(request).uow() as uow:
        for plan in await queries.plans(uow.session):
            if access.may_compile(principal, plan):
                loaded = await load(uow, request, plan, ALL)
                cards.append(PlanCard(plan, True, views.summary(loaded.submission), None))
        if principal.unit is not None:
            shown = {c.plan.plan_id for c in cards}
            for plan in await reads.plans_of_unit(uow.session, principal.unit):
                if plan.plan_id not in shown:
                    own = views.find_unit((await load(uow, request, plan, ALL)).submission, principal.unit)
                    counts = views.counts_view(own.counts) if own else None
                    cards.append(PlanCard(plan, False, None, principal.unit, counts))
    return page(request, "home.html", cards=cards, today=ctx.today())


@router.get("/dashboard/plans/{plan_id}", response_class=HTMLResponse)
async def plan_page(
    request: Request, plan_id: str, principal: Viewer, period: str | None = None
) -> HTMLResponse:
    try:
        async with runtime_of(request).uow() as uow:
            plan = await find_plan(uow, principal, plan_id)
            loaded = await load(uow, request, plan, period or None)
            reports = await library.listed(uow.session, plan_id, "/dashboard")
    except Refusal as refusal:
        return error(request, refusal.status, refusal.message)
    sub = loaded.submission
    summary = views.summary(sub)
    # Reports count as they arrived up to today; sub.as_of may be an earlier period's data cut-off.
    points = views.timeline(loaded.inputs, [p.period_id for p in loaded.periods], _ctx(request).today())
    parsed = plan_view.parse_filters(request.query_params, sub)
    overdue_tasks = plan_view.overdue_by_task(sub)
    return page(
        request,
        "plan.html",
        400 if parsed.errors else 200,
        loaded=loaded,
        filters=parsed.filters,
        errors=parsed.errors,
        kinds=plan_view.KIND_CHOICES,
        report_filters=plan_view.REPORT_FILTERS,
        grid=plan_view.grid_page(sub, parsed.filters),
        overdue_tasks=overdue_tasks,
        overdue_units=plan_view.overdue_by_unit(sub),
        sub=sub,
        summary=summary,
        task_bar=charts.status_bar(summary.tasks, "task-bar", "Nhiệm vụ theo tình trạng"),
        assignment_bar=charts.status_bar(summary.assignments, "assign-bar", "Lượt đơn vị theo tình trạng"),
        points=points,
        rates_chart=charts.rates_chart(points),
        overdue_count=sum(t.count for t in overdue_tasks),
        missing=views.missing_reports(sub),
        silent=views.silent_units(sub),
        reports=reports,
        idempotency=str(uuid.uuid4()),
    )


@router.get("/dashboard/plans/{plan_id}/units/{unit}", response_class=HTMLResponse)
async def unit_page(
    request: Request, plan_id: str, unit: str, principal: Viewer, period: str | None = None
) -> HTMLResponse:
    ctx = _ctx(request)
    try:
        async with runtime_of(request).uow() as uow:
            plan = await find_plan(uow, principal, plan_id, unit)
            loaded = await load(uow, request, plan, period or None)
            reports = await reads.report_versions(uow.session, plan_id, unit)
            who = queries.unit_of(await queries.directory(uow.session, ctx), unit)
    except Refusal as refusal:
        return error(request, refusal.status, refusal.message)
    summary = views.find_unit(loaded.submission, unit)
    if summary is None and not reports:
        return error(request, 404, "Đơn vị này không có nhiệm vụ hay báo cáo nào trong kế hoạch.")
    return page(
        request,
        "unit.html",
        loaded=loaded,
        unit=who,
        summary=summary,
        counts=views.counts_view(summary.counts) if summary else None,
        rates=views.unit_rates(loaded.submission, unit),
        links=views.assignment_ids(loaded.inputs),
        reports=reports,
        city=access.may_compile(principal, plan),
    )


@router.get("/dashboard/assignments/{assignment_id}", response_class=HTMLResponse)
async def assignment_page(request: Request, assignment_id: str, principal: Viewer) -> HTMLResponse:
    ctx = _ctx(request)
    try:
        async with runtime_of(request).uow() as uow:
            found = await uow.session.get(AssignmentView, assignment_id)
            if found is None or found.withdrawn:
                raise Refusal(404, "Không tìm thấy nhiệm vụ được giao này.")
            plan = await find_plan(uow, principal, found.plan_id, found.unit)
            loaded = await load(uow, request, plan, ALL)
            versions = await reads.result_versions(uow.session, found)
            known = await queries.directory(uow.session, ctx)
            who = queries.unit_of(known, found.unit, found.unit_name)
            # Who sent each version: the ward itself or its office, named as the directory names them.
            senders = {v.row.unit: queries.unit_of(known, v.row.unit, v.row.unit).name for v in versions}
    except Refusal as refusal:
        return error(request, refusal.status, refusal.message)
    summary = views.find_unit(loaded.submission, found.unit)
    line = next((r for r in summary.results if r.task_ref == found.task_ref), None) if summary else None
    return page(
        request,
        "assignment.html",
        plan=plan,
        assignment=found,
        unit=who,
        line=line,
        style=views.style(line.status) if line else None,
        versions=versions,
        senders=senders,
        city=access.may_compile(principal, plan),
        today=ctx.today(),
    )


@router.get("/dashboard/reports/{report_id}", response_class=HTMLResponse)
async def report_page(request: Request, report_id: str, principal: Viewer) -> HTMLResponse:
    async with runtime_of(request).uow() as uow:
        row = await uow.session.get(GeneratedReport, report_id)
        plan = await uow.session.get(PlanView, row.plan_id) if row else None
    if row is None or plan is None or not access.may_compile(principal, plan):
        return error(request, 404, "Không tìm thấy báo cáo tổng hợp này.")
    described = library.described(row, "/dashboard")
    return page(request, "report.html", plan=plan, report=described, scope=generation.scope_of(row))
