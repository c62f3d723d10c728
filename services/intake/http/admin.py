"""Administrator routes: load and change the unit directory, issue and revoke API keys."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, File, Request, UploadFile
from fastapi.responses import JSONResponse
from sqlalchemy import select

from dondoc.directory import Directory, DirectoryDataError
from dondoc.platform.app import AdminDep, RuntimeDep
from dondoc.platform.idempotency import Answer
from dondoc.platform.refusals import TooLarge
from dondoc.platform.uow import UnitOfWork
from dondoc.platform.writes import IdempotencyKey, write
from services.intake import directory_store
from services.intake.http.admin_schemas import DIRECTORY_CHANGED, CloseIn, KeyIn, MergeIn, NewUnitIn, RenameIn
from services.intake.http.deps import DirectoryDep
from services.intake.use_cases import directory_admin, keys

router = APIRouter(prefix="/admin", tags=["quản trị"])
_MAX_CSV_BYTES = 5 * 1024 * 1024


async def _change(
    request: Request,
    runtime: RuntimeDep,
    principal: AdminDep,
    directory: Directory,
    change: directory_admin.Change,
    code: str | None,
    key: str | None,
) -> JSONResponse:
    async def work(uow: UnitOfWork) -> Answer:
        return await directory_admin.change_directory(uow, principal, directory, change, code)

    return await write(request, runtime, principal, f"directory.{type(change).__name__}", key, work)


@router.post(
    "/directory/units", status_code=202, responses=DIRECTORY_CHANGED, summary="Thêm đơn vị vào danh mục"
)
async def add_unit(
    unit: NewUnitIn,
    request: Request,
    runtime: RuntimeDep,
    principal: AdminDep,
    directory: DirectoryDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    return await _change(request, runtime, principal, directory, unit, None, idempotency_key)


@router.post(
    "/directory/units/{code}/rename", status_code=202, responses=DIRECTORY_CHANGED, summary="Đổi tên đơn vị"
)
async def rename_unit(
    code: str,
    rename: RenameIn,
    request: Request,
    runtime: RuntimeDep,
    principal: AdminDep,
    directory: DirectoryDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    return await _change(request, runtime, principal, directory, rename, code, idempotency_key)


@router.post(
    "/directory/units/{code}/close", status_code=202, responses=DIRECTORY_CHANGED, summary="Giải thể đơn vị"
)
async def close_unit(
    code: str,
    close: CloseIn,
    request: Request,
    runtime: RuntimeDep,
    principal: AdminDep,
    directory: DirectoryDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    return await _change(request, runtime, principal, directory, close, code, idempotency_key)


@router.post("/directory/merge", status_code=202, responses=DIRECTORY_CHANGED, summary="Hợp nhất đơn vị")
async def merge_units(
    merge: MergeIn,
    request: Request,
    runtime: RuntimeDep,
    principal: AdminDep,
    directory: DirectoryDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    return await _change(request, runtime, principal, directory, merge, None, idempotency_key)


async def _load(
    request: Request,
    runtime: RuntimeDep,
    principal: AdminDep,
    built: Directory | Exception,
    key: str | None,
    fingerprint: bytes | None = None,
) -> JSONResponse:
    async def work(uow: UnitOfWork) -> Answer:
        return await directory_admin.load_snapshot(uow, principal, built)

    return await write(request, runtime, principal, "directory.load", key, work, fingerprint)


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

    async def work(uow: UnitOfWork) -> Answer:
        new = await keys.create_key(uow, directory, body.unit, body.role, body.label)
        answer: dict[str, object] = {
            "key_id": new.key_id,
            "token": new.token,
            "unit": new.unit,
            "role": new.role,
            "label": new.label,
        }
        return 201, answer, new.key_id

    return await write(request, runtime, principal, "key.create", None, work)


@router.delete("/keys/{key_id}", status_code=200, summary="Thu hồi khóa truy cập")
async def revoke_key(
    key_id: str,
    request: Request,
    runtime: RuntimeDep,
    principal: AdminDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    async def work(uow: UnitOfWork) -> Answer:
        row = await keys.revoke_key(uow, key_id)
        return 200, row, key_id

    return await write(request, runtime, principal, "key.revoke", idempotency_key, work)


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
    async with runtime.engine.connect() as conn:
        rows = (await conn.execute(query)).all()
    return [{"key_id": row.key_id, "revoked_at": row.revoked_at} for row in rows]


@router.get("/directory/versions", summary="Lịch sử các phiên bản danh mục đơn vị")
async def directory_versions(runtime: RuntimeDep, _admin: AdminDep) -> list[dict[str, object]]:
    async with runtime.uow() as uow:
        return await directory_store.history(uow)
