"""Intake against a real broker and both stores: keys, authorisation, refusals, drafts, directory.

One app start per store (each start costs seconds): the test walks through every behaviour in turn.
Retries and the numbering of versions: test_intake_retries.py.
"""

from __future__ import annotations

import asyncio
import re
import unicodedata
from datetime import date

import httpx
from fastapi import FastAPI

from dondoc.directory import Directory, load_default_directory
from dondoc.platform.runtime import Runtime
from services.intake.app import create_app
from services.intake.settings import IntakeSettings
from shared import topics
from shared.events import CredentialChanged, DirectoryPublished, PlanReceived
from tests.support import ADMIN_TOKEN, eventually, read_topic, running
from tests.support.intake import scenarios as s

OPEN_ROUTES = {"/health", "/ready", "/metrics"}


def test_intake_serves_wards_and_the_city_administrator(broker: str, database_url: str) -> None:
    admin_cli_token = s.cli(database_url, "keys", "create", "--unit", s.WARD, "--label", "CLI")
    settings = IntakeSettings(
        kafka_bootstrap=broker,
        database_url=database_url,
        dondoc_admin_token=ADMIN_TOKEN,
        max_document_bytes=200_000,
    )
    app = create_app(settings)

    async def scenario() -> None:
        async with running(app) as client:
            runtime: Runtime = app.runtime
            await _every_route_but_health_readiness_and_metrics_needs_a_credential(client, app)
            await s.tasks_has_assigned_and_expects(broker, runtime)
            keys = await _keys(client)
            await _cli_keys_work_until_revoked(client, admin_cli_token, database_url)
            await _authorisation_matrix(client, keys)
            await _bad_input_is_refused_in_vietnamese(client, keys)
            await _hostile_uploads_are_4xx(client, keys)
            plan_id = await _document_draft_is_edited_then_confirmed(client, keys)
            await _directory_is_served_and_changes_are_published(client, keys)
            await _another_directory_can_be_loaded(client, keys)
            await _events_reach_the_broker(broker, plan_id)

    asyncio.run(scenario())


async def _every_route_but_health_readiness_and_metrics_needs_a_credential(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    paths = app.openapi()["paths"]
    assert "/directory/groups" in paths and "/admin/keys" in paths
    for path, operations in paths.items():
        concrete = re.sub(r"\{[^}]+\}", "x", path)
        for method in operations:
            answer = await client.request(method.upper(), concrete)
            expected = 200 if path in OPEN_ROUTES else 401
            assert answer.status_code == expected or (path == "/ready" and answer.status_code == 503), (
                method,
                path,
            )
    assert (await client.get("/openapi.json")).status_code in (200, 401)


async def _keys(client: httpx.AsyncClient) -> s.Keys:
    admin = s.bearer(ADMIN_TOKEN)
    revoked_token = await s.issue(client, admin, s.WARD)
    revoked_id = revoked_token.split("_")[1]
    assert (await client.delete(f"/admin/keys/{revoked_id}", headers=admin)).status_code == 200
    return s.Keys(
        ward=s.bearer(await s.issue(client, admin, s.WARD)),
        other=s.bearer(await s.issue(client, admin, s.OTHER)),
        admin=s.bearer(await s.issue(client, admin, None, role="admin")),
        revoked=s.bearer(revoked_token),
        none={},
    )


async def _cli_keys_work_until_revoked(client: httpx.AsyncClient, token: str, database_url: str) -> None:
    headers = s.bearer(token)
    assert (await client.get("/directory/units/11407", headers=headers)).status_code == 200
    listed = await s.in_thread("keys", "list", "--unit", s.WARD, database_url=database_url)
    key_id = token.split("_")[1]
    assert key_id in listed and token not in listed
    await s.in_thread("keys", "revoke", key_id, database_url=database_url)

    # The command writes the store directly: a process that saw the key keeps it for at most its
    # credential cache's second (ADR 0051), so the refusal is awaited rather than expected at once.
    async def refused() -> httpx.Response | None:
        answer = await client.get("/directory/units/11407", headers=headers)
        return answer if answer.status_code == 401 else None

    answer = await eventually(refused, timeout=10, what="the revoked key refused")
    assert "thu hồi" in answer.json()["detail"]


async def _draft(client: httpx.AsyncClient, keys: s.Keys, issuer: str) -> str:
    answer = await client.post("/plans", json=s.plan_for(issuer, draft=True), headers=keys.admin)
    assert answer.status_code == 202, answer.text
    return str(answer.json()["id"])


async def _write_routes(
    client: httpx.AsyncClient, keys: s.Keys, target: str
) -> list[tuple[str, str, object]]:
    """(method, path, json) of every write route, acting for `target`."""
    result = {"assignment_id": "a-1", "unit": target, "status": "dang_thuc_hien"}
    return [
        ("POST", "/plans", s.plan_for(target)),
        ("PUT", f"/plans/{await _draft(client, keys, target)}", s.plan_for(target, draft=True)),
        ("PATCH", f"/plans/{await _draft(client, keys, target)}", s.plan_for(target, draft=True)),
        ("POST", f"/plans/{await _draft(client, keys, target)}/confirm", None),
        ("POST", "/results", result),
        ("POST", "/reports", {"unit": target, "period_id": "2026-S1", "results": [result]}),
    ]


async def _authorisation_matrix(client: httpx.AsyncClient, keys: s.Keys) -> None:
    cases = [
        (keys.ward, s.WARD, 202),  # own unit
        (keys.ward, s.OFFICE, 202),  # own office
        (keys.other, s.WARD, 403),  # another ward
        (keys.admin, s.OFFICE, 202),  # city administrator
        (keys.none, s.WARD, 401),
        (keys.revoked, s.WARD, 401),
    ]
    for headers, target, expected in cases:
        for method, path, body in await _write_routes(client, keys, target):
            answer = await client.request(method, path, json=body, headers=headers)
            assert answer.status_code == expected, (method, path, target, answer.text)
        upload = await client.post(
            "/plans/documents",
            files={"file": ("000.txt", s.SEED_000.read_bytes(), "text/plain")},
            data={"issuer": target},
            headers=headers,
        )
        assert upload.status_code == expected, upload.text
    # Who a plan may address (ADR 0031): the plan's rule, whoever sends it, at every door a plan passes.
    lead_other = {
        "ref": "1",
        "title": "Tổ chức quán triệt",
        "lead": [{"text": "UBND phường", "unit": s.OTHER}],
    }
    addressing_other = s.plan_for(s.WARD) | {"tasks": [lead_other]}
    for headers in (keys.ward, keys.admin):
        draft_id = await _draft(client, keys, s.WARD)
        for method, path, body in (
            ("POST", "/plans", addressing_other),
            ("POST", "/plans", addressing_other | {"draft": True}),
            ("PUT", f"/plans/{draft_id}", addressing_other),
            ("PATCH", f"/plans/{draft_id}", addressing_other),
        ):
            answer = await client.request(method, path, json=body, headers=headers)
            assert answer.status_code == 403 and f"({s.OTHER})" in answer.text, (method, answer.text)
    await _admin_routes_are_for_administrators(client, keys)
    refusals = (await client.get("/audit", params={"unit": s.OTHER}, headers=keys.admin)).json()
    assert {r["outcome"] for r in refusals} == {"refused"} and len(refusals) >= 7
    assert all(r["status"] == 403 for r in refusals)


async def _admin_routes_are_for_administrators(client: httpx.AsyncClient, keys: s.Keys) -> None:
    unit = {"code": "HP.SO-THU", "name": "Sở Thử nghiệm", "kind": "department", "effective": "2026-01-01"}
    routes = [
        ("POST", "/admin/directory/units", unit),
        ("POST", "/admin/directory/units/HP.SO-THU/rename", {"name": "Sở Thử", "effective": "2026-02-01"}),
        ("POST", "/admin/directory/units/HP.SO-THU/close", {"effective": "2026-03-01"}),
        ("POST", "/admin/keys", {"unit": s.WARD}),
    ]
    for headers, expected in ((keys.ward, 403), (keys.other, 403), (keys.none, 401), (keys.revoked, 401)):
        for method, path, body in routes:
            assert (await client.request(method, path, json=body, headers=headers)).status_code == expected
            # Who the caller is decides before what it sent: no admin schema's details for a ward.
            junk = await client.request(method, path, json={"bogus": ["x" * 3000]}, headers=headers)
            assert junk.status_code == expected, (method, path, junk.text)
        for path in ("/admin/directory", "/admin/directory/merge"):
            assert (await client.post(path, json=[1, 2], headers=headers)).status_code == expected
            malformed = headers | {"Content-Type": "application/json"}
            assert (await client.post(path, content=b"{not json", headers=malformed)).status_code == expected
        assert (await client.delete("/admin/keys/nope", headers=headers)).status_code == expected
        assert (await client.get("/admin/keys", headers=headers)).status_code == expected
    for method, path, body in routes:
        answer = await client.request(method, path, json=body, headers=keys.admin)
        assert answer.status_code in (201, 202), answer.text
    assert (await client.delete("/admin/keys/nope", headers=keys.admin)).status_code == 404


async def _bad_input_is_refused_in_vietnamese(client: httpx.AsyncClient, keys: s.Keys) -> None:
    hidden = await client.post(
        "/plans", json=s.plan_for(s.WARD, title="Kế hoạch \u202egnaht"), headers=keys.ward
    )
    assert hidden.status_code == 422
    assert hidden.json()["detail"][0]["field"] == "title" and "ký tự điều khiển" in hidden.text
    plan = s.plan_for(s.WARD)
    tasks = plan["tasks"]
    assert isinstance(tasks, list)
    plan["tasks"] = [dict(tasks[0]) | {"lead": [{"text": "Sở Tư phap"}]}]
    unknown = await client.post("/plans", json=plan, headers=keys.ward)
    assert unknown.status_code == 422
    problem = unknown.json()["detail"][0]
    assert problem["field"] == "tasks.0.lead.0.text" and "HP.SO-TU-PHAP" in problem["candidates"]
    assert "Không tìm thấy đơn vị" in problem["message"]
    stranger = await client.post("/plans", json=s.plan_for("99999"), headers=keys.admin)
    assert stranger.status_code == 422 and "Không tìm thấy đơn vị" in stranger.text
    broken = await client.post(
        "/plans", content=b"{not json", headers=keys.ward | {"content-type": "application/json"}
    )
    assert broken.status_code == 422
    title = unicodedata.normalize("NFD", "Hoà nhập")
    decomposed = await client.post(
        "/plans", json=s.plan_for(s.WARD, draft=True, title=title), headers=keys.ward
    )
    stored = (await client.get(f"/plans/{decomposed.json()['id']}", headers=keys.ward)).json()
    assert stored["content"]["title"] == unicodedata.normalize("NFC", "Hoà nhập") != title
    assert (await client.get(f"/plans/{decomposed.json()['id']}", headers=keys.other)).status_code == 404


async def _hostile_uploads_are_4xx(client: httpx.AsyncClient, keys: s.Keys) -> None:
    hostile = [
        ("empty.txt", b"", "text/plain"),
        ("plan.docx", b"PK\x03\x04 not really a zip", "application/octet-stream"),
        ("plan.pdf", b"%PDF-1.4 garbage", "application/pdf"),
        ("virus.exe", b"MZ\x90\x00", "application/x-msdownload"),
        ("huge.txt", b"a" * 300_000, "text/plain"),
    ]
    for name, data, kind in hostile:
        answer = await client.post("/plans/documents", files={"file": (name, data, kind)}, headers=keys.ward)
        assert 400 <= answer.status_code < 500, (name, answer.status_code, answer.text)
        assert answer.json()["detail"], name
    too_big = await client.post(
        "/plans/documents", files={"file": ("huge.txt", b"a" * 300_000, "text/plain")}, headers=keys.ward
    )
    assert too_big.status_code == 413


async def _document_draft_is_edited_then_confirmed(client: httpx.AsyncClient, keys: s.Keys) -> str:
    for path in sorted(s.DOCUMENTS.glob("000_*")):
        answer = await client.post(
            "/plans/documents", files={"file": (path.name, path.read_bytes())}, headers=keys.ward
        )
        assert answer.status_code == 202, answer.text
        assert answer.json()["status"] == "draft" and answer.json()["draft"]["tasks"]
    raw = s.SEED_000.read_bytes()
    answer = await client.post(
        "/plans/documents", files={"file": ("000.txt", raw, "text/plain")}, headers=keys.ward
    )
    assert answer.status_code == 202
    draft = answer.json()
    assert draft["review"] and draft["status"] == "draft"
    plan_id = str(draft["id"])
    original = await client.get(f"/plans/{plan_id}/document", headers=keys.ward)
    assert original.content == raw
    content = (await client.get(f"/plans/{plan_id}", headers=keys.ward)).json()["content"]
    # A draft saved back as it was returned is accepted: PUT, PATCH and confirm apply the draft's rule.
    for method in ("PUT", "PATCH"):
        same = await client.request(method, f"/plans/{plan_id}", json=content, headers=keys.ward)
        assert same.status_code == 202, same.text
    directory = load_default_directory()
    for duty in content["reporting"]:  # what the parser could not name, a person names before confirming
        named = [
            u for u in duty["reporter"] if u.get("unit") or directory.resolve(u["text"], s.WARD).resolved
        ]
        duty["reporter"] = named or [{"text": "Văn phòng HĐND và UBND"}]
    content["tasks"][0]["lead"] = []
    assert (await client.put(f"/plans/{plan_id}", json=content, headers=keys.ward)).status_code == 202
    refused = await client.post(f"/plans/{plan_id}/confirm", headers=keys.ward)
    assert refused.status_code == 422 and "chưa có đơn vị chủ trì" in refused.text
    content["tasks"][0]["lead"] = [{"text": "Văn phòng HĐND và UBND"}]
    content["tasks"][0]["coordinating"] = [{"text": "Phòng Văn hóa – Xã hội"}]
    assert (await client.put(f"/plans/{plan_id}", json=content, headers=keys.ward)).status_code == 202
    # The parser's flags still open stop confirming until the person marks each one checked (issue 17).
    flags = (await client.get(f"/plans/{plan_id}", headers=keys.ward)).json()["review"]
    assert flags and all(f["ref"] != content["tasks"][0]["ref"] for f in flags)  # the edited task's went
    unchecked = await client.post(f"/plans/{plan_id}/confirm", headers=keys.ward)
    assert unchecked.status_code == 422 and "review_flag" in unchecked.text
    checked = {"checked": [f["ref"] for f in flags]}
    confirmed = await client.post(f"/plans/{plan_id}/confirm", json=checked, headers=keys.ward)
    assert confirmed.json()["version"] == 1
    content["title"] = content["title"] + " (sửa đổi)"
    assert (await client.patch(f"/plans/{plan_id}", json=content, headers=keys.ward)).status_code == 202
    assert (await client.post(f"/plans/{plan_id}/confirm", headers=keys.ward)).json()["version"] == 2
    return plan_id


async def _directory_is_served_and_changes_are_published(client: httpx.AsyncClient, keys: s.Keys) -> None:
    assert (await client.get("/directory/groups")).status_code == 401
    groups = {
        g["code"]: g["members"] for g in (await client.get("/directory/groups", headers=keys.ward)).json()
    }
    assert len(groups["G.COMMUNES"]) == s.communes_in_csv()
    assert len(groups[f"G.OFFICES:{s.WARD}"]) == s.ward_offices_in_csv()
    closed = (await client.get("/directory/units/HP.SO-THU", headers=keys.ward)).json()
    assert closed["status"] == "closed" and closed["former_names"] == ["Sở Thử nghiệm"]


async def _another_directory_can_be_loaded(client: httpx.AsyncClient, keys: s.Keys) -> None:
    files = [("files", (p.name, p.read_bytes(), "text/csv")) for p in sorted(s.DATA.glob("*.csv"))]
    loaded = await client.post("/admin/directory/files", files=files, headers=keys.admin)
    assert loaded.status_code == 202, loaded.text
    assert (await client.get("/directory/units/HP.SO-THU", headers=keys.ward)).status_code == 404
    snapshot = load_default_directory().rename("11407", "Phường An Biên Mới", date(2026, 1, 1)).to_dict()
    assert (await client.post("/admin/directory", json=snapshot, headers=keys.ward)).status_code == 403
    assert (await client.post("/admin/directory", json=snapshot, headers=keys.admin)).status_code == 202
    renamed = (await client.get("/directory/units/11407", headers=keys.ward)).json()
    assert renamed["name"].endswith("An Biên Mới") and "UBND phường An Biên" in renamed["former_names"]
    malformed = {"version": 1, "city": "HP", "units": [{"code": "HP", "name": 5, "kind": "city"}]}
    assert (await client.post("/admin/directory", json=malformed, headers=keys.admin)).status_code == 422
    versions = (await client.get("/admin/directory/versions", headers=keys.admin)).json()
    assert [v["action"] for v in versions][:3] == ["load", "load", "close"]
    assert (await client.get("/admin/directory/versions", headers=keys.ward)).status_code == 403
    stray = [("files", ("passwords.csv", b"a,b\n", "text/csv"))]
    refused = await client.post("/admin/directory/files", files=stray, headers=keys.admin)
    assert refused.status_code == 422 and "city.csv" in refused.text
    await _concurrent_changes_never_fail_with_500(client, keys)


async def _concurrent_changes_never_fail_with_500(client: httpx.AsyncClient, keys: s.Keys) -> None:
    units = [
        {
            "code": f"HP.SO-SONG-{n}",
            "name": f"Sở Song song {n}",
            "kind": "department",
            "effective": "2026-04-01",
        }
        for n in range(3)
    ]
    answers = await asyncio.gather(
        *(client.post("/admin/directory/units", json=u, headers=keys.admin) for u in units)
    )
    assert {a.status_code for a in answers} <= {202, 409, 503} and 202 in {a.status_code for a in answers}
    versions = [a.json()["version"] for a in answers if a.status_code == 202]
    assert len(versions) == len(set(versions))


async def _events_reach_the_broker(broker: str, plan_id: str) -> None:
    envelopes = await read_topic(broker, topics.PLAN_RECEIVED, expect=8)
    received = [e.payload(PlanReceived) for e in envelopes if e.subject == plan_id]
    assert sorted(p.version for p in received) == [1, 2]
    task = received[0].tasks[0]
    assert [u.unit for u in task.lead] == ["11407.VP"]
    assert [u.unit for u in task.coordinating] == ["11407.VHXH"]
    published = [
        e.payload(DirectoryPublished) for e in await read_topic(broker, topics.DIRECTORY_PUBLISHED, 4)
    ]
    assert [p.version for p in published][:4] == [1, 2, 3, 4]
    newest = Directory.from_dict(published[3].snapshot)
    assert newest.unit("HP.SO-THU").status == "closed"
    changed = [e.payload(CredentialChanged) for e in await read_topic(broker, topics.CREDENTIAL_CHANGED, 8)]
    assert any(c.revoked_at for c in changed) and all(c.secret_hash for c in changed)
