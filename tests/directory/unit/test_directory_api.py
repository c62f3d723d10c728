"""The read-only directory router answers over HTTP (FastAPI TestClient)."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from dondoc.directory import load_default_directory
from dondoc.directory.api import build_directory_router
from tests.support.directory_csv import communes, offices_for


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()
    app.include_router(build_directory_router(load_default_directory))
    return TestClient(app)


def test_units_can_be_listed_by_kind(client: TestClient) -> None:
    response = client.get("/directory/units", params={"kind": "xa"})
    assert response.status_code == 200
    assert [u["code"] for u in response.json()] == [r["code"] for r in communes() if r["kind"] == "xa"]


def test_a_bad_kind_is_refused_in_vietnamese(client: TestClient) -> None:
    response = client.get("/directory/units", params={"kind": "huyen"})
    assert response.status_code == 422
    assert "không hợp lệ" in response.json()["detail"]


def test_a_unit_comes_with_its_offices(client: TestClient) -> None:
    body = client.get("/directory/units/11407").json()
    assert body["name"] == "UBND phường An Biên"
    assert len(body["offices"]) == len(offices_for("phuong"))
    assert body["members"] == [o["code"] for o in body["offices"]]


def test_an_unknown_unit_is_404_with_a_vietnamese_message(client: TestClient) -> None:
    response = client.get("/directory/units/99999")
    assert response.status_code == 404
    assert response.json()["detail"] == "Không tìm thấy đơn vị có mã «99999»."


def test_search_and_resolve_answer(client: TestClient) -> None:
    hits = client.get("/directory/search", params={"q": "cẩm giàng"}).json()
    assert hits[0]["code"] == "10903"
    found = client.get(
        "/directory/resolve", params={"text": "Văn phòng HĐND và UBND", "context": "11407"}
    ).json()
    assert found["unit"] == "11407.VP"
    assert client.get("/directory/resolve", params={"text": "x", "context": "nope"}).status_code == 404


def test_groups_list_their_members(client: TestClient) -> None:
    groups = {g["code"]: g for g in client.get("/directory/groups").json()}
    assert len(groups["G.COMMUNES"]["members"]) == len(communes())
