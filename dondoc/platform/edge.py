"""The HTTP edge every request crosses: correlation id, store wait, body limit, metrics (one ASGI layer).

Written as a plain ASGI middleware rather than two `@app.middleware("http")` functions: Starlette's
BaseHTTPMiddleware runs the app in a task of its own and streams the answer through a queue, a cost paid
twice per request that showed in intake's profile next to the database work itself.
"""

from __future__ import annotations

import time
import uuid

from fastapi.responses import JSONResponse
from prometheus_client import Counter, Histogram
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dondoc.platform.context import bind
from dondoc.platform.db import store_wait
from dondoc.platform.metrics import ServiceMetrics


class EdgeMiddleware:
    def __init__(
        self, app: ASGIApp, metrics: ServiceMetrics, max_body_bytes: int, store_wait_seconds: float
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.max_body_bytes = max_body_bytes
        self.store_wait_seconds = store_wait_seconds
        # The labelled series, by their labels: `labels()` takes a lock and builds its key on every call.
        self._counted: dict[tuple[str, str, str], Counter] = {}
        self._timed: dict[tuple[str, str], Histogram] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        correlation_id = (headers.get("x-correlation-id") or str(uuid.uuid4()))[:64]
        bind(correlation_id)
        store_wait.set(self.store_wait_seconds)  # a person waits on this path, not a consumer
        started = time.perf_counter()
        status = 500

        async def answer(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)["X-Correlation-ID"] = correlation_id
            await send(message)

        try:
            length = headers.get("content-length")
            if length and length.isdigit() and int(length) > self.max_body_bytes:
                limit_mb = self.max_body_bytes // 1024 // 1024
                too_large = JSONResponse(
                    status_code=413, content={"detail": f"Nội dung gửi lên quá lớn (tối đa {limit_mb} MB)."}
                )
                await too_large(scope, receive, answer)
                return
            await self.app(scope, receive, answer)
        finally:
            template = getattr(scope.get("route"), "path", None) or "unmatched"
            method = scope.get("method", "")
            counted = self._counted.get((template, method, str(status)))
            if counted is None:
                counted = self._counted[template, method, str(status)] = self.metrics.http_requests.labels(
                    template, method, str(status)
                )
            counted.inc()
            timed = self._timed.get((template, method))
            if timed is None:
                timed = self._timed[template, method] = self.metrics.http_latency.labels(template, method)
            timed.observe(time.perf_counter() - started)
