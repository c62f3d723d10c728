"""The draft review's pure rules: stale flags go, checked flags pass, splits/merges/drops, the calendar."""

from __future__ import annotations

from dondoc.directory import load_default_directory
from services.intake.domain import plan_flags
from services.intake.http.schemas import PlanIn
from services.intake.web import plan_form

PLAN = PlanIn.model_validate(
    {
        "issuer": "HP",
        "title": "Kế hoạch thử",
        "draft": True,
        "tasks": [
            {"ref": "1", "title": "Tuyên truyền", "lead": [{"text": "Sở Tư pháp", "unit": "HP.SO-TU-PHAP"}]},
            {"ref": "2", "title": "Rà soát và tập huấn", "lead": [{"text": "Ban Pháp chế"}]},
            {"ref": "3", "title": "Giao các cơ quan tổ chức thực hiện", "lead": [{"text": "Sở Tư pháp"}]},
        ],
    }
)
DRAFT: dict[str, object] = {
    "tasks": [{"ref": "1", "review": ["timeframe"]}, {"ref": "2", "review": ["lead", "output"]}]
}


def test_a_changed_field_loses_its_flag_and_an_untouched_one_keeps_it() -> None:
    before = PLAN.model_dump(mode="json")
    after = plan_form.apply(load_default_directory(), PLAN, {"t1_lead": "Sở Tư pháp"}).model_dump(mode="json")
    kept = plan_flags.without_stale(DRAFT, before, after)
    assert plan_flags.open_flags(kept, after) == [
        {"ref": "1", "fields": ["timeframe"]},
        {"ref": "2", "fields": ["output"]},
    ]
    assert plan_flags.unchecked(plan_flags.open_flags(kept, after), ["1", "2"]) == []
    assert [f["ref"] for f in plan_flags.unchecked(plan_flags.open_flags(kept, after), ["1"])] == ["2"]


def test_split_merge_and_drop_are_applied_in_order_and_a_dropped_tasks_flags_go() -> None:
    form = {"t1_action": "split", "t1_split": "Rà soát\n- Tập huấn\n", "t2_action": "drop"}
    after = plan_form.apply(load_default_directory(), PLAN, form)
    assert [(t.ref, t.title) for t in after.tasks] == [
        ("1", "Tuyên truyền"),
        ("2.1", "Rà soát"),
        ("2.2", "Tập huấn"),
    ]
    assert plan_flags.open_flags(DRAFT, after.model_dump(mode="json")) == [
        {"ref": "1", "fields": ["timeframe"]}
    ]
    merged = plan_form.apply(load_default_directory(), PLAN, {"t1_action": "merge"})
    assert [t.title for t in merged.tasks] == ["Tuyên truyền; Rà soát và tập huấn", PLAN.tasks[2].title]
    assert plan_form.split_problems({"t0_action": "merge", "t1_action": "split", "t1_split": "x"}, 3) == {
        "t0_action": "Nhiệm vụ đầu tiên không có nhiệm vụ nào ở trên để gộp vào.",
        "t1_split": "Hãy ghi mỗi nhiệm vụ tách ra trên một dòng (ít nhất hai dòng).",
    }


def test_the_calendar_chosen_makes_one_obligation_of_the_units_given_tasks_and_follows_them() -> None:
    ticked = {"report_semiannual": "on", "report_annual": "on"}
    first = plan_form.apply(load_default_directory(), PLAN, ticked)
    [duty] = first.reporting
    assert duty.recurrence == ["semiannual", "annual"] and duty.recipient and duty.recipient.unit == "HP"
    assert "Ban Pháp chế" in [u.text for u in duty.reporter]
    again = plan_form.apply(load_default_directory(), first, ticked | {"t1_lead": "Sở Tư pháp"})
    assert "Ban Pháp chế" not in [u.text for u in again.reporting[0].reporter]
    assert plan_form.apply(load_default_directory(), PLAN, {}).reporting == []
