"""Task status as the Government Office's task tracking names it, judged from dates only."""

from __future__ import annotations

from datetime import date
from enum import Enum

from services.tasks.domain.periods import ReportingPeriod


class Status(Enum):
    """An assignment's status: the value is the wire code, `label` the Vietnamese officials read."""

    CHUA_DEN_HAN = "chua_den_han"
    DANG_THUC_HIEN_TRONG_HAN = "dang_thuc_hien_trong_han"
    HOAN_THANH_DUNG_HAN = "hoan_thanh_dung_han"
    HOAN_THANH_QUA_HAN = "hoan_thanh_qua_han"
    QUA_HAN_CHUA_HOAN_THANH = "qua_han_chua_hoan_thanh"

    @property
    def code(self) -> str:
        """The code used in events and the store."""
        return self.value

    @property
    def label(self) -> str:
        """The Vietnamese label shown to officials."""
        return _LABELS[self]

    @property
    def is_done(self) -> bool:
        """Whether the work is finished (on time or late)."""
        return self in (Status.HOAN_THANH_DUNG_HAN, Status.HOAN_THANH_QUA_HAN)

    @classmethod
    def from_code(cls, code: str) -> Status:
        """The status with this code; ValueError for an unknown one."""
        return cls(code)


_LABELS = {
    Status.CHUA_DEN_HAN: "Chưa đến hạn",
    Status.DANG_THUC_HIEN_TRONG_HAN: "Đang thực hiện trong hạn",
    Status.HOAN_THANH_DUNG_HAN: "Hoàn thành đúng hạn",
    Status.HOAN_THANH_QUA_HAN: "Hoàn thành quá hạn",
    Status.QUA_HAN_CHUA_HOAN_THANH: "Quá hạn chưa hoàn thành",
}


def judge(due: date | None, start: date | None, completed_on: date | None, today: date) -> Status:
    """Judge a task against its due date and the completion date the unit reports.

    The completion date is the date the work was done as the unit states it (e.g. the date of the
    document issued), never when the message arrived: a result sent late for work done on time is
    still on time. Finishing on the due date is on time. Before `start` the task is "chưa đến hạn"
    (its time has not come); a task without a due date (ongoing) is never overdue.
    """
    if completed_on is not None:
        if due is not None and completed_on > due:
            return Status.HOAN_THANH_QUA_HAN
        return Status.HOAN_THANH_DUNG_HAN
    if due is not None and today > due:
        return Status.QUA_HAN_CHUA_HOAN_THANH
    if start is not None and today < start:
        return Status.CHUA_DEN_HAN
    return Status.DANG_THUC_HIEN_TRONG_HAN


def judge_period(period: ReportingPeriod, reported_on: date | None, today: date, *, deadline: date) -> Status:
    """Judge one period of an ongoing or recurring task by its report against the send-by deadline.

    Before the period's window opens nothing is due yet; during the window and until the deadline
    the unit is working in time. `deadline` comes from `deadlines.deadline_for` for the unit's level.
    """
    if deadline < period.window_start:
        raise ValueError("a report cannot be due before its period starts")
    return judge(due=deadline, start=period.window_start, completed_on=reported_on, today=today)
