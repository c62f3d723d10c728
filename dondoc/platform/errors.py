"""Answers for bad input and unavailable stores: a clear 4xx/503 in Vietnamese, never a bare 500."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from dondoc.platform.refusals import Refused

# pydantic error type → what a ward officer should fix, in Vietnamese.
_MESSAGES = {
    "missing": "Thiếu trường bắt buộc.",
    "string_type": "Giá trị phải là chuỗi ký tự.",
    "string_too_short": "Giá trị không được để trống.",
    "string_too_long": "Giá trị quá dài.",
    "int_parsing": "Giá trị phải là số nguyên.",
    "int_type": "Giá trị phải là số nguyên.",
    "date_from_datetime_parsing": "Ngày không hợp lệ; dùng định dạng NNNN-TT-NN (ví dụ 2026-02-28).",
    "date_parsing": "Ngày không hợp lệ; dùng định dạng NNNN-TT-NN (ví dụ 2026-02-28).",
    "date_type": "Ngày không hợp lệ; dùng định dạng NNNN-TT-NN (ví dụ 2026-02-28).",
    "datetime_parsing": "Thời điểm không hợp lệ; dùng định dạng ISO 8601.",
    "literal_error": "Giá trị không thuộc các giá trị được phép.",
    "enum": "Giá trị không thuộc các giá trị được phép.",
    "list_type": "Giá trị phải là một danh sách.",
    "dict_type": "Giá trị phải là một đối tượng JSON.",
    "model_type": "Giá trị phải là một đối tượng JSON.",
    "extra_forbidden": "Trường này không được hỗ trợ.",
    "json_invalid": "Nội dung gửi lên không phải JSON hợp lệ.",
    "value_error": "Giá trị không hợp lệ.",
    "too_short": "Danh sách không được để trống.",
    "bool_parsing": "Giá trị phải là true hoặc false.",
    "bool_type": "Giá trị phải là true hoặc false.",
    "string_pattern_mismatch": "Giá trị có ký tự không được phép (mã chỉ gồm chữ, số và . _ : -).",
    "too_long": "Danh sách quá dài.",
    "float_parsing": "Giá trị phải là số.",
    "greater_than_equal": "Giá trị quá nhỏ.",
    "less_than_equal": "Giá trị quá lớn.",
    "missing_argument": "Thiếu trường bắt buộc.",
}

RETRY_AFTER_SECONDS = 5


def _field(loc: tuple[object, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


async def validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = []
    for error in exc.errors():
        kind = str(error.get("type", "value_error"))
        ctx = error.get("ctx") or {}
        message = _MESSAGES.get(kind, "Giá trị không hợp lệ.")
        if kind == "value_error" and isinstance(ctx.get("error"), ValueError):
            message = str(ctx["error"])  # our validators raise Vietnamese messages
        if kind in ("literal_error", "enum") and "expected" in ctx:
            # pydantic writes the choices in English ("'a', 'b' or 'c'"): only the values are kept.
            choices = str(ctx["expected"]).replace(" or ", ", ")
            message = f"Giá trị không hợp lệ; hãy dùng một trong các giá trị: {choices}."
        details.append({"field": _field(tuple(error.get("loc", ()))), "message": message, "type": kind})
    return JSONResponse(status_code=422, content={"detail": details})


async def store_unavailable(_request: Request, _exc: Exception) -> JSONResponse:
    return JSONResponse(
        status_code=503,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        content={
            "detail": "Hệ thống tạm thời không truy cập được cơ sở dữ liệu. Vui lòng thử lại sau ít phút."
        },
    )


# Starlette's and FastAPI's own English answers, as a ward officer should read them.
_FRAMEWORK_MESSAGES = {
    "There was an error parsing the body": (
        "Không đọc được nội dung gửi lên: JSON sai cú pháp hoặc lồng quá nhiều cấp. "
        "Hãy gửi một đối tượng JSON hợp lệ đúng như tài liệu API mô tả."
    ),
    "Not Found": "Không tìm thấy địa chỉ này; hãy kiểm tra lại đường dẫn trong tài liệu API.",
    "Method Not Allowed": "Địa chỉ này không nhận phương thức này; hãy xem tài liệu API.",
    "Unsupported Media Type": "Định dạng nội dung không được hỗ trợ; hãy gửi application/json.",
}


async def refused_answer(_request: Request, exc: Exception) -> JSONResponse:
    """A named refusal raised outside a write (a read route, a dependency): its status and its words.

    A write's refusal is answered (and audited) by `dondoc.platform.writes.write` before it gets here.
    """
    assert isinstance(exc, Refused)
    return JSONResponse(status_code=exc.status, content={"detail": exc.detail}, headers=exc.headers)


async def framework_error(_request: Request, exc: Exception) -> Response:
    """An HTTPException raised by the framework itself speaks English: answer in Vietnamese instead."""
    assert isinstance(exc, StarletteHTTPException)
    detail = (
        _FRAMEWORK_MESSAGES.get(str(exc.detail), exc.detail) if isinstance(exc.detail, str) else exc.detail
    )
    if exc.status_code in (204, 304):
        return Response(status_code=exc.status_code, headers=exc.headers)
    return JSONResponse(status_code=exc.status_code, content={"detail": detail}, headers=exc.headers)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, framework_error)
    app.add_exception_handler(Refused, refused_answer)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(OperationalError, store_unavailable)
    app.add_exception_handler(InterfaceError, store_unavailable)
    app.add_exception_handler(ConnectionError, store_unavailable)
