"""The inbox as a digest too: a plan's notices of one kind for one unit fold into one unread inbox item.

Each event still gets its own inbox row (the unique key that makes a redelivery add nothing), but
only the first of a group is shown ("head"); the others are stored "grouped" under it (`batch_id`)
and the head is re-worded to list them all, with a link to the unit's work page in the workspace.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import col, select

from dondoc.platform.uow import UnitOfWork
from services.notify.context import NotifyContext
from services.notify.domain.codec import notice_from_json
from services.notify.domain.messages import build_digest
from services.notify.domain.notices import Notice, TaskAssignedNotice
from services.notify.models import Notification

GROUPED = "grouped"  # an inbox row folded into its group's head; never listed on its own


async def head_for(
    uow: UnitOfWork, unit: str, plan_id: str | None, notice: Notice, now: datetime, window: timedelta
) -> Notification | None:
    """The unread inbox item this notice joins: same unit, plan and kind, opened within the digest window."""
    if not plan_id:
        return None
    query = (
        select(Notification)
        .where(
            col(Notification.unit) == unit,
            col(Notification.channel) == "inbox",
            col(Notification.plan_id) == plan_id,
            col(Notification.kind) == notice.kind,
            col(Notification.state) == "sent",
            col(Notification.read_at).is_(None),
            col(Notification.created_at) >= now - window,
        )
        .order_by(col(Notification.created_at))
        .limit(1)
    )
    return (await uow.session.exec(query)).first()


async def reword_head(uow: UnitOfWork, ctx: NotifyContext, head: Notification, joining: Notice) -> None:
    """Word the head as the digest of itself, the rows grouped under it and the one joining now."""
    query = (
        select(Notification)
        .where(col(Notification.batch_id) == head.id)
        .order_by(col(Notification.created_at), col(Notification.id))
    )
    members = [notice_from_json(row.data) for row in (await uow.session.exec(query)).all()]
    notices = [notice_from_json(head.data), *members, joining]
    message = build_digest(
        notices, link=ctx.unit_link(head.unit), templates=ctx.settings.notify_templates_dir
    )
    head.title, head.body, head.link = message.subject, message.text, message.link
    uow.session.add(head)


async def assigned_notice(
    uow: UnitOfWork, unit: str, plan_id: str | None, link: str
) -> TaskAssignedNotice | None:
    """The "new task" notice the unit was given for the assignment at `link`, if notify recorded one."""
    if not plan_id:
        return None
    query = select(Notification).where(
        col(Notification.unit) == unit,
        col(Notification.channel) == "inbox",
        col(Notification.plan_id) == plan_id,
        col(Notification.kind) == "task_assigned",
    )
    for row in (await uow.session.exec(query)).all():
        notice = notice_from_json(row.data)
        if isinstance(notice, TaskAssignedNotice) and notice.link == link:
            return notice
    return None
