"""People's accounts on the real broker and both stores: first sign-in, lock-out, leaders, sessions, audit."""

from __future__ import annotations

import asyncio
import re

import httpx
from fastapi import FastAPI

from dondoc.platform.runtime import Runtime
from services.intake.app import create_app
from services.intake.settings import IntakeSettings
from tests.support import ADMIN_TOKEN
from tests.support.intake import scenarios as s
from tests.support.intake.pages import ORIGIN, audit, browser, csrf, sign_in

WARD, OFFICE, OTHER = "11407", "11407.VP", "10537"
NEW_PASSWORD = "Hai-Phong-2026!"


def test_people_sign_in_choose_their_password_and_are_locked_out_after_repeated_failures(
    broker: str, database_url: str
) -> None:
    admin_password = s.cli(
        database_url, "people", "add", "--username", "admin.tp", "--name", "Quản trị TP", "--role", "admin"
    )
    settings = IntakeSettings(
        kafka_bootstrap=broker, database_url=database_url, dondoc_admin_token=ADMIN_TOKEN
    )
    app = create_app(settings)

    async def scenario() -> None:
        async with app.router.lifespan_context(app):
            runtime: Runtime = app.runtime
            async with browser(app) as admin:
                await _first_sign_in_demands_a_new_password(admin, admin_password)
                leader_password = await _admin_creates_a_leader(admin, runtime)
            async with browser(app) as leader:
                officer_password = await _leader_manages_own_unit_only(leader, leader_password)
            async with browser(app) as stranger:
                await _wrong_passwords_lock_the_account(stranger, runtime, officer_password)
            async with browser(app) as officer:
                await _disabling_ends_sessions(officer, app, runtime)
            await _forged_forms_change_nothing(app)

    asyncio.run(scenario())


async def _choose_password(client: httpx.AsyncClient, current: str) -> None:
    page = await client.get("/workspace/password")
    token = csrf(page.text)
    bad = await client.post(
        "/workspace/password", data={"csrf": token, "current": current, "new": "ngan", "confirm": "khac"}
    )
    assert bad.status_code == 422
    assert "Mật khẩu phải có ít nhất 10 ký tự." in bad.text
    assert "Nhập lại mật khẩu mới chưa khớp." in bad.text
    assert 'aria-invalid="true"' in bad.text
    good = await client.post(
        "/workspace/password",
        data={
            "csrf": token,
            "current": current,
            "new": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
            "next": "/workspace",
        },
    )
    assert good.status_code == 303 and good.headers["location"] == "/workspace"


async def _first_sign_in_demands_a_new_password(client: httpx.AsyncClient, temporary: str) -> None:
    anonymous = await client.get("/workspace")
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == "/workspace/login?next=/workspace"
    answer = await sign_in(client, "admin.tp", temporary, "/workspace/people")
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/workspace/password")
    cookie = answer.headers["set-cookie"]
    for flag in ("HttpOnly", "Secure", "SameSite=lax", "Path=/workspace"):
        assert flag.lower() in cookie.lower(), cookie
    held = await client.get("/workspace/people")
    assert held.status_code == 303 and held.headers["location"].startswith("/workspace/password")
    await _choose_password(client, temporary)
    assert (await client.get("/workspace/people")).status_code == 200


async def _admin_creates_a_leader(client: httpx.AsyncClient, runtime: Runtime) -> str:
    page = await client.get("/workspace/people")
    token = csrf(page.text)
    bad = await client.post(
        "/workspace/people",
        data={
            "csrf": token,
            "username": "lan.tran",
            "name": "Trần Thị Lan",
            "unit": "99999",
            "role": "leader",
        },
    )
    assert bad.status_code == 422 and "Không tìm thấy đơn vị đang hoạt động có mã «99999»" in bad.text
    assert 'value="Trần Thị Lan"' in bad.text  # what was typed is kept
    made = await client.post(
        "/workspace/people",
        data={"csrf": token, "username": "lan.tran", "name": "Trần Thị Lan", "unit": WARD, "role": "leader"},
    )
    assert made.status_code == 201
    password = re.search(r"<code data-password>([^<]+)</code>", made.text)
    assert password
    created = await audit(runtime, "person.create")
    assert created[-1] == ("person:admin.tp", None, "accepted", 201)
    return password.group(1)


async def _leader_manages_own_unit_only(client: httpx.AsyncClient, temporary: str) -> str:
    await sign_in(client, "lan.tran", temporary)
    await _choose_password(client, temporary)
    token = csrf((await client.get("/workspace/people")).text)
    elsewhere = await client.post(
        "/workspace/people",
        data={"csrf": token, "username": "binh.le", "name": "Lê Văn Bình", "unit": OTHER, "role": "officer"},
    )
    assert elsewhere.status_code == 422 and "chỉ được quản lý người dùng của đơn vị mình" in elsewhere.text
    made = await client.post(
        "/workspace/people",
        data={
            "csrf": token,
            "username": "hoa.nguyen",
            "name": "Nguyễn Thị Hoa",
            "unit": OFFICE,
            "role": "officer",
        },
    )
    assert made.status_code == 201
    password = re.search(r"<code data-password>([^<]+)</code>", made.text)
    assert password
    listed = (await client.get("/workspace/people")).text
    assert "hoa.nguyen" in listed and "admin.tp" not in listed
    return password.group(1)


async def _wrong_passwords_lock_the_account(client: httpx.AsyncClient, runtime: Runtime, right: str) -> None:
    unknown = await sign_in(client, "khong.co", "sai-mat-khau")
    assert unknown.status_code == 401 and "Tên đăng nhập hoặc mật khẩu không đúng." in unknown.text
    for _ in range(4):
        wrong = await sign_in(client, "hoa.nguyen", "sai-mat-khau")
        assert wrong.status_code == 401 and "không đúng" in wrong.text
    locked = await sign_in(client, "hoa.nguyen", "sai-mat-khau")
    assert "Tài khoản tạm khóa vì nhập sai mật khẩu nhiều lần" in locked.text
    still = await sign_in(client, "hoa.nguyen", right)  # even the right password waits out the lock
    assert still.status_code == 401 and "tạm khóa" in still.text
    failures = await audit(runtime, "workspace.login")
    refused = [row for row in failures if row[2] == "refused"]
    assert (None, None, "refused", 401) in refused  # the unknown name: nobody to name
    assert refused.count(("person:hoa.nguyen", OFFICE, "refused", 401)) == 6


async def _disabling_ends_sessions(client: httpx.AsyncClient, app: FastAPI, runtime: Runtime) -> None:
    async with browser(app) as leader:
        await sign_in(leader, "lan.tran", NEW_PASSWORD)
        token = csrf((await leader.get("/workspace/people")).text)
        reset = await leader.post("/workspace/people/hoa.nguyen/reset", data={"csrf": token})
        assert reset.status_code == 200
        found = re.search(r"<code data-password>([^<]+)</code>", reset.text)
        assert found
        assert (await sign_in(client, "hoa.nguyen", found.group(1))).status_code == 303  # reset unlocks
        await _choose_password(client, found.group(1))
        assert (await client.get("/workspace")).status_code == 200
        disabled = await leader.post("/workspace/people/hoa.nguyen/disable", data={"csrf": token})
        assert disabled.status_code == 303
    gone = await client.get("/workspace")
    assert gone.status_code == 303 and gone.headers["location"].startswith("/workspace/login")
    assert (await audit(runtime, "person.disable"))[-1] == ("person:lan.tran", WARD, "accepted", 200)


async def _forged_forms_change_nothing(app: FastAPI) -> None:
    async with browser(app) as admin:
        await sign_in(admin, "admin.tp", NEW_PASSWORD)
        form = {"username": "ke.gian", "name": "Kẻ gian", "unit": WARD, "role": "admin"}
        bare = await admin.post("/workspace/people", data=form)
        assert bare.status_code == 403 and "Biểu mẫu đã cũ" in bare.text
        token = csrf((await admin.get("/workspace/people")).text)
        foreign = await admin.post(
            "/workspace/people", data={**form, "csrf": token}, headers={"Origin": "https://evil.example"}
        )
        assert foreign.status_code == 403
        assert "ke.gian" not in (await admin.get("/workspace/people")).text
    assert ORIGIN.startswith("https://")
