"""Named refusals: what a caller may not do, defined once; one table gives each its status and message.

A use case raises `AdminOnly()`, `PlanNotFound()`, `NotYourUnit(NotYourUnit.RESULTS)`, … and knows
nothing of HTTP; the platform's `write` audits the refusal and answers the table's status and message (a
read route's refusal is answered the same way by the app's handler). A message that names what the request
named (a unit code, a version, a field) is a template in the table, filled by the refusal's own typed
arguments; `Invalid` and `InvalidField` carry words a validator wrote. `Refused(status, message)` itself is
left for a status decided elsewhere (a document reader's); `tests/platform/unit/test_no_raw_refusals.py`
checks that services write no status number of their own.
"""

from __future__ import annotations

from typing import ClassVar


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

    headers_of: ClassVar[dict[str, str] | None] = None
    kind: ClassVar[str] = "refused"  # the `type` of the field problem, for a refusal about one field

    def __init__(self, detail: object | None = None, *, field: str | None = None, **words: object) -> None:
        status, template = REFUSALS[type(self)]
        message = template.format(**words) if words else template
        if field is not None:
            detail = [field_problem(field, message, self.kind)]
        super().__init__(status, message, detail, self.headers_of)


def field_problem(field: str, message: str, kind: str) -> dict[str, object]:
    """One problem in the shape of FastAPI's validation errors, so a form shows it next to its field."""
    return {"field": field, "message": message, "type": kind}


# --- who may act -------------------------------------------------------------------------------------


class AdminOnly(NamedRefusal):
    """Only the city administrator may do this."""


class NotYourUnit(NamedRefusal):
    """A key acting for a unit that is neither its own nor one of its offices."""

    SEND_PLAN = "gửi kế hoạch thay cho"
    SEND_RESULT = "báo cáo kết quả thay cho"
    SEND_REPORT = "gửi báo cáo thay cho"
    NOTIFICATIONS = "thao tác trên thông báo của"
    TASKS = "xem nhiệm vụ của"

    def __init__(self, doing: str) -> None:
        super().__init__(doing=doing)


class NotIssuer(NamedRefusal):
    """Only the issuing unit edits or confirms its plan."""


class OthersResults(NamedRefusal):
    """A report carrying results of a unit the key does not act for."""


class NotCompiler(NamedRefusal):
    """Only the plan's compiler (or the city administrator) reviews what units sent."""


class StaleForm(NamedRefusal):
    """A page's form without its session's token (an old page, or one sent from elsewhere)."""


class NotYourPeople(NamedRefusal):
    """A leader manages the people of their own unit only."""


class MayNotAddress(NamedRefusal):
    """A plan giving a task to a unit its issuer may not address (ADR 0031)."""

    DROP = "hãy bỏ các đơn vị này hoặc đề nghị cấp có thẩm quyền ban hành kế hoạch."
    CHOOSE = "hãy chọn đơn vị khác."

    def __init__(self, issuer: str, units: str, advice: str) -> None:
        super().__init__(issuer=issuer, units=units, advice=advice)


# --- not found (or not the caller's to see: the two are not told apart) -----------------------------


class PlanNotFound(NamedRefusal):
    """No such plan, or not one the caller may see (the two are not told apart)."""


class PlanNotIssued(NamedRefusal):
    """No such plan, or the key is not its issuer's (a designation, tasks)."""


class ObligationNotIssued(NamedRefusal):
    """No such reporting obligation, or the key is not its plan issuer's."""


class AssignmentNotFound(NamedRefusal):
    """No such assignment the caller may see."""


class TaskNotFound(NamedRefusal):
    """No task of the plan the caller may see."""


class ResultNotFound(NamedRefusal):
    """No such result the caller may see."""


class ReportNotFound(NamedRefusal):
    """No such periodic report the caller may see."""


class VersionNotFound(NamedRefusal):
    """No such version of a result or report to review."""


class GeneratedReportNotFound(NamedRefusal):
    """No such generated submission the caller may see."""


class NotificationNotFound(NamedRefusal):
    """No such notification the caller may see."""


class DeadNotificationNotFound(NamedRefusal):
    """No dead notification with this id to send again."""


class PendingNotFound(NamedRefusal):
    """No result or report waiting for this leader's approval."""


class PersonNotFound(NamedRefusal):
    """No account with this username."""

    def __init__(self, username: str) -> None:
        super().__init__(username=username)


class KeyNotFound(NamedRefusal):
    """No API key with this id."""

    def __init__(self, key_id: str) -> None:
        super().__init__(key_id=key_id)


class PeriodNotFound(NamedRefusal):
    """A reporting period the plan does not have; the message lists those it has."""

    def __init__(self, period_id: str, choices: str) -> None:
        super().__init__(period_id=period_id, choices=choices)


class NotFound(NamedRefusal):
    """Something the request named is not there; the words say what (a unit code, a key id)."""

    def __init__(self, message: str, detail: object | None = None) -> None:
        super().__init__(detail, message=message)


# --- the state does not allow it ---------------------------------------------------------------------


class Conflict(NamedRefusal):
    """Two writers raced for the same row; the later one reloads and tries again."""


class AlreadyConfirmed(NamedRefusal):
    """A confirmed plan is edited before it is confirmed again."""


class NotAwaitingDesignation(NamedRefusal):
    """The task does not wait for units to be designated in that role."""


class AlreadyDecided(NamedRefusal):
    """A leader's decision on a pending result or report is made once."""


class AlreadyReviewed(NamedRefusal):
    """A reviewed version keeps its decision; the unit sends a new version to be reviewed again."""

    def __init__(self, decided: str) -> None:
        said = "chấp nhận" if decided == "accepted" else "trả lại để chỉnh sửa"
        super().__init__(said=said)


class UsernameTaken(NamedRefusal):
    """A username already in use."""

    def __init__(self, username: str) -> None:
        super().__init__(username=username)


class StaleResult(NamedRefusal):
    """A result form built on a version another person replaced meanwhile (the page keeps what was typed)."""

    def __init__(self, version: int) -> None:
        super().__init__(version=version)


class StaleReport(NamedRefusal):
    """A report form built on a version another person replaced meanwhile."""

    def __init__(self, version: int) -> None:
        super().__init__(version=version)


# --- the input cannot be taken -----------------------------------------------------------------------


class Invalid(NamedRefusal):
    """Input that can never be taken; the words (a validator's, a parser's) say why."""

    def __init__(self, message: str, detail: object | None = None) -> None:
        super().__init__(detail, message=message)


class InvalidField(NamedRefusal):
    """Input refused because of one field, named so that a form shows the words beside it."""

    def __init__(self, field: str, message: str, kind: str) -> None:
        super().__init__([field_problem(field, message, kind)], message=message)


class UnknownAssignment(NamedRefusal):
    """A result on an assignment the unit does not have (another ward's is not told apart)."""

    kind = "not_found"

    def __init__(self, field: str) -> None:
        super().__init__(field=field)


class UnknownPlanId(NamedRefusal):
    """A report naming a plan intake never confirmed."""

    kind = "not_found"

    def __init__(self, field: str) -> None:
        super().__init__(field=field)


class ReportNotOwed(NamedRefusal):
    """A report for a period the unit does not owe; the words list the periods it does."""

    kind = "period_not_owed"

    def __init__(self, unit: str, period_id: str, scope: str, allowed: str) -> None:
        super().__init__(field="period_id", unit=unit, period_id=period_id, scope=scope, allowed=allowed)


class UnknownUnit(NamedRefusal):
    """A unit code that is not an active unit of the directory."""

    def __init__(self, code: str) -> None:
        super().__init__(code=code)


class TooLarge(NamedRefusal):
    """A body or a file over the limit."""

    def __init__(self, message: str) -> None:
        super().__init__(message=message)


class Unavailable(NamedRefusal):
    """A part the write needs is not there now; the words say which and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message=message)


class NotYetKnown(NamedRefusal):
    """What the write names may simply not have reached this service yet: try again in a few seconds."""

    headers_of: ClassVar[dict[str, str] | None] = {"Retry-After": "3"}

    def __init__(self, detail: object | None = None) -> None:
        super().__init__(detail)


REFUSALS: dict[type[NamedRefusal], tuple[int, str]] = {
    AdminOnly: (403, "Chỉ quản trị viên thành phố được thực hiện thao tác này."),
    NotYourUnit: (403, "Khóa truy cập này không được {doing} đơn vị khác."),
    NotIssuer: (403, "Chỉ đơn vị ban hành kế hoạch mới được sửa hoặc xác nhận kế hoạch này."),
    OthersResults: (403, "Báo cáo chứa kết quả của đơn vị khác; mỗi đơn vị chỉ báo cáo phần của mình."),
    NotCompiler: (
        403,
        "Chỉ cơ quan tổng hợp của kế hoạch (hoặc quản trị viên thành phố) được duyệt hoặc trả lại.",
    ),
    StaleForm: (403, "Biểu mẫu đã cũ hoặc không gửi từ trang của hệ thống. Hãy tải lại trang rồi thử lại."),
    NotYourPeople: (403, "Bạn chỉ được quản lý người dùng của đơn vị mình."),
    MayNotAddress: (
        403,
        "Kế hoạch của {issuer} không được giao nhiệm vụ cho: {units}. "
        "Một đơn vị chỉ giao nhiệm vụ cho chính mình và các đơn vị trực thuộc; {advice}",
    ),
    PlanNotFound: (404, "Không tìm thấy kế hoạch."),
    PlanNotIssued: (404, "Không tìm thấy kế hoạch, hoặc khóa này không thuộc đơn vị ban hành kế hoạch."),
    ObligationNotIssued: (
        404,
        "Không tìm thấy nghĩa vụ báo cáo, hoặc khóa này không thuộc đơn vị ban hành kế hoạch.",
    ),
    AssignmentNotFound: (404, "Không tìm thấy nhiệm vụ được giao."),
    TaskNotFound: (404, "Không tìm thấy nhiệm vụ của kế hoạch."),
    ResultNotFound: (404, "Không tìm thấy kết quả."),
    ReportNotFound: (404, "Không tìm thấy báo cáo."),
    VersionNotFound: (404, "Không tìm thấy phiên bản kết quả hoặc báo cáo này."),
    GeneratedReportNotFound: (404, "Không tìm thấy báo cáo tổng hợp."),
    NotificationNotFound: (404, "Không tìm thấy thông báo."),
    DeadNotificationNotFound: (404, "Không có thông báo hỏng nào với mã này."),
    PendingNotFound: (404, "Không tìm thấy kết quả hoặc báo cáo chờ duyệt này."),
    PersonNotFound: (404, "Không tìm thấy người dùng «{username}»."),
    KeyNotFound: (404, "Không tìm thấy khóa «{key_id}»."),
    PeriodNotFound: (404, "Kế hoạch chưa có kỳ báo cáo {period_id}. Các kỳ hiện có: {choices}."),
    NotFound: (404, "{message}"),
    Conflict: (409, "Dữ liệu vừa được người khác thay đổi cùng lúc; hãy tải lại và thử lại."),
    AlreadyConfirmed: (409, "Kế hoạch đã được xác nhận; hãy sửa (PUT) trước khi xác nhận phiên bản mới."),
    NotAwaitingDesignation: (409, "Nhiệm vụ này không chờ chỉ định đơn vị với vai trò đã chọn."),
    AlreadyDecided: (409, "Nội dung này đã được duyệt hoặc trả lại trước đó."),
    AlreadyReviewed: (409, "Phiên bản này đã được {said}; đơn vị cần gửi phiên bản mới để xét lại."),
    UsernameTaken: (409, "Tên đăng nhập «{username}» đã có người dùng."),
    StaleResult: (
        409,
        "Kết quả của nhiệm vụ này vừa được người khác gửi (phiên bản {version}) sau khi bạn mở trang. "
        "Nội dung bạn nhập vẫn còn dưới đây: hãy xem phiên bản mới trong lịch sử, sửa nếu cần rồi gửi lại.",
    ),
    StaleReport: (
        409,
        "Báo cáo kỳ này vừa được người khác gửi (phiên bản {version}) sau khi bạn mở trang. "
        "Nội dung bạn nhập vẫn còn dưới đây: hãy xem phiên bản mới rồi gửi lại nếu cần.",
    ),
    Invalid: (422, "{message}"),
    InvalidField: (422, "{message}"),
    UnknownAssignment: (
        404,
        "Không tìm thấy nhiệm vụ được giao với mã này cho đơn vị của bạn (có thể đã bị thu hồi). "
        "Hãy lấy mã nhiệm vụ (assignment_id) từ danh sách nhiệm vụ được giao của đơn vị.",
    ),
    UnknownPlanId: (
        404,
        "Không tìm thấy kế hoạch đã xác nhận với mã này (plan_id); "
        "hãy kiểm tra lại mã kế hoạch hoặc bỏ trống.",
    ),
    ReportNotOwed: (422, "Đơn vị {unit} không phải nộp báo cáo kỳ {period_id}{scope}; {allowed}"),
    UnknownUnit: (422, "Không tìm thấy đơn vị đang hoạt động có mã «{code}» trong danh mục."),
    TooLarge: (413, "{message}"),
    Unavailable: (503, "{message}"),
    NotYetKnown: (
        503,
        "Nhiệm vụ hoặc kỳ báo cáo này có thể vừa được giao và chưa đến cổng tiếp nhận; "
        "hãy thử lại sau ít giây.",
    ),
}


def status_of(refusal: type[NamedRefusal]) -> int:
    """The HTTP status the table gives a refusal."""
    return REFUSALS[refusal][0]


def message_of(refusal: type[NamedRefusal]) -> str:
    """The Vietnamese message the table gives a refusal (its template, for one that names the request)."""
    return REFUSALS[refusal][1]
