"""Named refusals: what a caller may not do, defined once; one table gives each its status and message.

A use case raises `AdminOnly()`, `PlanNotFound()`, … and knows nothing of HTTP; the platform's `write`
audits the refusal and answers the table's status and message. `Refused(status, message)` remains for a
refusal whose words depend on the request (a field's value, the periods there are).
"""

from __future__ import annotations


class Refused(Exception):
    """A write the caller may not make: the route answers `status` with `detail` and audits `message`."""

    def __init__(
        self, status: int, message: str, detail: object | None = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.detail = detail if detail is not None else message
        self.headers = headers  # Retry-After on a 503 the caller should retry


class NamedRefusal(Refused):
    """A refusal whose status and message come from `REFUSALS`, the same wherever it is raised."""

    def __init__(self, detail: object | None = None) -> None:
        status, message = REFUSALS[type(self)]
        super().__init__(status, message, detail)


class AdminOnly(NamedRefusal):
    """Only the city administrator may do this."""


class PlanNotFound(NamedRefusal):
    """No such plan, or not one the caller may see (the two are not told apart)."""


class Conflict(NamedRefusal):
    """Two writers raced for the same row; the later one reloads and tries again."""


REFUSALS: dict[type[NamedRefusal], tuple[int, str]] = {
    AdminOnly: (403, "Chỉ quản trị viên thành phố được thực hiện thao tác này."),
    PlanNotFound: (404, "Không tìm thấy kế hoạch."),
    Conflict: (409, "Dữ liệu vừa được người khác thay đổi cùng lúc; hãy tải lại và thử lại."),
}


def status_of(refusal: type[NamedRefusal]) -> int:
    """The HTTP status the table gives a refusal."""
    return REFUSALS[refusal][0]


def message_of(refusal: type[NamedRefusal]) -> str:
    """The Vietnamese message the table gives a refusal."""
    return REFUSALS[refusal][1]
