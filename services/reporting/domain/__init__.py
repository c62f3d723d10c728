"""Pure reporting rules: status judgement, reporting rates and the compiled submission."""

from dondoc.kernel.status import TaskStatus
from services.reporting.domain.compile import compile_submission
from services.reporting.domain.inputs import (
    Assignment,
    CascadeLink,
    ExpectedReport,
    Plan,
    ReceivedReport,
    ReportingInputs,
    Result,
    Task,
    Unit,
)
from services.reporting.domain.rates import Rate, StatusCounts
from services.reporting.domain.status import judge_status
from services.reporting.domain.submission import Submission

__all__ = [
    "Assignment",
    "CascadeLink",
    "ExpectedReport",
    "Plan",
    "Rate",
    "ReceivedReport",
    "ReportingInputs",
    "Result",
    "StatusCounts",
    "Submission",
    "Task",
    "TaskStatus",
    "Unit",
    "compile_submission",
    "judge_status",
]
