"""The Prometheus configuration and rules load, and every alert is unit-tested firing and quiet."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import cast

import pytest
import yaml

from tests.support.deploy.catalog import REPO
from tests.support.deploy.promtool import run_promtool

PROMETHEUS_DIR = REPO / "deploy" / "prometheus"
RULE_FILES = sorted((PROMETHEUS_DIR / "rules").glob("*.yml"))
TEST_FILES = sorted((PROMETHEUS_DIR / "tests").glob("*.yml"))

Rule = dict[str, object]


def alerting_rules() -> list[Rule]:
    rules: list[Rule] = []
    for path in RULE_FILES:
        for group in yaml.safe_load(path.read_text(encoding="utf-8"))["groups"]:
            rules.extend(rule for rule in group["rules"] if "alert" in rule)
    return rules


def alert_cases() -> list[dict[str, object]]:
    cases: list[dict[str, object]] = []
    for path in TEST_FILES:
        for test in yaml.safe_load(path.read_text(encoding="utf-8"))["tests"]:
            cases.extend(test.get("alert_rule_test", []))
    return cases


@pytest.mark.parametrize("config", ["prometheus.yml", "prometheus.local.yml"])
def test_promtool_accepts_the_configuration_and_its_rule_files(config: str) -> None:
    result = run_promtool("check", "config", PROMETHEUS_DIR / config)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "rules found" in result.stdout, "the rule_files glob matched nothing"


def test_promtool_accepts_the_rules() -> None:
    result = run_promtool("check", "rules", *RULE_FILES)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_rule_unit_tests_pass() -> None:
    result = run_promtool("test", "rules", *TEST_FILES)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_rule_unit_tests_catch_a_wrong_threshold(tmp_path: Path) -> None:
    copy = tmp_path / "prometheus"
    shutil.copytree(PROMETHEUS_DIR, copy)
    alerts = copy / "rules" / "alerts.yml"
    text = alerts.read_text(encoding="utf-8")
    assert "period:dondoc_reports_missing:ratio > 0.3" in text
    alerts.write_text(
        text.replace("period:dondoc_reports_missing:ratio > 0.3", "period:dondoc_reports_missing:ratio > 0.9")
    )
    result = run_promtool("test", "rules", *sorted((copy / "tests").glob("*.yml")))
    assert result.returncode != 0
    assert "ReportingPeriodClosingWithManyMissing" in result.stdout + result.stderr


@pytest.mark.parametrize("rule", alerting_rules(), ids=lambda rule: str(rule["alert"]))
def test_each_alert_is_actionable(rule: Rule) -> None:
    labels = cast(dict[str, str], rule.get("labels", {}))
    annotations = cast(dict[str, str], rule.get("annotations", {}))
    assert labels.get("severity") in {"critical", "warning"}
    assert "for" in rule
    assert annotations.get("summary") and len(annotations.get("description", "")) > 80


@pytest.mark.parametrize("name", sorted({str(rule["alert"]) for rule in alerting_rules()}))
def test_each_alert_has_a_unit_test_where_it_fires_and_one_where_it_stays_quiet(name: str) -> None:
    cases = [case for case in alert_cases() if case["alertname"] == name]
    assert any(case.get("exp_alerts") for case in cases), f"no test shows {name} firing"
    assert any(not case.get("exp_alerts") for case in cases), f"no test shows {name} quiet"


RUNBOOK_SECTIONS = (
    "## Tiếng Việt",
    "### Ý nghĩa",
    "### Cách xác nhận",
    "### Cách xử lý",
    "## English",
    "### What it means",
    "### How to confirm",
    "### What to do",
)


@pytest.mark.parametrize("rule", alerting_rules(), ids=lambda rule: str(rule["alert"]))
def test_each_alert_links_a_runbook_in_both_languages(rule: Rule) -> None:
    annotations = cast(dict[str, str], rule.get("annotations", {}))
    link = annotations.get("runbook_url", "")
    assert link.startswith("docs/runbooks/") and link.endswith(".md"), f"{rule['alert']}: {link!r}"
    page = REPO / link
    assert page.is_file(), f"{rule['alert']} links {link}, which does not exist"
    text = page.read_text(encoding="utf-8")
    assert text.startswith(f"# {rule['alert']} — ")
    positions = [text.find(section) for section in RUNBOOK_SECTIONS]
    assert -1 not in positions and positions == sorted(positions), f"{link} lacks or misorders a section"


def test_an_instance_not_ready_for_a_minute_is_alerted() -> None:
    [rule] = [rule for rule in alerting_rules() if rule["alert"] == "ServiceNotReady"]
    assert "dondoc_ready" in str(rule["expr"]) and rule["for"] == "1m"
