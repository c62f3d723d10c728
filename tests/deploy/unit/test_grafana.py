"""The Grafana dashboard is valid, current, and queries only metrics the services export."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from typing import cast

import pytest
import yaml

from tests.support.deploy.catalog import DEFAULT_COLLECTOR_PREFIXES, HISTOGRAM_SUFFIXES, METRICS, REPO
from tests.support.deploy.promql_names import metric_names

GRAFANA_DIR = REPO / "deploy" / "grafana"
DASHBOARD_FILE = GRAFANA_DIR / "dashboards" / "dondoc.json"

JsonObject = dict[str, object]


def dashboard() -> JsonObject:
    return cast(JsonObject, json.loads(DASHBOARD_FILE.read_text(encoding="utf-8")))


def panels() -> Iterator[JsonObject]:
    for panel in cast(list[JsonObject], dashboard()["panels"]):
        yield panel
        yield from cast(list[JsonObject], panel.get("panels", []))


def exprs() -> list[str]:
    return [
        str(target["expr"])
        for panel in panels()
        for target in cast(list[JsonObject], panel.get("targets", []))
    ]


def recorded_names() -> set[str]:
    names = set()
    for path in (REPO / "deploy" / "prometheus" / "rules").glob("*.yml"):
        for group in yaml.safe_load(path.read_text(encoding="utf-8"))["groups"]:
            names |= {rule["record"] for rule in group["rules"] if "record" in rule}
    return names


def is_exported(name: str) -> bool:
    base = next((name.removesuffix(s) for s in HISTOGRAM_SUFFIXES if name.endswith(s)), name)
    return base in METRICS or name in METRICS or name.startswith(DEFAULT_COLLECTOR_PREFIXES)


def test_the_name_extractor_finds_series_and_ignores_functions_and_labels() -> None:
    expr = (
        'histogram_quantile(0.99, sum by (service, le) (rate(foo_bucket{service=~"$service"}[5m])))'
        " / on (service) group_left bar:ratio offset 5m"
    )
    assert metric_names(expr) == {"foo_bucket", "bar:ratio"}


@pytest.mark.parametrize("expr", exprs())
def test_every_panel_queries_only_exported_or_recorded_metrics(expr: str) -> None:
    names = metric_names(expr)
    assert names, f"no metric found in {expr!r}"
    unknown = {name for name in names if not is_exported(name) and name not in recorded_names()}
    assert unknown == set()


def test_the_dashboard_covers_every_exported_dondoc_metric() -> None:
    used = {name for expr in exprs() for name in metric_names(expr)}
    used = {next((n.removesuffix(s) for s in HISTOGRAM_SUFFIXES if n.endswith(s)), n) for n in used}
    assert {m for m in METRICS if m.startswith("dondoc_")} - used == set()


def test_panels_use_the_provisioned_datasource() -> None:
    provisioning = yaml.safe_load(
        (GRAFANA_DIR / "provisioning" / "datasources" / "prometheus.yml").read_text()
    )
    uids = {source["uid"] for source in provisioning["datasources"]}
    used = {
        cast(JsonObject, holder["datasource"])["uid"]
        for panel in panels()
        for holder in [panel, *cast(list[JsonObject], panel.get("targets", []))]
        if "datasource" in holder
    }
    assert used and used <= uids


def test_the_dashboard_has_identity_and_a_service_variable() -> None:
    board = dashboard()
    assert board["uid"] and isinstance(board["schemaVersion"], int) and board["schemaVersion"] >= 36
    variables = cast(list[JsonObject], cast(JsonObject, board["templating"])["list"])
    assert "service" in {variable["name"] for variable in variables}
    ids = [panel["id"] for panel in panels()]
    assert len(ids) == len(set(ids))


def test_panels_do_not_overlap() -> None:
    taken: set[tuple[int, int]] = set()
    for panel in panels():
        pos = cast(dict[str, int], panel["gridPos"])
        cells = {(pos["x"] + dx, pos["y"] + dy) for dx in range(pos["w"]) for dy in range(pos["h"])}
        assert pos["x"] + pos["w"] <= 24 and not cells & taken, panel["title"]
        taken |= cells


def test_the_committed_dashboard_is_what_the_generator_builds() -> None:
    script = GRAFANA_DIR / "build_dashboard.py"
    result = subprocess.run([sys.executable, script, "--check"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_grafana_loads_dashboards_from_where_compose_mounts_them() -> None:
    provider = yaml.safe_load((GRAFANA_DIR / "provisioning" / "dashboards" / "dondoc.yml").read_text())
    compose = (REPO / "docker-compose.yml").read_text(encoding="utf-8")
    path = provider["providers"][0]["options"]["path"]
    assert f"./deploy/grafana/dashboards:{path}:ro" in compose
