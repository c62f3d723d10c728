"""Named refusals: each has one status and one Vietnamese message, from the platform's one table."""

from __future__ import annotations

import pytest

from dondoc.platform import refusals
from dondoc.platform.refusals import REFUSALS, AdminOnly, Conflict, NamedRefusal, PlanNotFound, Refused


def test_every_named_refusal_is_in_the_table() -> None:
    named = {
        cls for cls in vars(refusals).values() if isinstance(cls, type) and issubclass(cls, NamedRefusal)
    }
    assert named - {NamedRefusal} == set(REFUSALS)


@pytest.mark.parametrize(
    ("refusal", "status", "message"),
    [
        (AdminOnly, 403, "Chỉ quản trị viên thành phố được thực hiện thao tác này."),
        (PlanNotFound, 404, "Không tìm thấy kế hoạch."),
        (Conflict, 409, "Dữ liệu vừa được người khác thay đổi cùng lúc; hãy tải lại và thử lại."),
    ],
)
def test_a_named_refusal_carries_its_status_and_words(
    refusal: type[NamedRefusal], status: int, message: str
) -> None:
    raised = refusal()
    assert isinstance(raised, Refused)
    assert (raised.status, raised.message, raised.detail) == (status, message, message)


def test_a_named_refusal_may_carry_details_beside_its_words() -> None:
    raised = PlanNotFound(detail={"plan_id": "kh-1"})
    assert raised.message == "Không tìm thấy kế hoạch." and raised.detail == {"plan_id": "kh-1"}
