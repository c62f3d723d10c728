"""Administrator routes: load and change the unit directory, issue and revoke API keys."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, File, Request, UploadFile
from fastapi.responses import JSONResponse
from sqlalchemy import select

from dondoc.directory import Directory, DirectoryDataError
from dondoc.platform.app import AdminDep
from dondoc.platform.db import reading
from dondoc.platform.idempotency import Answer
from dondoc.platform.refusals import TooLarge
from dondoc.platform.writes import IdempotencyKey, Writer, WriterDep
from services.intake import directory_store
from services.intake.http import answers
from services.intake.http.deps import DirectoryDep, RuntimeDep
from services.intake.schemas.admin import DIRECTORY_CHANGED, CloseIn, KeyIn, MergeIn, NewUnitIn, RenameIn
from services.intake.use_cases import directory_admin, keys

router = APIRouter(prefix="/admin", tags=["quản trị"])
_MAX_CSV_BYTES = 5 * 1024 * 1024


async def _change(
    writer: Writer, directory: Directory, change: directory_admin.Change, code: str | None
) -> JSONResponse:
    action = f"directory.{type(change).__name__}"
    change_directory = directory_admin.change_directory
    return await writer.run(
        action, answers.published, change_directory, writer.principal, directory, change, code
    )


@router.post(
    "/directory/units", status_code=202, responses=DIRECTORY_CHANGED, summary="Thêm đơn vị vào danh mục"
)
async def add_unit(
    unit: NewUnitIn,
    _admin: AdminDep,
    directory: DirectoryDep,
    writer: WriterDep,
) -> JSONResponse:
    return await _change(writer, directory, unit, None)


@router.post(
    "/directory/units/{code}/rename", status_code=202, responses=DIRECTORY_CHANGED, summary="Đổi tên đơn vị"
)
async def rename_unit(
    code: str,
    rename: RenameIn,
    _admin: AdminDep,
    directory: DirectoryDep,
    writer: WriterDep,
) -> JSONResponse:
    return await _change(writer, directory, rename, code)


@router.post(
    "/directory/units/{code}/close", status_code=202, responses=DIRECTORY_CHANGED, summary="Giải thể đơn vị"
)
async def close_unit(
    code: str,
    close: CloseIn,
    _admin: AdminDep,
    directory: DirectoryDep,
    writer: WriterDep,
) -> JSONResponse:
    return await _change(writer, directory, close, code)


@router.post("/directory/merge", status_code=202, responses=DIRECTORY_CHANGED, summary="Hợp nhất đơn vị")
async def merge_units(
    merge: MergeIn,
    _admin: AdminDep,
    directory: DirectoryDep,
    writer: WriterDep,
) -> JSONResponse:
    return await _change(writer, directory, merge, None)


async def _load(
    request: Request,
    runtime: RuntimeDep,
    principal: AdminDep,
    built: Directory | Exception,
    key: str | None,
    fingerprint: bytes | None = None,
) -> JSONResponse:
    writer = Writer(request, runtime, principal, key, body=fingerprint)
    return await writer.run(
        "directory.load", answers.published, directory_admin.load_snapshot, principal, built
    )


@router.post(
    "/directory", status_code=202, responses=DIRECTORY_CHANGED, summary="Nạp danh mục từ bản chụp JSON"
)
async def load_json(
    snapshot: Annotated[dict[str, object], Body(description="Directory.to_dict()")],
    request: Request,
    runtime: RuntimeDep,
    principal: AdminDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    built: Directory | Exception
    try:
        built = directory_admin.checked(Directory.from_dict(snapshot))
    except (DirectoryDataError, TypeError, KeyError) as exc:
        built = DirectoryDataError(f"Bản chụp danh mục không hợp lệ: {exc}")
    return await _load(request, runtime, principal, built, idempotency_key)


@router.post(
    "/directory/files", status_code=202, responses=DIRECTORY_CHANGED, summary="Nạp danh mục từ các tệp CSV"
)
async def load_files(
    files: Annotated[list[UploadFile], File(description="city.csv, haiphong-communes.csv, ...")],
    request: Request,
    runtime: RuntimeDep,
    principal: AdminDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    contents: dict[str, bytes] = {}
    for upload in files:
        data = await upload.read(_MAX_CSV_BYTES + 1)
        if len(data) > _MAX_CSV_BYTES:
            raise TooLarge(f"Tệp {upload.filename} quá lớn (tối đa 5 MB).")
        contents[upload.filename or ""] = data
    built: Directory | Exception
    try:
        built = directory_admin.directory_from_files(contents)
    except DirectoryDataError as exc:
        built = exc
    fingerprint = b"".join(name.encode() + b"\x00" + data for name, data in sorted(contents.items()))
    return await _load(request, runtime, principal, built, idempotency_key, fingerprint)


@router.post("/keys", status_code=201, summary="Cấp khóa truy cập (API key) cho một đơn vị")
async def create_key(
    body: KeyIn, request: Request, runtime: RuntimeDep, principal: AdminDep, directory: DirectoryDep
) -> JSONResponse:
    """The token is in this answer only; it is never stored (so this write takes no Idempotency-Key)."""
    writer = Writer(request, runtime, principal)
    return await writer.run(
        "key.create", answers.new_key, keys.create_key, directory, body.unit, body.role, body.label
    )


@router.delete("/keys/{key_id}", status_code=200, summary="Thu hồi khóa truy cập")
async def revoke_key(key_id: str, _admin: AdminDep, writer: WriterDep) -> JSONResponse:
    return await writer.run("key.revoke", _revoked, keys.revoke_key, key_id)


def _revoked(row: dict[str, object]) -> Answer:
    return 200, row, str(row["key_id"])


@router.get("/keys", summary="Danh sách khóa truy cập (không có bí mật)")
async def list_keys(
    runtime: RuntimeDep, _admin: AdminDep, unit: str | None = None
) -> list[dict[str, object]]:
    async with runtime.uow() as uow:
        return await keys.list_keys(uow, unit)


@router.get("/keys/revoked", summary="Các khóa đã thu hồi (để các dịch vụ khác chặn ngay, không qua Kafka)")
async def revoked_keys(runtime: RuntimeDep, _admin: AdminDep) -> list[dict[str, object]]:
    """Every revoked key and when: the source the other services poll (ADR 0032), never over the bus."""
    t = runtime.spec.tables.credentials
    query = select(t.c.key_id, t.c.revoked_at).where(t.c.revoked_at.is_not(None)).order_by(t.c.key_id)
    async with reading(runtime.engine) as conn:
        rows = (await conn.execute(query)).all()
    return [{"key_id": row.key_id, "revoked_at": row.revoked_at} for row in rows]


@router.get("/directory/versions", summary="Lịch sử các phiên bản danh mục đơn vị")
async def directory_versions(runtime: RuntimeDep, _admin: AdminDep) -> list[dict[str, object]]:
    async with runtime.uow() as uow:
        return await directory_store.history(uow)
