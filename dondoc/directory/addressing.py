"""Who a plan may address: the rule intake enforces at its door and tasks again when it assigns (ADR 0031).

A plan's issuer addresses
1. itself and every unit below it in the directory (its `parent` chain: a ward's offices, and — since
   every unit of the city descends from it — for the city's People's Committee, every unit);
2. whatever a relation configured beside the directory states: `ISSUER>ADDRESSEE` pairs, each side a unit
   code or a group code (e.g. `HP.SO-TU-PHAP>G.COMMUNES`), for the bodies the city empowers to direct others.
Nothing else: a ward never gives tasks to another ward.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dondoc.directory.directory import Directory, UnknownCode


@dataclass(frozen=True)
class Relation:
    """A configured relation: units of `issuer` (a code or group) may address units of `addressee`."""

    issuer: str
    addressee: str

    @classmethod
    def parse(cls, text: str) -> Relation:
        issuer, sep, addressee = text.partition(">")
        if not sep or not issuer.strip() or not addressee.strip():
            raise ValueError(f"a plan-addressing relation is ISSUER>ADDRESSEE, got {text!r}")
        return cls(issuer.strip(), addressee.strip())


def relations(texts: Iterable[str]) -> tuple[Relation, ...]:
    """The configured relations (settings `plan_addressing`), parsed."""
    return tuple(Relation.parse(t) for t in texts if t.strip())


def _members(directory: Directory, code: str, context: str | None) -> set[str]:
    if directory.get(code) is not None:
        return {code}
    try:
        return set(directory.expand(code, context))
    except UnknownCode:
        return set()


def descends_from(directory: Directory, unit: str, ancestor: str) -> bool:
    """Whether `unit` is `ancestor` or lies below it in the directory (following `parent`)."""
    seen: set[str] = set()
    current: str | None = unit
    while current is not None and current not in seen:
        if current == ancestor:
            return True
        seen.add(current)
        found = directory.get(current)
        current = found.parent if found is not None else None
    return False


def may_address(directory: Directory, issuer: str, unit: str, extra: Sequence[Relation] = ()) -> bool:
    """Whether a plan issued by `issuer` may give `unit` a task."""
    if descends_from(directory, unit, issuer):
        return True
    return any(
        issuer in _members(directory, r.issuer, issuer) and unit in _members(directory, r.addressee, issuer)
        for r in extra
    )


def not_addressable(
    directory: Directory, issuer: str, units: Iterable[str], extra: Sequence[Relation] = ()
) -> list[str]:
    """The units among `units` a plan of `issuer` may not address, in the order given, once each."""
    return [u for u in dict.fromkeys(units) if not may_address(directory, issuer, u, extra)]
