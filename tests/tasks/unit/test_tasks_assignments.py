"""A confirmed plan becomes assignments: task × unit × role, groups expanded, nobody guessed."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from services.tasks.domain.assignments import AssignmentSpec, diff_plan_versions, plan_assignments
from shared.events import PlanReceived, PlanTask, Timeframe, UnitRef

WARD = "phuong_an_bien"
OFFICES = ["an_bien.vp", "an_bien.kt", "an_bien.vhxh"]
SO_TU_PHAP = "so_tu_phap"


class FakeDirectory:
    """Expands groups as the directory would, and remembers what it was asked."""

    def __init__(self, groups: dict[tuple[str, str | None], list[str]]) -> None:
        self.groups = groups
        self.calls: list[tuple[str, str | None]] = []

    def __call__(self, group: str, context: str | None) -> Sequence[str]:
        self.calls.append((group, context))
        return self.groups.get((group, context), [])


def directory() -> FakeDirectory:
    return FakeDirectory({("phong_chuyen_mon", WARD): OFFICES})


def unit(text: str, code: str) -> UnitRef:
    return UnitRef(text=text, unit=code)


def group(text: str, code: str) -> UnitRef:
    return UnitRef(text=text, group=code)


VP = unit("Văn phòng HĐND và UBND", "an_bien.vp")
OFFICES_REF = group("Các phòng chuyên môn", "phong_chuyen_mon")
CONCERNED = UnitRef(text="các cơ quan, đơn vị có liên quan")


def task(
    ref: str,
    lead: list[UnitRef],
    coordinating: list[UnitRef] | None = None,
    *,
    title: str | None = None,
    output: str = "Báo cáo",
    due: date = date(2026, 5, 31),
) -> PlanTask:
    return PlanTask(
        ref=ref,
        title=title or f"Nhiệm vụ {ref}",
        lead=lead,
        coordinating=coordinating or [],
        output=output,
        timeframe=Timeframe(text="Tháng 5/2026", kind="deadline", due=due),
    )


def plan(*tasks: PlanTask, plan_id: str = "plan-243", version: int = 1) -> PlanReceived:
    return PlanReceived(
        plan_id=plan_id,
        version=version,
        title="Kế hoạch thực hiện Nghị quyết số 206/2025/QH15",
        issuer=UnitRef(text="UBND phường An Biên", unit=WARD),
        tasks=list(tasks),
    )


def keys(specs: Sequence[AssignmentSpec]) -> set[tuple[str, str, str]]:
    return {spec.key for spec in specs}


def test_each_named_unit_gets_one_assignment_in_its_role() -> None:
    result = plan_assignments(plan(task("1", [VP], [unit("Phòng Kinh tế", "an_bien.kt")])), directory())
    assert keys(result.specs) == {("1", "an_bien.vp", "chu_tri"), ("1", "an_bien.kt", "phoi_hop")}
    lead = next(s for s in result.specs if s.role == "chu_tri")
    assert (lead.due, lead.output, lead.task_title) == (date(2026, 5, 31), "Báo cáo", "Nhiệm vụ 1")
    assert result.awaiting == []


def test_a_collective_name_expands_to_every_member_in_the_issuers_context() -> None:
    fake = directory()
    result = plan_assignments(plan(task("2", [OFFICES_REF])), fake)
    assert keys(result.specs) == {("2", code, "chu_tri") for code in OFFICES}
    assert fake.calls == [("phong_chuyen_mon", WARD)]
    assert {s.source_text for s in result.specs} == {"Các phòng chuyên môn"}


def test_a_unit_both_leading_and_coordinating_keeps_only_the_lead() -> None:
    # "Văn phòng chủ trì; các phòng chuyên môn phối hợp": the office is also one of the offices.
    result = plan_assignments(plan(task("3", [VP], [OFFICES_REF])), directory())
    assert keys(result.specs) == {
        ("3", "an_bien.vp", "chu_tri"),
        ("3", "an_bien.kt", "phoi_hop"),
        ("3", "an_bien.vhxh", "phoi_hop"),
    }


def test_a_unit_named_twice_in_the_same_role_is_assigned_once() -> None:
    result = plan_assignments(plan(task("4", [VP, OFFICES_REF, VP])), directory())
    assert [s.unit for s in result.specs].count("an_bien.vp") == 1
    assert next(s for s in result.specs if s.unit == "an_bien.vp").source_text == VP.text


def test_an_unresolved_lead_waits_for_designation_instead_of_a_guess() -> None:
    result = plan_assignments(plan(task("5", [CONCERNED], [VP])), directory())
    assert keys(result.specs) == {("5", "an_bien.vp", "phoi_hop")}
    [marker] = result.awaiting
    assert (marker.task_ref, marker.role, marker.reason) == ("5", "chu_tri", "unresolved")
    assert marker.text == CONCERNED.text


def test_a_task_without_any_lead_waits_for_designation() -> None:
    result = plan_assignments(plan(task("6", [])), directory())
    assert result.specs == []
    assert [(m.role, m.reason) for m in result.awaiting] == [("chu_tri", "no_lead")]


def test_unresolved_coordinating_units_and_empty_groups_are_asked_about_too() -> None:
    nobody = group("Các đơn vị sự nghiệp", "don_vi_su_nghiep")
    result = plan_assignments(plan(task("7", [VP], [CONCERNED, nobody])), directory())
    assert keys(result.specs) == {("7", "an_bien.vp", "chu_tri")}
    reasons = [(m.role, m.reason) for m in result.awaiting]
    assert reasons == [("phoi_hop", "unresolved"), ("phoi_hop", "empty_group")]


@dataclass(frozen=True)
class FlaggedRef:
    """A directory answer that resolved a code but says a person must still choose."""

    text: str
    unit: str | None
    group: str | None
    needs_designation: bool


@dataclass(frozen=True)
class LooseTask:
    """A task from another source than the event: the domain takes anything shaped like one."""

    ref: str
    title: str
    output: str | None
    lead: list[FlaggedRef]
    coordinating: list[FlaggedRef]
    timeframe: Timeframe


@dataclass(frozen=True)
class LoosePlan:
    plan_id: str
    issuer: UnitRef
    tasks: list[LooseTask]


def test_a_reference_flagged_as_needing_designation_is_never_assigned() -> None:
    flagged = FlaggedRef("Đơn vị được giao", "an_bien.kt", None, needs_designation=True)
    loose = LoosePlan(
        "plan-9",
        UnitRef(text="UBND phường An Biên", unit=WARD),
        [LooseTask("8", "Nhiệm vụ 8", None, [flagged], [], Timeframe())],
    )
    result = plan_assignments(loose, directory())
    assert result.specs == []
    assert [m.reason for m in result.awaiting] == ["needs_designation"]


def test_a_redelivered_plan_yields_the_same_assignment_ids() -> None:
    first = plan_assignments(plan(task("1", [VP], [OFFICES_REF])), directory())
    again = plan_assignments(plan(task("1", [VP], [OFFICES_REF])), directory())
    assert [s.assignment_id for s in first.specs] == [s.assignment_id for s in again.specs]
    assert [m.marker_id for m in first.awaiting] == [m.marker_id for m in again.awaiting]


def test_assignment_ids_are_uuid5_of_plan_task_unit_and_role() -> None:
    # Pins the scheme: ids already stored must survive a restart or an upgrade.
    namespace = uuid.UUID("c76d9185-9492-535b-b88e-35507147e81f")
    [spec] = plan_assignments(plan(task("II.1", [VP])), directory()).specs
    expected = uuid.uuid5(namespace, "assignment\x1fplan-243\x1fII.1\x1fan_bien.vp\x1fchu_tri")
    assert spec.assignment_id == str(expected)


def test_two_tasks_with_the_same_number_do_not_share_assignments() -> None:
    result = plan_assignments(plan(task("1", [VP]), task("1", [VP], title="Khác")), directory())
    assert len({s.assignment_id for s in result.specs}) == 2
    assert [s.task_ref for s in result.specs] == ["1", "1#2"]


units_pool = st.sampled_from(["a", "b", "c", "d", "e"])
refs_pool = st.lists(st.sampled_from(["1", "2", "II.1", "II.2", ""]), min_size=1, max_size=6)


@given(refs_pool, st.data())
def test_ids_are_unique_per_task_unit_role_and_stable_across_runs(
    refs: list[str], data: st.DataObject
) -> None:
    tasks = [
        task(
            ref,
            [unit(code, code) for code in data.draw(st.lists(units_pool, max_size=3))],
            [unit(code, code) for code in data.draw(st.lists(units_pool, max_size=3))],
        )
        for ref in refs
    ]
    first = plan_assignments(plan(*tasks), directory()).specs
    second = plan_assignments(plan(*tasks), directory()).specs
    assert [s.assignment_id for s in first] == [s.assignment_id for s in second]
    assert len({s.assignment_id for s in first}) == len(first) == len(keys(first))
    for t_ref in {s.task_ref for s in first}:
        units = [s.unit for s in first if s.task_ref == t_ref]
        assert len(units) == len(set(units))  # one role per unit per task, lead wins


def test_a_revised_plan_shows_added_changed_withdrawn_and_unchanged_assignments() -> None:
    kt = unit("Phòng Kinh tế", "an_bien.kt")
    old = plan_assignments(plan(task("1", [VP], [kt]), task("2", [VP]), task("3", [kt])), directory()).specs
    revised = plan(
        task("1", [unit("Văn phòng HĐND và UBND phường", "an_bien.vp")], [kt]),  # reworded only
        task("2", [VP], due=date(2026, 6, 30)),  # new due date
        task("3", [VP]),  # lead moved from Kinh tế to the office
        task("4", [kt]),  # new task
        version=2,
    )
    diff = diff_plan_versions(old, plan_assignments(revised, directory()).specs)
    assert keys(diff.unchanged) == {("1", "an_bien.vp", "chu_tri"), ("1", "an_bien.kt", "phoi_hop")}
    assert [(c.new.key, c.fields, c.old.due, c.new.due) for c in diff.changed] == [
        (("2", "an_bien.vp", "chu_tri"), ("due",), date(2026, 5, 31), date(2026, 6, 30))
    ]
    assert keys(diff.withdrawn) == {("3", "an_bien.kt", "chu_tri")}
    assert keys(diff.added) == {("3", "an_bien.vp", "chu_tri"), ("4", "an_bien.kt", "chu_tri")}
    assert diff.changed[0].new.assignment_id == diff.changed[0].old.assignment_id


def test_changing_a_tasks_title_or_output_is_a_change_for_every_unit_on_it() -> None:
    old = plan_assignments(plan(task("1", [VP], [OFFICES_REF])), directory()).specs
    new_plan = plan(task("1", [VP], [OFFICES_REF], title="Tổ chức hội nghị", output="Hội nghị"))
    diff = diff_plan_versions(old, plan_assignments(new_plan, directory()).specs)
    assert len(diff.changed) == len(old) == 3
    assert {c.fields for c in diff.changed} == {("task_title", "output")}
    assert diff.added == diff.withdrawn == diff.unchanged == []
