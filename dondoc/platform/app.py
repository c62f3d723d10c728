"""The app factory every service shares: lifespan, health, readiness, metrics, errors, correlation ids."""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Annotated, Any, Generic

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from typing_extensions import TypeVar

from dondoc import __version__
from dondoc.platform.audit import record_refused
from dondoc.platform.auth import BOOTSTRAP_ADMIN, Authenticator, Principal, bearer_token
from dondoc.platform.edge import EdgeMiddleware
from dondoc.platform.errors import install_error_handlers, validation_error
from dondoc.platform.jobs import Job
from dondoc.platform.metrics import ServiceMetrics
from dondoc.platform.openapi import describe_errors_as_sent
from dondoc.platform.paging import refuse_unknown_parameters
from dondoc.platform.ratelimit import RateLimiter
from dondoc.platform.refusals import AdminOnly, message_of, status_of
from dondoc.platform.runtime import Runtime, ServiceSpec
from dondoc.platform.settings import ServiceSettings

S = TypeVar("S", bound=ServiceSettings, default=ServiceSettings)
C = TypeVar("C", default=object)
T = TypeVar("T")
# Like Runtime's: bare `ServiceApp` is any service's app, as the platform sees it.
S_co = TypeVar("S_co", bound=ServiceSettings, default=ServiceSettings, covariant=True)
C_co = TypeVar("C_co", default=object, covariant=True)


class ServiceApp(FastAPI, Generic[S_co, C_co]):
    """A service's app, its parts typed attributes (no untyped state bag): what `create_app` returns."""

    def __init__(
        self,
        spec: ServiceSpec,
        settings: S_co,
        context: C_co,
        metrics: ServiceMetrics,
        jobs: Sequence[Job[Runtime[S_co, C_co]]],
        **fastapi: Any,
    ) -> None:
        super().__init__(**fastapi)
        self.spec = spec
        self.settings = settings
        self.context = context
        self.metrics = metrics
        self.jobs = tuple(jobs)
        self.rate_limiter = RateLimiter(settings.rate_limit_per_minute)
        self._runtime: Runtime[S_co, C_co] | None = None

    @property
    def runtime(self) -> Runtime[S_co, C_co]:
        """The running service (engine, broker, relay, jobs), between the lifespan's start and stop."""
        if self._runtime is None:
            raise RuntimeError(f"{self.spec.name} is not started")
        return self._runtime


def service_app(request: Request) -> ServiceApp[Any, Any]:
    """The service app answering `request` (every dondoc app is one)."""
    app = request.app
    if not isinstance(app, ServiceApp):
        raise TypeError("not a dondoc service app")
    return app


async def get_runtime(request: Request) -> Runtime:
    """The running service, as the platform sees any service (its routes' dependency)."""
    return service_app(request).runtime


def on_the_loop(dependency: Callable[[Request], T]) -> Callable[[Request], Awaitable[T]]:
    """A plain function of the request as a dependency FastAPI runs on the event loop.

    FastAPI runs a `def` dependency in its thread pool: a hop to a worker thread and back for a
    dictionary look-up, which cost more than the look-up on every write (issue 19). Routes depend on
    the coroutine; pages keep calling the plain function.
    """

    async def dependency_on_the_loop(request: Request) -> T:
        return dependency(request)

    return dependency_on_the_loop


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def runtime_dependency(settings: type[S], context: type[C]) -> Callable[[Request], Runtime[S, C]]:
    """A route dependency giving a service's own runtime, typed by its settings and context classes.

    `deps.py` of each service declares one (`get_runtime = runtime_dependency(TasksSettings, TasksContext)`),
    so a route sees `runtime.settings.tick_seconds` and `runtime.context.clock` as what they are.
    """

    def get_service_runtime(request: Request) -> Runtime[S, C]:
        runtime = service_app(request).runtime
        if not isinstance(runtime.settings, settings) or not isinstance(runtime.context, context):
            raise TypeError(f"{runtime.spec.name} runs with other settings or another context")
        return runtime

    return get_service_runtime


_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def audit_refused_write(
    request: Request, runtime: Runtime, principal: Principal | None, status: int, message: str
) -> None:
    """A write turned away before its route ran (no valid key, too many requests, not its unit) is
    audited too, under the route's method and path template; a refused read is not."""
    if request.method in _SAFE_METHODS:
        return
    template = getattr(request.scope.get("route"), "path", request.url.path)
    await record_refused(
        runtime.engine,
        runtime.spec.tables,
        principal,
        f"{request.method} {template}",
        request.url.path,
        status,
        message,
    )


async def _audit_refused_write(
    request: Request, runtime: Runtime, principal: Principal | None, refused: HTTPException
) -> None:
    await audit_refused_write(request, runtime, principal, refused.status_code, str(refused.detail))


async def _audited_validation_error(request: Request, exc: Exception) -> Response:
    """A write whose body a signed-in caller got wrong is refused, so it is audited like any refusal."""
    if (refused := await _refused_before_the_body(request)) is not None:
        return JSONResponse({"detail": refused.detail}, refused.status_code, headers=refused.headers)
    answer = await validation_error(request, exc)
    principal: Principal | None = getattr(request.state, "principal", None)
    if principal is not None and request.method not in _SAFE_METHODS:
        refused = HTTPException(422, bytes(answer.body).decode()[:2000])
        await _audit_refused_write(request, service_app(request).runtime, principal, refused)
    return answer


async def get_principal(request: Request) -> Principal:
    """The caller, authenticated (and rate-limited); every route but the open ones depends on it."""
    runtime = service_app(
        request
    ).runtime  # not a sub-dependency: each costs FastAPI a resolution per request
    authenticator = Authenticator(
        runtime.engine,
        runtime.spec.tables,
        runtime.settings.dondoc_admin_token,
        runtime.revocations.fresh,
        runtime.credentials,
    )
    try:
        principal = await authenticator.authenticate(bearer_token(request))
    except HTTPException as refused:
        await _audit_refused_write(request, runtime, None, refused)
        raise
    if principal.key_id != BOOTSTRAP_ADMIN:
        wait = service_app(request).rate_limiter.acquire(principal.unit or principal.key_id)
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            too_many = HTTPException(
                429,
                f"Đơn vị đã gửi quá nhiều yêu cầu trong thời gian ngắn; vui lòng thử lại sau {seconds} giây.",
                headers={"Retry-After": str(seconds)},
            )
            await _audit_refused_write(request, runtime, principal, too_many)
            raise too_many
    request.state.principal = principal  # for auditing a refusal that comes after this (a 422)
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


async def get_admin(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Principal:
    """The caller, when a city administrator; anyone else is refused (and a refused write audited).

    A dependency runs before FastAPI validates the body, so a ward calling an admin route learns it may
    not (403), never the admin schema's details (422). Every admin route, write or read, takes this.
    """
    if not principal.is_admin:
        refused = HTTPException(status_of(AdminOnly), message_of(AdminOnly))
        await _audit_refused_write(request, runtime, principal, refused)
        raise refused
    return principal


AdminDep = Annotated[Principal, Depends(get_admin)]


async def _refused_before_the_body(request: Request) -> HTTPException | None:
    """For an admin route whose body FastAPI could not even parse (malformed JSON, which it reads before
    any dependency runs): the caller's refusal, if it is one, comes first (401, 429 or 403, audited)."""
    dependant = getattr(request.scope.get("route"), "dependant", None)
    admin_only = dependant is not None and any(sub.call is get_admin for sub in dependant.dependencies)
    if not admin_only or getattr(request.state, "principal", None) is not None:
        return None
    runtime = service_app(request).runtime
    try:
        await get_admin(request, runtime, await get_principal(request))
    except HTTPException as refused:
        return refused
    return None


def _ops_router() -> APIRouter:
    router = APIRouter(tags=["vận hành"])

    @router.get("/health", summary="Liveness: the process answers")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/ready", summary="Readiness: the store and the broker answer", responses={503: {}})
    async def ready(runtime: RuntimeDep) -> JSONResponse:
        checks = await runtime.ready()
        ok = runtime.readiness.observe(checks)
        return JSONResponse(
            status_code=200 if ok else 503,
            content={"ready": ok, "checks": checks},
            headers={} if ok else {"Retry-After": "5"},
        )

    @router.get("/metrics", summary="Prometheus metrics", response_class=Response)
    async def metrics(runtime: RuntimeDep) -> Response:
        return Response(generate_latest(runtime.metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return router


def service_metrics(name: str, settings: ServiceSettings) -> ServiceMetrics:
    """A service's registry with the platform's metrics (its domain metrics join it in `create_app`)."""
    return ServiceMetrics(name, __version__, settings.git_commit)


def build_service_app(
    spec: ServiceSpec,
    settings: S,
    context: C,
    routers: Sequence[APIRouter] = (),
    *,
    title: str,
    description: str = "",
    jobs: Sequence[Job[Runtime[S, C]]] = (),
    metrics: ServiceMetrics | None = None,
    on_start: Sequence[Callable[[Runtime[S, C]], Awaitable[None]]] = (),
    on_stop: Sequence[Callable[[Runtime[S, C]], Awaitable[None]]] = (),
) -> ServiceApp[S, C]:
    """Build (but do not start) a service: everything concrete is created in the lifespan.

    Start: the runtime (store migrated, broker, relay), then `on_start`, then the jobs. Stop: the jobs (a
    round in flight finishes), then `on_stop`, then the runtime (consumers, outbox flushed, store closed).
    """
    metrics = metrics or service_metrics(spec.name, settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        runtime = Runtime(spec, settings, context, metrics, jobs)
        app._runtime = runtime
        await runtime.start()
        try:
            for hook in on_start:
                await hook(runtime)
            await runtime.jobs.start()
            yield
        finally:
            await runtime.jobs.stop()
            for hook in on_stop:
                await hook(runtime)
            await runtime.stop()

    # The API descriptions are served only to authenticated callers (and written to docs/ by `dondoc docs`).
    app = ServiceApp(
        spec,
        settings,
        context,
        metrics,
        jobs,
        title=title,
        description=description,
        version=__version__,
        lifespan=lifespan,
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(refuse_unknown_parameters)],
    )
    describe_errors_as_sent(app)
    install_error_handlers(app)
    app.add_exception_handler(RequestValidationError, _audited_validation_error)

    app.add_middleware(
        EdgeMiddleware,
        metrics=metrics,
        max_body_bytes=settings.max_body_bytes,
        store_wait_seconds=settings.http_store_wait_seconds,
    )
    # Ward offices may sit behind slow links: a city-wide dashboard page or submission is megabytes of
    # text that compresses twenty-fold. Added last, so it wraps the others and the metrics see every answer.
    app.add_middleware(GZipMiddleware, minimum_size=4096)
    app.include_router(_ops_router())

    @app.get("/openapi.json", tags=["vận hành"], summary="OpenAPI document of this service")
    async def openapi(_principal: PrincipalDep) -> dict[str, object]:
        return app.openapi()

    @app.get("/asyncapi.json", tags=["vận hành"], summary="AsyncAPI document of this service's events")
    async def asyncapi(_principal: PrincipalDep) -> dict[str, object]:
        from dondoc.platform.asyncapi import asyncapi_document

        return asyncapi_document(spec, settings)

    for router in routers:
        app.include_router(router)
    return app
