"""Named refusals: each has one status and one Vietnamese message, from the platform's one table."""

from __future__ import annotations

import pytest

from dondoc.platform import refusals
from dondoc.platform.refusals import (
    REFUSALS,
    AdminOnly,
    AlreadyReviewed,
    Conflict,
    Invalid,
    MayNotAddress,
    NamedRefusal,
    NotYetKnown,
    NotYourUnit,
    PlanNotFound,
    Refused,
    ReportNotOwed,
    UnknownUnit,
)


def test_every_named_refusal_is_in_the_table() -> None:
    named = {
        cls for cls in vars(refusals).values() if isinstance(cls, type) and issubclass(cls, NamedRefusal)
    }
    assert named - {NamedRefusal} == set(REFUSALS)


def test_no_two_refusals_say_the_same_words() -> None:
    """One sentence, one refusal (those whose words are all the caller's, `{message}`, aside)."""
    messages = [message for _, message in REFUSALS.values() if message != "{message}"]
    assert len(messages) == len(set(messages))


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


@pytest.mark.parametrize(
    ("raised", "status", "message"),
    [
        (
            NotYourUnit(NotYourUnit.SEND_RESULT),
            403,
            "Khóa truy cập này không được báo cáo kết quả thay cho đơn vị khác.",
        ),
        (
            NotYourUnit(NotYourUnit.NOTIFICATIONS),
            403,
            "Khóa truy cập này không được thao tác trên thông báo của đơn vị khác.",
        ),
        (
            MayNotAddress("UBND phường A", "UBND xã B (222)", MayNotAddress.CHOOSE),
            403,
            "Kế hoạch của UBND phường A không được giao nhiệm vụ cho: UBND xã B (222). Một đơn vị chỉ giao "
            "nhiệm vụ cho chính mình và các đơn vị trực thuộc; hãy chọn đơn vị khác.",
        ),
        (
            UnknownUnit("999"),
            422,
            "Không tìm thấy đơn vị đang hoạt động có mã «999» trong danh mục.",
        ),
        (
            AlreadyReviewed("returned"),
            409,
            "Phiên bản này đã được trả lại để chỉnh sửa; đơn vị cần gửi phiên bản mới để xét lại.",
        ),
        (Invalid("Giá trị {không} hợp lệ."), 422, "Giá trị {không} hợp lệ."),
    ],
)
def test_a_refusal_naming_the_request_fills_its_template(raised: Refused, status: int, message: str) -> None:
    assert (raised.status, raised.message) == (status, message)


def test_a_refusal_about_one_field_names_it_for_the_form() -> None:
    raised = ReportNotOwed("111", "2026-Q9", "", "các kỳ đơn vị phải báo cáo: 2026-Q1.")
    assert raised.status == 422
    assert raised.detail == [
        {
            "field": "period_id",
            "message": "Đơn vị 111 không phải nộp báo cáo kỳ 2026-Q9; các kỳ đơn vị phải báo cáo: 2026-Q1.",
            "type": "period_not_owed",
        }
    ]


def test_a_refusal_to_retry_says_when() -> None:
    raised = NotYetKnown()
    assert (raised.status, raised.headers) == (503, {"Retry-After": "3"})
