"""What notify reads and answers over HTTP (kept apart from its tables)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from dondoc.kernel.clock import as_utc
from services.notify.channels.email import is_valid_address
from services.notify.domain.notices import Kind

# SQLite hands back naive datetimes; everything notify stores is UTC, so say so on the wire.
Moment = Annotated[datetime, AfterValidator(as_utc)]
_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class SubscriptionIn(BaseModel):
    """A unit's choices: webhook (URL + secret), email addresses, kinds (empty = all), quiet hours."""

    model_config = ConfigDict(extra="forbid")

    webhook_url: str | None = Field(default=None, max_length=2000)
    webhook_secret: str | None = Field(default=None, min_length=16, max_length=200)
    emails: list[str] = Field(default_factory=list, max_length=20)
    kinds: list[Kind] = Field(default_factory=list)
    quiet_start: str | None = Field(default=None, description="Giờ bắt đầu im lặng, HH:MM (giờ Việt Nam)")
    quiet_end: str | None = Field(default=None, description="Giờ kết thúc im lặng, HH:MM (giờ Việt Nam)")
    quiet_weekends: bool = False

    @field_validator("webhook_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("Địa chỉ webhook phải bắt đầu bằng https:// (hoặc http:// khi thử nghiệm).")
        return value

    @field_validator("emails")
    @classmethod
    def _addresses(cls, value: list[str]) -> list[str]:
        bad = [address for address in value if not is_valid_address(address.strip())]
        if bad:
            raise ValueError(f"Địa chỉ thư điện tử không hợp lệ: {', '.join(bad)}.")
        return value

    @field_validator("quiet_start", "quiet_end")
    @classmethod
    def _clock(cls, value: str | None) -> str | None:
        if value is not None and not _CLOCK.match(value):
            raise ValueError("Giờ phải viết dạng HH:MM, ví dụ 22:00.")
        return value

    @model_validator(mode="after")
    def _both_ends(self) -> SubscriptionIn:
        if (self.quiet_start is None) != (self.quiet_end is None):
            raise ValueError("Cần cả giờ bắt đầu và giờ kết thúc khoảng im lặng.")
        return self


class SubscriptionOut(BaseModel):
    """A unit's subscription as shown (the webhook secret is never returned)."""

    unit: str
    webhook_url: str | None
    has_webhook_secret: bool
    emails: list[str]
    kinds: list[Kind]
    quiet_start: str | None
    quiet_end: str | None
    quiet_weekends: bool
    updated_at: Moment


class InboxItemOut(BaseModel):
    """One message in a unit's in-app inbox."""

    id: str
    kind: str
    unit: str
    title: str
    body: str
    link: str | None
    created_at: Moment
    read_at: Moment | None


class AttemptOut(BaseModel):
    """One delivery attempt in a notification's log."""

    number: int
    attempt_id: str
    outcome: str
    decision: str
    status: int | None
    detail: str
    latency_ms: float
    started_at: Moment


class NotificationOut(BaseModel):
    """A notification, its state and (on the detail route) its delivery log."""

    id: str
    source_event_id: str
    kind: str
    unit: str
    channel: str
    state: str
    title: str
    link: str | None
    attempts: int
    batch_id: str | None
    next_attempt_at: Moment | None
    last_error: str | None
    created_at: Moment
    sent_at: Moment | None
    dead_at: Moment | None
    log: list[AttemptOut] = Field(default_factory=list)
