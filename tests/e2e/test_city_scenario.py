"""The city does what it does, through four processes on the real broker, and every figure it signs is right.

Sở Tư pháp uploads the city plan (seed 004) as DOCX, completes and confirms the draft; the calendar announces
the reports owed; the city then sets its send-by rule (after confirmation); departments and wards report on
time, late and never; a ward's Văn phòng reports on the ward's assignment; versions are returned and
accepted. The test works out every figure itself — per assignment, per task, per bucket, completeness and
timeliness — for the closed period (2026-M11, judged at its 14/11 cut-off) and the current one (2026-M12,
judged today), and requires the same in the JSON, the DOCX and the XLSX. The services run on the machine's
clock, so the dates are taken relative to today's 2026-M12.
"""

from __future__ import annotations

import io
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import httpx
import openpyxl
import pytest
from docx import Document

from tests.support import ADMIN_TOKEN, FIXTURES
from tests.support.system import System

pytestmark = pytest.mark.e2e
T = TypeVar("T")
AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
DOCX = FIXTURES / "documents" / "004_868287148acd756b.docx"
SOTP, STC, SNV = "HP.SO-TU-PHAP", "HP.SO-TAI-CHINH", "HP.SO-NOI-VU"
WARDS = ("11407", "11411", "11413")
CODES = ("hoan_thanh_dung_han", "hoan_thanh_qua_han", "dang_thuc_hien_trong_han", "qua_han_chua_hoan_thanh")
LABELS = ("hoàn thành đúng hạn", "hoàn thành quá hạn", "đang thực hiện trong hạn", "quá hạn chưa hoàn thành")
BUCKETS = dict(zip(CODES, ("done_on_time", "done_late", "in_progress", "overdue"), strict=True))


def wait_for(fetch: Callable[[], T | None], what: str, timeout: float = 120.0) -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = fetch()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def judge(due: date | None, done: date | None, on: date) -> str:
    """The Government Office's four statuses, worked out by hand."""
    if done is not None and done <= on:
        return CODES[0] if due is None or done <= due else CODES[1]
    return CODES[2] if due is None or on <= due else CODES[3]


def post_until_admitted(client: httpx.Client, url: str, body: dict[str, Any]) -> dict[str, Any]:
    """The door answers 503 while the replica has not yet heard of the assignment or period."""

    def attempt() -> dict[str, Any] | None:
        answer = client.post(url, json=body, headers=AUTH)
        if answer.status_code == 503:
            return None
        assert answer.status_code == 202, answer.text
        return dict(answer.json())

    return wait_for(attempt, f"{url} admitted")


def test_the_city_submission_is_right_for_the_closed_and_the_current_period(system: System) -> None:
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()  # the services' today
    cut_off = date(today.year, today.month, 14) if today.day > 14 else _month_before(today, 14)
    closed = _period_id(cut_off)
    current = _period_id(_next_cut_off(cut_off))
    intake, tasks, reporting = system.url("intake"), system.url("tasks"), system.url("reporting")
    with httpx.Client(timeout=30) as client:
        # 1. the city plan as a document, completed and confirmed by the city
        uploaded = client.post(
            f"{intake}/plans/documents",
            files={"file": (DOCX.name, DOCX.read_bytes(), "application/octet-stream")},
            data={"issuer": "HP"},
            headers=AUTH,
        )
        assert uploaded.status_code == 202, uploaded.text
        plan_id = uploaded.json()["id"]
        content = client.get(f"{intake}/plans/{plan_id}", headers=AUTH).json()["content"]
        content |= {"number": "245/KH-UBND", "issued_on": str(cut_off - timedelta(days=25))}
        content["reporting"] = [
            {
                "reporter": [{"text": name, "unit": code} for code, name in _reporters()],
                "recipient": {"text": "Sở Tư pháp", "unit": SOTP},
                "recurrence": ["monthly"],
                "text": "Báo cáo hằng tháng về Sở Tư pháp",
            }
        ]
        edited = client.put(f"{intake}/plans/{plan_id}", json=content, headers=AUTH)
        assert edited.status_code == 202, edited.text
        confirmed = client.post(f"{intake}/plans/{plan_id}/confirm", headers=AUTH)
        assert confirmed.status_code == 202, confirmed.text

        def assignments() -> list[dict[str, Any]]:
            answer = client.get(
                f"{tasks}/assignments", params={"plan_id": plan_id, "limit": 5000}, headers=AUTH
            )
            body = answer.json() if answer.status_code == 200 else []
            rows = body["items"] if isinstance(body, dict) else body
            return rows if len(rows) > 2000 else []

        given = wait_for(assignments, "the fan-out")
        time.sleep(2)
        given = assignments()
        # 2. the calendar announces the reports owed; then the city sets its send-by rule, after confirmation
        assert client.post(f"{tasks}/admin/tick", headers=AUTH).status_code == 200
        (obligation,) = client.get(f"{tasks}/obligations", params={"plan_id": plan_id}, headers=AUTH).json()
        rule = {"send_before_day": 10, "level": "department", "lower_level_lead_days": 3}
        put = client.put(
            f"{tasks}/obligations/{obligation['obligation_id']}/send-rule", json=rule, headers=AUTH
        )
        assert put.status_code == 200, put.text
        assert client.post(f"{tasks}/admin/tick", headers=AUTH).status_code == 200
        # 3. results: done on time, done late, done after the cut-off, a Văn phòng on its ward's assignment,
        # a version returned, an older one accepted
        story = _results(client, intake, reporting, given, cut_off, today)
        # 4. periodic reports: departments on time (by the new rule), wards late, some never
        sent = {SOTP: closed, STC: closed, WARDS[0]: closed, WARDS[1]: closed, SNV: current}
        for unit, period in sent.items():
            post_until_admitted(
                client, f"{intake}/reports", {"unit": unit, "period_id": period, "plan_id": plan_id}
            )

        def periods() -> bool:
            answer = client.get(f"{reporting}/plans/{plan_id}/periods", headers=AUTH)
            return answer.status_code == 200 and {closed, current} <= {p["period_id"] for p in answer.json()}

        wait_for(periods, "the periods in reporting")
        for period, judged_on in ((closed, cut_off), (current, today)):
            expected = _expected(given, story, judged_on)

            def preview(period: str = period, expected: dict[str, Any] = expected) -> dict[str, Any] | None:
                answer = client.get(
                    f"{reporting}/plans/{plan_id}/submission", params={"period": period}, headers=AUTH
                )
                if answer.status_code != 200:
                    return None
                doc = dict(answer.json())
                arrived = doc["reporting"]["city"]["received"]
                counts = {c: doc["assignment_counts"][BUCKETS[c]] for c in CODES}
                return doc if counts == expected["counts"] and arrived == _received(sent, period) else None

            doc = wait_for(preview, f"the {period} figures")
            _check_json(doc, expected, judged_on, period == closed, sent, period)
            made = client.post(
                f"{reporting}/reports", json={"plan_id": plan_id, "period_id": period}, headers=AUTH
            )
            assert made.status_code == 201, made.text
            links = made.json()["links"]
            _check_documents(client, links, expected, sent, period)


def _reporters() -> list[tuple[str, str]]:
    return [
        (SOTP, "Sở Tư pháp"),
        (STC, "Sở Tài chính"),
        (SNV, "Sở Nội vụ"),
        (WARDS[0], "UBND phường An Biên"),
        (WARDS[1], "UBND phường Ngô Quyền"),
        (WARDS[2], "UBND phường Gia Viên"),
    ]


def _month_before(day: date, cut: int) -> date:
    first = day.replace(day=1) - timedelta(days=1)
    return first.replace(day=cut)


def _next_cut_off(cut_off: date) -> date:
    return (cut_off.replace(day=28) + timedelta(days=10)).replace(day=14)


def _period_id(cut_off: date) -> str:
    return f"{cut_off.year}-M{cut_off.month:02d}"


def _results(
    client: httpx.Client, intake: str, reporting: str, given: list[dict[str, Any]], cut_off: date, today: date
) -> dict[str, tuple[date | None, str]]:
    """Send the results; answer each assignment's counted completion date (None: none) as the story has it."""
    wards = [a for a in given if a["unit"] in WARDS and a["due"]]
    dated = sorted(wards, key=lambda a: (a["task_ref"], a["unit"]))
    story: dict[str, tuple[date | None, str]] = {}

    def send(a: dict[str, Any], unit: str, done: date | None) -> dict[str, Any]:
        body = {"assignment_id": a["id"], "unit": unit, "status": "hoan_thanh" if done else "dang_thuc_hien"}
        if done:
            body["completed_on"] = str(done)
        return post_until_admitted(client, f"{intake}/results", body | {"output": f"Văn bản của {unit}"})

    on_time, late, after_cut, by_office, returned, accepted_older = dated[:6]
    due = {a["id"]: date.fromisoformat(a["due"]) for a in dated[:6]}
    send(on_time, on_time["unit"], min(due[on_time["id"]], cut_off - timedelta(days=5)))
    story[on_time["id"]] = (min(due[on_time["id"]], cut_off - timedelta(days=5)), "ward")
    late_day = min(today, max(due[late["id"]] + timedelta(days=3), cut_off - timedelta(days=40)))
    send(late, late["unit"], late_day)
    story[late["id"]] = (late_day, "ward")
    send(
        after_cut, after_cut["unit"], today
    )  # completed after the cut-off: the closed period does not count it
    story[after_cut["id"]] = (today, "ward")
    first = send(by_office, by_office["unit"], cut_off - timedelta(days=10))
    second = send(by_office, f"{by_office['unit']}.VP", None)  # the office's version continues the sequence
    assert (first["version"], second["version"]) == (1, 2)
    story[by_office["id"]] = (None, "the Văn phòng's version 2 counts on arrival")
    newer = send(returned, returned["unit"], cut_off - timedelta(days=2))
    review(client, reporting, newer, "returned")
    story[returned["id"]] = (None, "returned")
    older = send(accepted_older, accepted_older["unit"], cut_off - timedelta(days=20))
    send(accepted_older, accepted_older["unit"], None)
    review(client, reporting, older, "accepted")  # accepting version 1 makes it count again
    story[accepted_older["id"]] = (cut_off - timedelta(days=20), "accepted")
    return story


def review(client: httpx.Client, reporting: str, sent: dict[str, Any], decision: str) -> None:
    body = {"kind": "result", "item_id": sent["id"], "version": sent["version"], "decision": decision}
    if decision == "returned":
        body["note"] = "Thiếu số văn bản; đề nghị bổ sung."

    def attempt() -> bool:
        answer = client.post(f"{reporting}/reviews", json=body, headers=AUTH)
        return answer.status_code == 201

    wait_for(attempt, "the review")


def _expected(
    given: list[dict[str, Any]], story: dict[str, tuple[date | None, str]], on: date
) -> dict[str, Any]:
    statuses = {}
    for a in given:
        done = story.get(a["id"], (None, ""))[0]
        due = date.fromisoformat(a["due"]) if a["due"] else None
        statuses[a["id"]] = judge(due, done, on)
    counts = Counter(statuses.values())
    leads: dict[str, list[dict[str, Any]]] = {}
    for a in given:
        if a["role"] == "chu_tri":
            leads.setdefault(a["task_ref"], []).append(a)
    tasks = {}
    for ref, lead in leads.items():
        mine = [statuses[a["id"]] for a in lead]
        if all(s in CODES[:2] for s in mine):  # done only when every lead unit is done
            tasks[ref] = CODES[1] if CODES[1] in mine else CODES[0]
        else:
            tasks[ref] = judge(date.fromisoformat(lead[0]["due"]) if lead[0]["due"] else None, None, on)
    return {
        "statuses": statuses,
        "counts": {c: counts.get(c, 0) for c in CODES},
        "by_unit_and_task": {(a["unit"], a["task_ref"]): statuses[a["id"]] for a in given},
        "tasks": tasks,
    }


def _received(sent: dict[str, str], period: str) -> int:
    return sum(1 for p in sent.values() if p == period)


def _check_json(
    doc: dict[str, Any], expected: dict[str, Any], on: date, closed: bool, sent: dict[str, str], period: str
) -> None:
    assert doc["as_of"] == str(on) and doc["period_closed"] is closed
    got = {(u["unit_code"], t["ref"]): u["status"] for t in doc["tasks"] for u in t["units"]}
    assert got == expected["by_unit_and_task"]
    for task in doc["tasks"]:
        assert task["status"] == expected["tasks"][task["ref"]], task["ref"]
    city = doc["reporting"]["city"]
    assert city["expected"] == 6 and city["received"] == _received(sent, period)
    # The rule set after confirmation: departments before the 10th of the month after the cut-off (on time
    # today), wards three working days earlier (the closed period's already passed; the current one's not).
    on_time = sum(1 for unit, p in sent.items() if p == period and (unit.startswith("HP.") or not closed))
    assert city["on_time"] == on_time
    wards = [t for t in doc["tasks"] if t["coordinating"]]
    assert all(t["standing"].startswith("Chủ trì: ") for t in wards)


def _check_documents(
    client: httpx.Client, links: dict[str, str], expected: dict[str, Any], sent: dict[str, str], period: str
) -> None:
    xlsx = client.get(links["xlsx"], headers=AUTH)
    assert xlsx.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content))["Tổng hợp"]
    values = {str(row[0]): row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    total = sum(expected["counts"].values())
    assert values["Tổng số lượt đơn vị được giao"] == total
    for code, label in zip(CODES, LABELS, strict=True):
        assert values[f"Lượt đơn vị {label}"] == expected["counts"][code], label
    assert values["Số báo cáo đã nhận"] == _received(sent, period)
    docx = client.get(links["docx"], headers=AUTH)
    assert docx.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert f"Tổng số {total:,}".replace(",", ".") + " lượt đơn vị được giao" in text
