"""Plans resolve their units against the directory in the issuer's context (pure, no store)."""

from __future__ import annotations

import pytest

from dondoc.directory import load_default_directory
from services.intake.http.schemas import PLAN_EXAMPLE, PlanIn
from services.intake.use_cases.plans import plan_event
from services.intake.use_cases.resolution import UnresolvedUnits, open_questions, resolve_plan


def _plan(**changes: object) -> PlanIn:
    return PlanIn.model_validate(PLAN_EXAMPLE | changes)



def _first_example_task() -> dict[str, object]:
    tasks = PLAN_EXAMPLE["tasks"]
    assert isinstance(tasks, list)
    return dict(tasks[0])

def test_a_ward_plan_names_its_own_office_and_its_offices_collectively() -> None:
    plan = resolve_plan(load_default_directory(), _plan())
    first = plan.tasks[0]
    assert first.lead[0].unit == "11407.VP"
    assert first.coordinating[0].group == "G.OFFICES:11407"
    concerned = first.coordinating[1]
    assert (concerned.unit, concerned.group) == (None, None)


def test_a_timeframe_given_as_text_gets_its_dates() -> None:
    timeframe = resolve_plan(load_default_directory(), _plan()).tasks[0].timeframe
    assert (timeframe.kind, str(timeframe.start), str(timeframe.due)) == (
        "deadline",
        "2025-04-01",
        "2027-02-28",
    )


def test_an_unknown_unit_is_refused_with_its_field_and_candidates() -> None:
    task = _first_example_task()
    task["lead"] = [{"text": "Sở Tư phap"}]
    with pytest.raises(UnresolvedUnits) as caught:
        resolve_plan(load_default_directory(), _plan(tasks=[task]))
    problem = caught.value.problems[0]
    assert problem.field == "tasks.0.lead.0.text"
    assert "HP.SO-TU-PHAP" in problem.candidates
    assert "Không tìm thấy đơn vị" in problem.message


def test_an_unknown_issuer_is_refused() -> None:
    with pytest.raises(UnresolvedUnits) as caught:
        resolve_plan(load_default_directory(), _plan(issuer="99999"))
    assert caught.value.problems[0].field == "issuer"


def test_two_units_run_together_become_two_units() -> None:
    task = _first_example_task()
    task["lead"] = [{"text": "Sở Tư pháp Sở Nội vụ"}]
    task["coordinating"] = []
    plan = resolve_plan(load_default_directory(), _plan(issuer="HP", tasks=[task]))
    assert [u.unit for u in plan.tasks[0].lead] == ["HP.SO-TU-PHAP", "HP.SO-NOI-VU"]


def test_a_task_without_lead_cannot_be_confirmed_until_marked() -> None:
    task = _first_example_task()
    directory = load_default_directory()
    assert open_questions(directory, _plan(tasks=[task | {"lead": []}]))
    marked = task | {"lead": [{"text": "Đơn vị sẽ được chỉ định", "to_designate": True}]}
    assert open_questions(directory, resolve_plan(directory, _plan(tasks=[marked]))) == []


def test_a_task_without_timeframe_is_emitted_as_unspecified() -> None:
    task = {"ref": "1", "title": "Báo cáo kết quả", "lead": [{"text": "Văn phòng HĐND và UBND"}]}
    plan = resolve_plan(load_default_directory(), _plan(tasks=[task]))
    event = plan_event(plan, "p-1", 1, "UBND phường An Biên")
    assert event.tasks[0].timeframe.kind == "unspecified"
    assert event.tasks[0].lead[0].unit == "11407.VP"


@pytest.mark.parametrize(
    "title",
    [
        "Tổ chức triển khai thực hiện Kế hoạch này",
        "Triển khai thực hiện nghiêm túc Kế hoạch; định kỳ báo cáo kết quả về Sở Tư pháp",
    ],
)
def test_a_general_clause_is_never_confirmed_as_a_task_silently(title: str) -> None:
    task = _first_example_task()
    task |= {"ref": "III.1", "title": title}
    questions = open_questions(load_default_directory(), _plan(tasks=[task]))
    said = "Nhiệm vụ III.1 chỉ nhắc lại việc tổ chức thực hiện"
    assert any(q.startswith(said) for q in questions), questions


def test_a_specific_task_raises_no_such_question() -> None:
    questions = open_questions(load_default_directory(), _plan())
    assert not any("chỉ nhắc lại" in q for q in questions)
