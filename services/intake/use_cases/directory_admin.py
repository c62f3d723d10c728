"""Directory changes an administrator makes: each becomes a new published version (pure + store)."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass

from dondoc.directory import Directory, DirectoryDataError, Unit, UnknownCode
from dondoc.directory.loading import FILES, build_directory
from dondoc.platform.auth import Principal
from dondoc.platform.refusals import Invalid
from dondoc.platform.uow import UnitOfWork
from services.intake import directory_store
from services.intake.http.admin_schemas import CloseIn, MergeIn, NewUnitIn, RenameIn

Change = NewUnitIn | RenameIn | MergeIn | CloseIn


def _unit(new: NewUnitIn) -> Unit:
    return Unit(code=new.code, name=new.name, kind=new.kind, parent=new.parent, aliases=tuple(new.aliases))


def apply_change(directory: Directory, change: Change, code: str | None) -> tuple[Directory, str, str]:
    """Apply one change; returns the new directory, the action and a Vietnamese summary."""
    if isinstance(change, NewUnitIn):
        if change.parent is not None and directory.get(change.parent) is None:
            raise DirectoryDataError(f"Không có đơn vị cấp trên mã «{change.parent}».")
        return directory.add(_unit(change), change.effective), "add", f"Thêm {change.name} ({change.code})"
    if isinstance(change, RenameIn) and code:
        return (
            directory.rename(code, change.name, change.effective),
            "rename",
            f"Đổi tên {code}: {change.name}",
        )
    if isinstance(change, MergeIn):
        into: Unit | str | None = _unit(change.new_unit) if change.new_unit else change.into
        if into is None:
            raise DirectoryDataError("Phải có «into» (mã đơn vị hiện có) hoặc «new_unit» (đơn vị mới).")
        merged = directory.merge(change.codes, into, change.effective)
        target = into.code if isinstance(into, Unit) else into
        return merged, "merge", f"Hợp nhất {', '.join(change.codes)} vào {target}"
    if isinstance(change, CloseIn) and code:
        return directory.close(code, change.effective), "close", f"Giải thể {code}"
    raise DirectoryDataError("Thay đổi danh mục không hợp lệ.")


def directory_from_files(files: dict[str, bytes]) -> Directory:
    """Build a directory from uploaded CSV files named as in the packaged data (city.csv, ...)."""
    unknown = sorted(set(files) - set(FILES.values()))
    if unknown:
        expected = ", ".join(sorted(FILES.values()))
        raise DirectoryDataError(f"Tệp không thuộc danh mục: {', '.join(unknown)}. Cần các tệp: {expected}.")

    def read(name: str) -> str | None:
        raw = files.get(name)
        if raw is None:
            return None
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DirectoryDataError(f"Tệp {name} không phải UTF-8.") from None

    try:
        return checked(build_directory(read))
    except (csv.Error, KeyError, TypeError) as exc:
        raise DirectoryDataError(f"Không đọc được tệp CSV: {exc}.") from exc


def checked(directory: Directory) -> Directory:
    """Exercise a directory built from untrusted input once, so a malformed one is refused, not published."""
    try:
        json.dumps(directory.to_dict(), ensure_ascii=False)
        directory.index  # noqa: B018  (builds the name index: fails on malformed units)
        directory.expand("G.COMMUNES")
        directory.resolve(directory.unit(directory.city).name)
    except DirectoryDataError:
        raise
    except Exception as exc:  # any failure of untrusted data is the sender's, not a 500
        raise DirectoryDataError(f"Danh mục không hợp lệ: {type(exc).__name__}: {exc}.") from exc
    return directory


@dataclass(frozen=True)
class Published:
    """A directory version published (it leaves as `directory.published`)."""

    version: int
    action: str
    summary: str


async def change_directory(
    uow: UnitOfWork, principal: Principal, current: Directory, change: Change, code: str | None
) -> Published:
    """Apply and publish one change (its route admits the city administrator only: `AdminDep`)."""
    try:
        changed, action, summary = apply_change(current, change, code)
    except (DirectoryDataError, UnknownCode) as exc:
        message = str(exc) if isinstance(exc, DirectoryDataError) else f"Không có đơn vị mã «{exc.args[0]}»."
        raise Invalid(message) from None
    event = await directory_store.publish(uow, changed, action=action, summary=summary, by=principal.key_id)
    return Published(event.version, action, summary)


async def load_snapshot(uow: UnitOfWork, principal: Principal, build: Directory | Exception) -> Published:
    """Publish a whole directory (another city's, or a corrected one) as the next version (`AdminDep`)."""
    if isinstance(build, Exception):
        raise Invalid(str(build))
    summary = f"Nạp danh mục {build.unit(build.city).name}: {len(build.units)} đơn vị"
    event = await directory_store.publish(uow, build, action="load", summary=summary, by=principal.key_id)
    return Published(event.version, "load", summary)
