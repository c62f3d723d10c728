"""The inbox as a digest too: a plan's notices of one kind for one unit fold into one unread inbox item.

Each event still gets its own inbox row (the unique key that makes a redelivery add nothing), but
only the first of a group is shown ("head"); the others are stored "grouped" under it (`batch_id`)
and the head is re-worded to list them all, with a link to the unit's work page in the workspace.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import String, type_coerce
from sqlmodel import col, select

from dondoc.platform.uow import UnitOfWork
from services.notify.context import NotifyContext
from services.notify.domain.codec import ReadBack, notice_from_json
from services.notify.domain.messages import build_digest
from services.notify.domain.notices import Kind, Notice, TaskAssignedNotice
from services.notify.models import Notification

GROUPED = "grouped"  # an inbox row folded into its group's head; never listed on its own
_GROUPS = "notify.inbox_digest.groups"
# A row's moment as the store keeps it (SQLite's text, not parsed into a datetime): it only tells a row
# written anew under the same id from the one `ReadBack` kept; parsing thousands cost what decoding did.
_WRITTEN = type_coerce(col(Notification.created_at), String)


@dataclass
class _Group:
    """One unit's digest of one plan and kind, as this transaction sees it."""

    head: Notification | None
    members: list[Notice] | None = None  # grouped under the head before this transaction (loaded once)
    joining: list[Notice] = field(default_factory=list)  # grouped under it by this transaction


def _groups(uow: UnitOfWork) -> dict[tuple[str, str, str], _Group]:
    # A city plan's batch brings a unit twenty notices of one plan: the group is looked up and reworded once
    # per batch rather than once per notice (which read and rendered every member again each time).
    return uow.memo(_GROUPS, dict)


async def head_for(
    uow: UnitOfWork, unit: str, plan_id: str | None, notice: Notice, now: datetime, window: timedelta
) -> Notification | None:
    """The unread inbox item this notice joins: same unit, plan and kind, opened within the digest window."""
    if not plan_id:
        return None
    groups = _groups(uow)
    key = (unit, plan_id, notice.kind)
    if key not in groups:
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
        # A head this transaction opened is in `groups` (opened below): nothing needs flushing to find one.
        with uow.session.no_autoflush:
            groups[key] = _Group((await uow.session.exec(query)).first())
    return groups[key].head


async def prefetch_heads(
    uow: UnitOfWork,
    wanted: Iterable[tuple[str, str, Kind]],
    now: datetime,
    window: timedelta,
    read_back: ReadBack,
) -> None:
    """Find the heads of many groups (unit, plan, kind) and their stored members in a few queries.

    A city plan's batch brings notices for a hundred units or more: `head_for` and `reword_head` would
    otherwise ask once per group. Groups this transaction already knows are left as they are.
    """
    groups = _groups(uow)
    keys = {key for key in wanted if key not in groups}
    if not keys:
        return
    plans, kinds = {plan for _u, plan, _k in keys}, {kind for _u, _p, kind in keys}
    units = sorted({unit for unit, _p, _k in keys})
    found: dict[tuple[str, str, str], Notification] = {}
    with uow.session.no_autoflush:  # a head this transaction opened is in `groups` already
        for start in range(0, len(units), 500):  # bounded IN lists
            query = (
                select(Notification)
                .where(
                    col(Notification.unit).in_(units[start : start + 500]),
                    col(Notification.channel) == "inbox",
                    col(Notification.plan_id).in_(plans),
                    col(Notification.kind).in_(kinds),
                    col(Notification.state) == "sent",
                    col(Notification.read_at).is_(None),
                    col(Notification.created_at) >= now - window,
                )
                .order_by(col(Notification.created_at))
            )
            for row in (await uow.session.exec(query)).all():
                found.setdefault((row.unit, row.plan_id or "", row.kind), row)  # the earliest, as head_for
        members = await _members(uow, [head.id for head in found.values()], read_back)
    for key in keys:
        head = found.get(key)
        groups[key] = _Group(head, members[head.id] if head is not None else None)


async def _members(uow: UnitOfWork, head_ids: list[str], read_back: ReadBack) -> dict[str, list[Notice]]:
    """The notices grouped under each head so far, in the order they came.

    Which rows they are is asked every time; what a row says is decoded only the first time this process
    reads it (`ReadBack`): a plan's later batches find most of a digest's members read already.
    """
    listed: dict[str, list[tuple[str, object]]] = {head_id: [] for head_id in head_ids}
    for start in range(0, len(head_ids), 500):
        under = col(Notification.batch_id).in_(head_ids[start : start + 500])
        rows = select(col(Notification.batch_id), col(Notification.id), _WRITTEN).where(under)
        ordered = rows.order_by(col(Notification.created_at), col(Notification.id))
        for batch_id, row_id, written in (await uow.session.execute(ordered)).all():
            listed[batch_id].append((row_id, written))
    known: dict[str, Notice] = {}
    missing: list[str] = []
    for row_id, written in (row for rows in listed.values() for row in rows):
        notice = read_back.get(row_id, written)
        if notice is None:
            missing.append(row_id)
        else:
            known[row_id] = notice
    query = select(col(Notification.id), _WRITTEN, col(Notification.data))
    for start in range(0, len(missing), 500):
        chosen = query.where(col(Notification.id).in_(missing[start : start + 500]))
        for row_id, written, data in (await uow.session.execute(chosen)).all():
            known[row_id] = read_back.keep(row_id, written, data)
    return {head_id: [known[row_id] for row_id, _written in rows] for head_id, rows in listed.items()}


def opened(uow: UnitOfWork, head: Notification) -> None:
    """A new unread inbox item heads its group: later notices of this transaction join it."""
    if head.plan_id:
        _groups(uow)[(head.unit, head.plan_id, head.kind)] = _Group(head, members=[])


async def reword_head(uow: UnitOfWork, ctx: NotifyContext, head: Notification, joining: Notice) -> None:
    """Word the head as the digest of itself, the rows grouped under it and the ones joining now.

    The wording is worked out once, when the transaction commits, with every notice that joined in it.
    """
    if not head.plan_id:
        raise ValueError("only a plan's notices are grouped")
    group = _groups(uow).setdefault((head.unit, head.plan_id, head.kind), _Group(head))
    if group.members is None:  # its members stored so far: none of this transaction's has been added yet
        group.members = (await _members(uow, [head.id], ctx.read_back))[head.id]
    group.joining.append(joining)

    async def reword() -> None:
        notices = [notice_from_json(head.data), *(group.members or []), *group.joining]
        message = build_digest(
            notices,
            link=ctx.digest_link(head.unit, notices[0].kind),
            templates=ctx.settings.notify_templates_dir,
            html=False,
        )
        head.title, head.body, head.link = message.subject, message.text, message.link
        uow.session.add(head)

    uow.before_commit((_GROUPS, head.id), reword)


async def assigned_notice(
    uow: UnitOfWork, unit: str, plan_id: str | None, link: str
) -> TaskAssignedNotice | None:
    """The "new task" notice the unit was given for the assignment at `link`, if notify recorded one."""
    if not plan_id:
        return None
    await uow.write_inserted()  # the notice may be in this very batch, grouped under its head
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
