"""Helpers for intake's door tests: callers, the real CLI, the replica of tasks, counts from the CSVs."""

from __future__ import annotations

import asyncio
import csv
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import date

import httpx
from sqlalchemy import func
from sqlmodel import select

from dondoc.platform.runtime import Runtime
from services.intake import queries
from services.intake.models import PlanRecord
from services.intake.schemas import PLAN_EXAMPLE
from tests.support import FIXTURES, ROOT, eventually
from tests.support.intake import replica_events as ev

SEED_000 = FIXTURES / "seeds" / "000_be6c2761b137d082.txt"
DOCUMENTS = FIXTURES / "documents"
DATA = ROOT / "dondoc/directory/data"
WARD, OFFICE, OTHER = "11407", "11407.VP", "10537"


@dataclass
class Keys:
    """Bearer headers of every kind of caller."""

    ward: dict[str, str]
    other: dict[str, str]
    admin: dict[str, str]
    revoked: dict[str, str]
    none: dict[str, str]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def cli(database_url: str, *args: str) -> str:
    """Run the real `dondoc` command line against intake's store.

    The timeout only guards against a hang: the command costs ~3.6 s of CPU (imports, migrations, argon2id),
    which a suite on two busy cores stretched past 60 s once (the person was created; the exit was late)."""
    env = os.environ | {"DATABASE_URL": database_url}
    done = subprocess.run(
        [sys.executable, "-m", "dondoc.cli", *args], env=env, capture_output=True, text=True, timeout=240
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


async def issue(
    client: httpx.AsyncClient, admin: dict[str, str], unit: str | None, role: str = "unit"
) -> str:
    answer = await client.post("/admin/keys", json={"unit": unit, "role": role}, headers=admin)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["token"])


def plan_for(issuer: str, draft: bool = False, title: str | None = None) -> dict[str, object]:
    plan = PLAN_EXAMPLE | {"issuer": issuer, "draft": draft, "title": title or PLAN_EXAMPLE["title"]}
    if "." in issuer:  # an office's own plan addresses the office itself, not its sibling offices (ADR 0031)
        own = {
            "ref": "1",
            "title": "Tổ chức quán triệt trong văn phòng",
            "lead": [{"text": issuer, "unit": issuer}],
        }
        plan |= {"tasks": [own]}
    return plan


async def count_plans(runtime: Runtime) -> int:
    async with runtime.uow() as uow:
        return int((await uow.session.exec(select(func.count()).select_from(PlanRecord))).one())


def communes_in_csv() -> int:
    with (DATA / "haiphong-communes.csv").open(encoding="utf-8-sig") as handle:
        return sum(1 for _ in csv.DictReader(handle))


def ward_offices_in_csv() -> int:
    """Administrative offices of a phường (not the police, the military command or the Front)."""
    with (DATA / "commune-offices.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    administrative = ("Văn phòng", "Phòng", "Trung tâm")
    return sum(
        1 for r in rows if "phuong" in r["applies_to"].split("|") and r["office"].startswith(administrative)
    )


async def in_thread(*args: str, database_url: str) -> str:
    return await asyncio.to_thread(cli, database_url, *args)


async def tasks_has_assigned_and_expects(broker: str, runtime: Runtime) -> None:
    """What tasks would have announced: results and reports are refused on anything else (ADR 0030)."""
    owed = [ev.expected(unit, "2026-S1", date(2026, 6, 18)) for unit in (WARD, OFFICE)]
    await ev.publish(broker, ev.assigned("a-1", WARD), *owed)

    async def replicated() -> bool:
        async with runtime.uow() as uow:
            known = await queries.assignment(uow.session, "a-1")
            return known is not None and bool(await queries.periods_owed(uow.session, OFFICE, None))

    await eventually(replicated, what="the replica of tasks")
