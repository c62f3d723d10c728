# syntax=docker/dockerfile:1
# One image for the four services; the command picks which: `docker run dondoc serve tasks`.

# --- build: resolve and install exactly what uv.lock pins, without dev tools ---
FROM python:3.11-slim AS build
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/venv
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /src
# Dependencies first, in their own layer: a code change does not reinstall them.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY dondoc ./dondoc
COPY services ./services
COPY shared ./shared
# --no-editable: the project goes into site-packages, so the runtime stage needs /opt/venv alone.
RUN uv sync --frozen --no-dev --no-editable

# --- runtime: the venv and an unprivileged user, nothing else ---
FROM python:3.11-slim AS runtime
# poppler's pdftotext: intake reads the text of PDF plans with it (ADR 0076).
RUN apt-get update \
 && apt-get install -y --no-install-recommends poppler-utils \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 dondoc \
 && useradd --system --uid 10001 --gid dondoc --home-dir /app --shell /usr/sbin/nologin dondoc \
 && mkdir -p /app/var && chown dondoc:dondoc /app/var
# Same path as in the build stage: the venv's scripts carry it in their shebang lines.
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    TZ=Asia/Ho_Chi_Minh \
    HTTP_HOST=0.0.0.0 \
    HTTP_PORT=8001 \
    SERVICE_NAME=intake
WORKDIR /app
USER 10001:10001
EXPOSE 8001 8002 8003 8004
# The slim image has no curl; Python's urllib is enough. urlopen raises on a non-2xx answer.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('HTTP_PORT', '8001') + '/health', timeout=2)"]
ENTRYPOINT ["dondoc"]
CMD ["serve", "intake"]
