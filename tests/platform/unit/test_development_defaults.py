"""`make run`'s development defaults loosen only what plain-HTTP loopback needs; production stays safe."""

from __future__ import annotations

from pathlib import Path

import pytest

from dondoc.platform.cli import development_environment
from services.notify.channels.secrets_at_rest import SecretBox
from services.notify.settings import NotifySettings
from services.reporting.settings import ReportingSettings


def test_the_dashboard_cookie_is_secure_unless_make_run_says_otherwise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DASHBOARD_SECURE_COOKIE", raising=False)
    assert ReportingSettings().dashboard_secure_cookie is True
    development = development_environment(tmp_path)
    assert development["DASHBOARD_SECURE_COOKIE"] == "false"
    for name, value in development.items():
        monkeypatch.setenv(name, value)
    assert ReportingSettings().dashboard_secure_cookie is False


def test_an_operator_setting_wins_over_the_development_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DASHBOARD_SECURE_COOKIE", "true")
    assert "DASHBOARD_SECURE_COOKIE" not in development_environment(tmp_path)


def test_webhooks_to_loopback_are_a_development_opt_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NOTIFY_WEBHOOK_ALLOW_LOOPBACK", raising=False)
    assert NotifySettings().notify_webhook_allow_loopback is False
    for name, value in development_environment(tmp_path).items():
        monkeypatch.setenv(name, value)
    assert NotifySettings().notify_webhook_allow_loopback is True


def test_make_run_keeps_a_key_for_webhook_secrets_in_var(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NOTIFY_SECRETS_KEYS", raising=False)
    key = development_environment(tmp_path)["NOTIFY_SECRETS_KEYS"]
    kept = tmp_path / "notify-secrets-key"
    assert kept.read_text() == key and kept.stat().st_mode & 0o777 == 0o600
    assert development_environment(tmp_path)["NOTIFY_SECRETS_KEYS"] == key  # the same key on every start
    box = SecretBox(key)
    assert box.open(box.seal("khoa-bi-mat-cua-phuong")) == "khoa-bi-mat-cua-phuong"
