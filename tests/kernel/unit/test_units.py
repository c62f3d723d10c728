"""A unit or its offices: one rule in Python and the same rule in SQL, on a real SQLite store."""

from __future__ import annotations

import sqlalchemy as sa

from dondoc.kernel.units import VAN_PHONG, office_of, ward_of, within
from dondoc.platform.units import unit_or_offices

CODES = ["11407", "11407.VP", "11407.TP", "114070", "11408.VP", "1140", "11_07.VP", "11407x.VP"]


def test_an_office_belongs_to_its_ward() -> None:
    assert office_of("11407", VAN_PHONG) == "11407.VP"
    assert ward_of("11407.VP") == ward_of("11407") == "11407"
    assert within("11407.VP", "11407") and within("11407", "11407")
    assert not within("114070", "11407") and not within("11407", "11407.VP")


def test_sql_and_python_agree_on_who_is_a_unit_or_its_offices() -> None:
    engine = sa.create_engine("sqlite://")
    table = sa.Table("units", sa.MetaData(), sa.Column("code", sa.String, primary_key=True))
    table.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(sa.insert(table), [{"code": code} for code in CODES])
        for holder in ("11407", "11_07", "1140", "11407.VP"):
            query = sa.select(table.c.code).where(unit_or_offices(table.c.code, holder))
            found = set(conn.execute(query).scalars())
            assert found == {code for code in CODES if within(code, holder)}, holder
