"""Read-only HTTP edge of the unit directory; the caller adds authentication around the router."""

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel

from dondoc.directory.directory import Directory
from dondoc.directory.model import ALL_KINDS, Unit


class UnitOut(BaseModel):
    """A unit as the API shows it."""

    code: str
    name: str
    kind: str
    parent: str | None
    aliases: list[str]
    status: str
    confidence: str
    valid_from: date | None
    valid_to: date | None
    successors: list[str]
    former_names: list[str]

    @classmethod
    def of(cls, unit: Unit) -> "UnitOut":
        """Translate a domain unit."""
        return cls(
            code=unit.code,
            name=unit.name,
            kind=unit.kind,
            parent=unit.parent,
            aliases=list(unit.aliases),
            status=unit.status,
            confidence=unit.confidence,
            valid_from=unit.valid_from,
            valid_to=unit.valid_to,
            successors=list(unit.successors),
            former_names=list(unit.former_names),
        )


class UnitDetailOut(UnitOut):
    """A unit with the codes of its members and its offices."""

    members: list[str]
    offices: list[UnitOut]


class ResolutionOut(BaseModel):
    """What a unit name refers to (see `dondoc.directory.model.Resolution`)."""

    text: str
    unit: str | None
    group: str | None
    candidates: list[str]
    needs_designation: bool
    needs_context: bool
    legacy: bool
    uncertain: bool
    external: bool


class GroupOut(BaseModel):
    """A collective name and the unit codes it stands for."""

    code: str
    label: str
    members: list[str]


def _not_found(code: str) -> HTTPException:
    return HTTPException(status_code=404, detail=f"Không tìm thấy đơn vị có mã «{code}».")


def build_directory_router(
    get_directory: Callable[..., Directory] | Callable[..., Awaitable[Directory]],
) -> APIRouter:
    """Return a read-only router over the directory that `get_directory` provides (a FastAPI dependency)."""
    router = APIRouter(prefix="/directory", tags=["directory"])
    # FastAPI reads these annotations at runtime, so this module avoids `from __future__ import annotations`.
    DirectoryDep = Annotated[Directory, Depends(get_directory)]

    @router.get("/units", response_model=list[UnitOut])
    def list_units(directory: DirectoryDep, kind: str | None = None) -> list[UnitOut]:
        if kind is not None and kind not in ALL_KINDS:
            raise HTTPException(status_code=422, detail=f"Loại đơn vị «{kind}» không hợp lệ.")
        return [UnitOut.of(u) for u in directory.list_units(kind)]

    @router.get("/units/{code}", response_model=UnitDetailOut)
    def get_unit(code: str, directory: DirectoryDep) -> UnitDetailOut:
        unit = directory.get(code)
        if unit is None:
            raise _not_found(code)
        offices = [UnitOut.of(o) for o in directory.offices(code)]
        base = UnitOut.of(unit).model_dump()
        return UnitDetailOut(**base, members=directory.members(code), offices=offices)

    @router.get("/search", response_model=list[UnitOut])
    def search(directory: DirectoryDep, q: Annotated[str, Query(min_length=1)]) -> list[UnitOut]:
        return [UnitOut.of(u) for u in directory.search(q)]

    @router.get("/resolve", response_model=ResolutionOut)
    def resolve(directory: DirectoryDep, text: str, context: str | None = None) -> ResolutionOut:
        if context is not None and directory.get(context) is None:
            raise _not_found(context)
        found = directory.resolve(text, context)
        return ResolutionOut.model_validate(found.to_dict())

    @router.get("/groups", response_model=list[GroupOut])
    def list_groups(directory: DirectoryDep) -> list[GroupOut]:
        return [
            GroupOut(code=g.code, label=g.label, members=directory.expand(g.code)) for g in directory.groups()
        ]

    return router
