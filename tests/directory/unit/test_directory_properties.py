"""Any spelling variant of any directory name resolves to that unit (property-based)."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from dondoc.directory import Unit, load_default_directory

# New-style → old-style tone placement ("hòa" → "hoà", "thủy" → "thuỷ"), written out independently.
_NEW_TO_OLD = {
    f"{tone}{vowel}": f"{base}{marked}"
    for base, vowel, pairs in (
        ("o", "a", "òoà óoá ỏoả õoã ọoạ"),
        ("o", "e", "òoè óoé ỏoẻ õoẽ ọoẹ"),
        ("u", "y", "ùuỳ úuý ủuỷ ũuỹ ụuỵ"),
    )
    for tone, marked in ((p[0], p[2]) for p in pairs.split())
}
_EXPANSIONS = [("UBND", "Ủy ban nhân dân"), ("HĐND", "Hội đồng nhân dân")]


def _active_units() -> list[Unit]:
    return load_default_directory().list_units()


def _old_tones(text: str) -> str:
    for new, old in _NEW_TO_OLD.items():
        text = text.replace(new, old).replace(new.capitalize(), old.capitalize())
    return text


@st.composite
def spelling(draw: st.DrawFn, unit: Unit) -> str:
    text = draw(st.sampled_from([unit.name, *unit.aliases]))
    for short, full in _EXPANSIONS:
        if draw(st.booleans()):
            text = text.replace(short, full) if short in text else text.replace(full, short)
    if draw(st.booleans()):
        text = _old_tones(text)
    if draw(st.booleans()):
        text = re.sub(r"\s*[-–]\s*", draw(st.sampled_from(["-", " – ", "–", " - "])), text)
    case = draw(st.sampled_from(["keep", "upper", "lower", "random"]))
    if case == "upper":
        text = text.upper()
    elif case == "lower":
        text = text.lower()
    elif case == "random":
        flips = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
        text = "".join(c.upper() if f else c.lower() for c, f in zip(text, flips, strict=True))
    spaces = draw(st.sampled_from([" ", "  ", " \n "]))
    text = spaces.join(text.split(" "))
    text = f"{draw(st.sampled_from(['', ' ']))}{text}"
    return unicodedata.normalize("NFD", text) if draw(st.booleans()) else text


@st.composite
def unit_and_spelling(draw: st.DrawFn) -> tuple[Unit, str]:
    unit = draw(st.sampled_from(_active_units()))
    return unit, draw(spelling(unit))


def test_every_active_unit_resolves_by_its_own_name() -> None:
    directory = load_default_directory()
    for unit in _active_units():
        assert directory.resolve(unit.name).unit == unit.code, unit.name


@settings(max_examples=400, deadline=None)
@given(unit_and_spelling())
def test_any_spelling_variant_of_a_name_resolves_to_that_unit(case: tuple[Unit, str]) -> None:
    unit, written = case
    found = load_default_directory().resolve(written)
    assert found.unit == unit.code, written
    assert found.text == " ".join(unicodedata.normalize("NFC", written).split())


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(_active_units()),
    st.sampled_from(_active_units()),
    st.sampled_from([", ", "; ", "\n", " ", " và "]),
)
def test_two_names_in_one_cell_split_back_into_both(first: Unit, second: Unit, separator: str) -> None:
    pieces = load_default_directory().split_units(f"{first.name}{separator}{second.name}")
    assert [p.unit for p in pieces] == [first.code, second.code]
