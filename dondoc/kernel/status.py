"""Task status as the Government Office's task tracking names it: one code and one Vietnamese label each.

tasks judges it and announces it (`task.status_changed`), reporting counts it, intake's replica shows it;
the codes are the wire's and the store's.
"""

from __future__ import annotations

from enum import StrEnum


class TaskStatus(StrEnum):
    """An assignment's status: the value is the wire code, `label` the Vietnamese officials read."""

    NOT_YET_DUE = "chua_den_han"
    IN_PROGRESS = "dang_thuc_hien_trong_han"
    DONE_ON_TIME = "hoan_thanh_dung_han"
    DONE_LATE = "hoan_thanh_qua_han"
    OVERDUE = "qua_han_chua_hoan_thanh"

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
        return self in (TaskStatus.DONE_ON_TIME, TaskStatus.DONE_LATE)

    @classmethod
    def from_code(cls, code: str) -> TaskStatus:
        """The status with this code; ValueError for an unknown one."""
        return cls(code)


_LABELS = {
    TaskStatus.NOT_YET_DUE: "Chưa đến hạn",
    TaskStatus.IN_PROGRESS: "Đang thực hiện trong hạn",
    TaskStatus.DONE_ON_TIME: "Hoàn thành đúng hạn",
    TaskStatus.DONE_LATE: "Hoàn thành quá hạn",
    TaskStatus.OVERDUE: "Quá hạn chưa hoàn thành",
}

# The four a city report counts (reporting judges against due and completion dates only, so never
# "not yet due"), in the order its columns and shares are written.
REPORTED_STATUSES: tuple[TaskStatus, ...] = (
    TaskStatus.DONE_ON_TIME,
    TaskStatus.DONE_LATE,
    TaskStatus.IN_PROGRESS,
    TaskStatus.OVERDUE,
)


def status_label(code: str) -> str:
    """The Vietnamese label of a status code; an unknown code is shown as it is."""
    try:
        return TaskStatus(code).label
    except ValueError:
        return code
