"""The work page and the result form over HTTP, on the real broker and both stores.

Tasks' events feed intake's replica; a ward officer finds what is overdue and due soon first, sends a
result with a PDF, is told next to each field what is wrong, is told when someone else sent first, sees a
compiler's reason for a return; another ward's officer is refused, and the refusal is audited.
"""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta

import httpx

from dondoc.platform.runtime import Runtime
from services.intake.app import create_app
from services.intake.settings import IntakeSettings
from services.intake.web.reads import today
from shared import topics
from shared.events import SubmissionReviewed
from tests.support import ADMIN_TOKEN, eventually, read_topic, wire
from tests.support.intake import replica_events as ev
from tests.support.intake import scenarios as s
from tests.support.intake.pages import audit, browser, csrf, first_sign_in

WARD, OFFICE, OTHER = "11407", "11407.VP", "10537"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_ward_officer_reports_a_result_and_is_told_what_to_fix(broker: str, database_url: str) -> None:
    ward = s.cli(
        database_url, "people", "add", "--username", "hoa.nguyen", "--name", "Nguyễn Thị Hoa", "--unit", WARD
    )
    colleague = s.cli(
        database_url, "people", "add", "--username", "minh.pham", "--name", "Phạm Văn Minh", "--unit", WARD
    )
    other = s.cli(
        database_url, "people", "add", "--username", "binh.le", "--name", "Lê Văn Bình", "--unit", OTHER
    )
    settings = IntakeSettings(
        kafka_bootstrap=broker, database_url=database_url, dondoc_admin_token=ADMIN_TOKEN
    )
    app = create_app(settings)
    day = today()

    async def scenario() -> None:
        async with app.router.lifespan_context(app):
            runtime: Runtime = app.runtime
            await ev.publish(
                broker,
                ev.assigned("a-soon", OFFICE, task_ref="II.2", due=day + timedelta(days=3)),
                ev.assigned("a-late", WARD, task_ref="II.1", due=day - timedelta(days=10)),
                ev.assigned("a-later", WARD, task_ref="II.3", role="phoi_hop", due=day + timedelta(days=100)),
                ev.assigned("a-other", OTHER, task_ref="II.1"),
            )
            async with browser(app) as officer, browser(app) as mate, browser(app) as stranger:
                await first_sign_in(officer, "hoa.nguyen", ward)
                await first_sign_in(mate, "minh.pham", colleague)
                await first_sign_in(stranger, "binh.le", other)
                await _work_page_puts_trouble_first(officer)
                await _another_wards_pages_are_refused(stranger, runtime)
                await _bad_input_is_said_next_to_its_field(officer)
                evidence, result_id = await _a_result_with_a_pdf_is_sent(officer, broker)
                await _evidence_is_served_only_to_who_may_see_it(officer, stranger, evidence)
                await _someone_else_sending_first_is_detected(officer, mate)
                await _a_return_shows_its_reason(officer, broker, result_id)

    asyncio.run(scenario())


async def _work_page_puts_trouble_first(client: httpx.AsyncClient) -> None:
    async def listed() -> str | None:
        page = await client.get("/workspace")
        return page.text if page.text.count('class="card"') == 3 else None

    html = await eventually(listed, timeout=90, what="the ward's three assignments in the replica")
    order = re.findall(r'data-assignment="([^"]+)" data-urgency="([^"]+)"', html)
    assert order == [("a-late", "overdue"), ("a-soon", "soon"), ("a-later", "open")]
    assert "Quá hạn 10 ngày" in html and "Sắp đến hạn: còn 3 ngày" in html
    assert "a-other" not in html
    lead_only = (await client.get("/workspace", params={"role": "phoi_hop"})).text
    assert re.findall(r'data-assignment="([^"]+)"', lead_only) == ["a-later"]
    soon = (await client.get("/workspace", params={"status": "sap_den_han"})).text
    assert re.findall(r'data-assignment="([^"]+)"', soon) == ["a-soon"]


async def _another_wards_pages_are_refused(client: httpx.AsyncClient, runtime: Runtime) -> None:
    page = await client.get("/workspace/assignments/a-late")
    assert page.status_code == 403 and "thuộc đơn vị khác" in page.text
    token = csrf((await client.get("/workspace")).text)
    posted = await client.post(
        "/workspace/assignments/a-late/result", data={"csrf": token, "status": "dang_thuc_hien"}
    )
    assert posted.status_code == 403
    assert (await client.get("/workspace", params={"unit": WARD})).status_code == 403
    refused = await audit(runtime, "workspace.get")
    assert refused.count(("person:binh.le", OTHER, "refused", 403)) == 2
    assert (await audit(runtime, "workspace.post")) == [("person:binh.le", OTHER, "refused", 403)]


def _form(page: str, **fields: str) -> dict[str, str]:
    hidden = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', page))
    return {**hidden, **fields}


async def _bad_input_is_said_next_to_its_field(client: httpx.AsyncClient) -> None:
    page = (await client.get("/workspace/assignments/a-soon")).text
    future = (today() + timedelta(days=2)).strftime("%d/%m/%Y")
    cases = [
        (
            {"status": "hoan_thanh", "completed_on": "31/02/2026", "output": "Văn bản số 12/UBND-VP"},
            "completed_on",
            "Ngày hoàn thành phải là một ngày có thật, dạng ngày/tháng/năm",
        ),
        (
            {"status": "hoan_thanh", "completed_on": future, "output": "Văn bản số 12/UBND-VP"},
            "completed_on",
            "Ngày hoàn thành không thể sau hôm nay",
        ),
        (
            {"status": "hoan_thanh", "output": "Văn bản số 12/UBND-VP"},
            "completed_on",
            "hãy nhập ngày hoàn thành",
        ),
        ({"output": "Văn bản số 12/UBND-VP"}, "status", "Hãy chọn tình trạng"),
    ]
    for fields, name, message in cases:
        answer = await client.post("/workspace/assignments/a-soon/result", data=_form(page, **fields))
        assert answer.status_code == 422, fields
        said = re.search(rf'<p class="field-error" id="{name}-error">([^<]+)</p>', answer.text)
        assert said and message in said.group(1), (fields, answer.text[-3000:])
        assert 'value="Văn bản số 12/UBND-VP"' in answer.text  # what was typed is kept
    fake = {"evidence": ("bao-cao.pdf", b"not a pdf at all", "application/pdf")}
    typed = _form(page, status="dang_thuc_hien", narrative="Đang tổng hợp")
    answer = await client.post("/workspace/assignments/a-soon/result", data=typed, files=fake)
    assert answer.status_code == 422
    assert "Tệp «bao-cao.pdf» không phải PDF, DOCX, XLSX, JPEG hay PNG" in answer.text
    assert ">Đang tổng hợp</textarea>" in answer.text
    big = {"evidence": ("lon.pdf", PDF + b"0" * (10 * 1024 * 1024), "application/pdf")}
    answer = await client.post("/workspace/assignments/a-soon/result", data=typed, files=big)
    assert answer.status_code == 422 and "Tệp «lon.pdf» lớn quá 10 MB" in answer.text
    assert "Chưa gửi phiên bản nào." in (await client.get("/workspace/assignments/a-soon")).text


async def _a_result_with_a_pdf_is_sent(client: httpx.AsyncClient, broker: str) -> tuple[str, str]:
    page = (await client.get("/workspace/assignments/a-soon")).text
    done_on = (today() - timedelta(days=1)).strftime("%d/%m/%Y")
    fields = _form(
        page, status="hoan_thanh", completed_on=done_on, output="Văn bản số 12/UBND-VP", narrative="Đã xong"
    )
    files = {"evidence": ("Báo cáo kết quả.pdf", PDF, "application/octet-stream")}
    answer = await client.post("/workspace/assignments/a-soon/result", data=fields, files=files)
    assert answer.status_code == 303, answer.text[-2000:]
    assert answer.headers["location"] == "/workspace/assignments/a-soon?sent=1"
    again = await client.post(
        "/workspace/assignments/a-soon/result", data=fields, files=files
    )  # a double click
    assert again.status_code == 303 and again.headers["location"].endswith("?sent=1")
    shown = (await client.get(answer.headers["location"])).text
    assert "Đã gửi phiên bản 1." in shown
    assert shown.count('class="version') == 1
    assert "Nguyễn Thị Hoa (hoa.nguyen)" in shown
    link = re.search(r'href="(/workspace/evidence/[^"]+)" download>Báo cáo kết quả.pdf<', shown)
    assert link
    [sent] = await read_topic(broker, topics.RESULT_SUBMITTED, expect=1, timeout=90)
    assert sent.data["submitted_by"] == {"username": "hoa.nguyen", "name": "Nguyễn Thị Hoa"}
    assert (
        sent.data["unit"] == OFFICE and sent.data["completed_on"] == (today() - timedelta(days=1)).isoformat()
    )
    assert wire(sent)["attachments"][0].startswith("Báo cáo kết quả.pdf: ")
    return link.group(1), str(sent.data["result_id"])


async def _evidence_is_served_only_to_who_may_see_it(
    client: httpx.AsyncClient, stranger: httpx.AsyncClient, link: str
) -> None:
    got = await client.get(link)
    assert got.status_code == 200 and got.content == PDF
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["content-disposition"].startswith("attachment;")
    assert (await stranger.get(link)).status_code == 403


async def _someone_else_sending_first_is_detected(client: httpx.AsyncClient, mate: httpx.AsyncClient) -> None:
    mine = (await client.get("/workspace/assignments/a-late")).text
    theirs = (await mate.get("/workspace/assignments/a-late")).text
    first = _form(theirs, status="dang_thuc_hien", narrative="Minh gửi trước")
    assert (await mate.post("/workspace/assignments/a-late/result", data=first)).status_code == 303
    late = await client.post(
        "/workspace/assignments/a-late/result",
        data=_form(mine, status="dang_thuc_hien", narrative="Hoa gửi sau"),
    )
    assert late.status_code == 409
    assert "vừa được người khác gửi (phiên bản 1)" in late.text
    assert ">Hoa gửi sau</textarea>" in late.text
    retry = await client.post(
        "/workspace/assignments/a-late/result",
        data=_form(late.text, status="dang_thuc_hien", narrative="Hoa gửi sau"),
    )
    assert retry.status_code == 303 and retry.headers["location"].endswith("?sent=2")


async def _a_return_shows_its_reason(client: httpx.AsyncClient, broker: str, first: str) -> None:
    review = SubmissionReviewed(
        kind="result",
        item_id=first,
        version=1,
        unit=OFFICE,
        decision="returned",
        note="Thiếu số văn bản và ngày ban hành.",
        reviewed_at=datetime.now(UTC),
    )
    await ev.publish(broker, review)

    async def returned() -> str | None:
        html = (await client.get("/workspace/assignments/a-soon")).text
        return html if 'data-decision="returned"' in html else None

    html = await eventually(returned, timeout=90, what="the review reaching the workspace")
    assert "Thiếu số văn bản và ngày ban hành." in html and "bị trả lại để chỉnh sửa" in html
    work = (await client.get("/workspace", params={"status": "tra_lai"})).text
    assert re.findall(r'data-assignment="([^"]+)"', work) == ["a-soon"]
