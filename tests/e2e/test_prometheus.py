"""A real Prometheus scrapes the four running services with the shipped rules: all proven together."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import httpx
import pytest

from tests.support import ADMIN_TOKEN, ROOT
from tests.support.deploy.prom import run_prometheus
from tests.support.system import System

pytestmark = pytest.mark.e2e
RULES = sorted((ROOT / "deploy" / "prometheus" / "rules").glob("*.yml"))


def test_prometheus_scrapes_every_service_and_sees_events_flow(system: System, tmp_path: Path) -> None:
    plan = {
        "issuer": "11407",
        "title": "Kế hoạch kiểm tra giám sát",
        "tasks": [
            {
                "ref": "1",
                "title": "Báo cáo kết quả",
                "lead": [{"text": "Văn phòng HĐND và UBND", "unit": "11407.VP"}],
            }
        ],
    }
    answer = httpx.post(
        f"{system.url('intake')}/plans", json=plan, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}
    )
    assert answer.status_code == 202, answer.text
    targets = {name: f"127.0.0.1:{port}" for name, port in system.ports.items()}
    with run_prometheus(targets, tmp_path / "prometheus", rule_files=RULES) as prometheus:
        # Every service scraped successfully (Prometheus scrapes each target on its own schedule).
        prometheus.wait_for(f"count(max_over_time(up[1m]) == 1) == {len(system.ports)}", within=60)
        up = prometheus.query("max_over_time(up[1m]) == 1")
        assert {sample["metric"]["service"] for sample in up} == set(system.ports), up
        consumed = prometheus.wait_for(
            'dondoc_events_consumed_total{service="tasks",topic="plan.received",outcome="ok"} >= 1', within=60
        )
        assert consumed
        published = prometheus.wait_for(
            'dondoc_events_published_total{service="tasks",topic="task.assigned"}'
        )
        assert float(published[0]["value"][1]) >= 1
        assert prometheus.wait_for('dondoc_http_requests_total{service="intake",route="/plans",status="202"}')
        assert prometheus.wait_for('dondoc_build_info{service="notify"}')
        assert prometheus.wait_for('dondoc_plans_received_total{service="intake",issuer="11407"} >= 1')
        assert prometheus.wait_for(
            'dondoc_reports_generated_total{service="reporting",trigger="period_closed"}'
        )
        groups = cast(dict[str, list[dict[str, object]]], prometheus.api("rules"))["groups"]
        alerts = {rule["name"] for group in groups for rule in cast(list[dict[str, object]], group["rules"])}
        assert {"ServiceDown", "OutboxStuck", "DeadLettersAppearing", "ConsumerLagGrowing"} <= alerts
        assert "ReportingPeriodClosingWithManyMissing" in alerts
        assert not prometheus.query('ALERTS{alertname="ServiceDown", alertstate="firing"}')
