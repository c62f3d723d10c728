"""The deploy files agree with what the services read and listen on, and with each other."""

from __future__ import annotations

import re
from typing import cast
from urllib.parse import urlsplit

import pytest
import yaml

from tests.support.deploy.catalog import NOTIFY_ENV, NOTIFY_ONLY_ENV, REPO, SERVICE_ENV, SERVICE_PORTS, TOPICS
from tests.support.deploy.compose_file import environment, load_compose, services
from tests.support.deploy.interpolate import YamlValue

PROMETHEUS_DIR = REPO / "deploy" / "prometheus"
TOPICS_SCRIPT = REPO / "deploy" / "kafka" / "create-topics.sh"

ServiceConfig = dict[str, YamlValue]


def compose_service(name: str) -> ServiceConfig:
    return services(load_compose())[name]


def scrape_jobs(config_file: str) -> list[dict[str, YamlValue]]:
    config = yaml.safe_load((PROMETHEUS_DIR / config_file).read_text(encoding="utf-8"))
    return cast(list[dict[str, YamlValue]], config["scrape_configs"])


@pytest.mark.parametrize("name", sorted(SERVICE_PORTS))
def test_each_service_is_given_every_variable_it_reads(name: str) -> None:
    expected = SERVICE_ENV | (NOTIFY_ENV if name == "notify" else frozenset())
    env = environment(compose_service(name))
    assert expected - env.keys() == set()
    assert all(env[key] for key in expected), "a variable the service reads is set but empty"


@pytest.mark.parametrize("name", sorted(set(SERVICE_PORTS) - {"notify"}))
def test_only_notify_holds_the_mail_and_webhook_secrets(name: str) -> None:
    assert NOTIFY_ONLY_ENV & environment(compose_service(name)).keys() == set()


@pytest.mark.parametrize(("name", "port"), sorted(SERVICE_PORTS.items()))
def test_each_service_runs_its_own_command_on_its_own_port(name: str, port: int) -> None:
    service = compose_service(name)
    env = environment(service)
    assert service["command"] == ["serve", name]
    assert (env["SERVICE_NAME"], env["HTTP_PORT"], env["HTTP_HOST"]) == (name, str(port), "0.0.0.0")
    published = [str(p).rsplit(":", 1)[-1] for p in cast(list[YamlValue], service["ports"])]
    assert published == [str(port)]
    assert "healthcheck" in service


@pytest.mark.parametrize("name", sorted(SERVICE_PORTS))
def test_each_service_has_its_own_database_and_credentials(name: str) -> None:
    url = urlsplit(environment(compose_service(name))["DATABASE_URL"])
    assert (url.scheme, url.username, url.path, url.hostname) == ("postgresql", name, f"/{name}", "postgres")
    # The password in the URL is the one the database container creates the role with.
    postgres_env = environment(compose_service("postgres"))
    assert url.password == postgres_env[f"{name.upper()}_DB_PASSWORD"]


@pytest.mark.parametrize("name", sorted(SERVICE_PORTS))
def test_services_start_after_topics_exist_and_the_database_is_healthy(name: str) -> None:
    assert compose_service(name)["depends_on"] == {
        "kafka-init": {"condition": "service_completed_successfully"},
        "postgres": {"condition": "service_healthy"},
    }


def test_the_compose_prometheus_scrapes_each_service_by_compose_name_and_port() -> None:
    found = {}
    for job in scrape_jobs("prometheus.yml"):
        for sd in cast(list[dict[str, YamlValue]], job.get("dns_sd_configs", [])):
            relabel = cast(list[dict[str, str]], job["relabel_configs"])
            service_label = next(r["replacement"] for r in relabel if r.get("target_label") == "service")
            for host in cast(list[str], sd["names"]):
                found[host] = (sd["port"], service_label)
    assert found == {name: (port, name) for name, port in SERVICE_PORTS.items()}
    assert set(found) <= set(services(load_compose()))


def test_the_local_prometheus_scrapes_the_make_run_ports() -> None:
    found = {}
    for job in scrape_jobs("prometheus.local.yml"):
        for static in cast(list[dict[str, YamlValue]], job["static_configs"]):
            labels = cast(dict[str, str], static["labels"])
            for target in cast(list[str], static["targets"]):
                host, port = target.rsplit(":", 1)
                assert host == "127.0.0.1"
                found[labels["service"]] = int(port)
    assert found == SERVICE_PORTS


def created_topics() -> dict[str, tuple[int, int]]:
    lines = re.findall(r"^create_topic\s+(\S+)\s+(\d+)\s+(\d+)\s*$", TOPICS_SCRIPT.read_text(), re.MULTILINE)
    return {name: (int(partitions), int(days)) for name, partitions, days in lines}


def test_kafka_init_creates_exactly_the_known_topics() -> None:
    assert set(created_topics()) == TOPICS


def test_plans_are_kept_longer_than_any_other_event() -> None:
    topics = created_topics()
    plan_days = topics["plan.received"][1]
    assert all(days <= plan_days for _, days in topics.values())
    assert plan_days > min(days for _, days in topics.values())


def test_task_assigned_has_the_most_partitions() -> None:
    topics = created_topics()
    assert topics["task.assigned"][0] == max(partitions for partitions, _ in topics.values()) > 3


def test_every_bind_mount_in_compose_exists_in_the_repository() -> None:
    for name, service in services(load_compose()).items():
        for volume in cast(list[str], service.get("volumes", [])):
            source = volume.split(":", 1)[0]
            if source.startswith("./"):
                assert (REPO / source).exists(), f"{name} mounts missing {source}"
