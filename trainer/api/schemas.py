"""The API's requests and responses as pydantic models: they serialise every response, and
the OpenAPI document is generated from them (``trainer.api.spec``), so the two cannot drift.

Times are ISO 8601 in UTC, dates ISO 8601; percentages are numbers from 0 to 100, gains in
percentage points; a figure that cannot be computed yet is null.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from trainer.urls import MAX_ID

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
# A cursor is short; anything longer is not one of ours.
MAX_CURSOR = 64
_SLUG = r"^[a-z0-9-]{3,80}$"


class ApiModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Error(ApiModel):
    """Every refusal: a short title, a sentence saying what to change, the HTTP status."""

    error: str
    message: str
    status: int


class ListQuery(BaseModel):
    """Paging and filters, the same for every list. Unknown parameters are ignored."""

    model_config = ConfigDict(extra="ignore")

    cursor: str | None = Field(
        None,
        max_length=MAX_CURSOR,
        description="The next_cursor of the previous page; leave out for the first page.",
    )
    limit: int = Field(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page, at most 500."
    )
    family: str | None = Field(
        None,
        pattern=_SLUG,
        description="Only this course family (the slug of a course and its translations).",
    )
    institution_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="Only the people of this institution."
    )
    cohort_id: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description=("Only this cohort: its current members (its sessions, for attendance)."),
    )


class InstitutionRef(ApiModel):
    id: int
    name: str


class Participant(ApiModel):
    id: int
    name: str
    email: str
    institution: InstitutionRef | None


class EnrolmentItem(ApiModel):
    id: int
    participant: Participant
    family: str
    course: str = Field(description="The slug of the course (language) followed.")
    language: str
    status: Literal["active", "withdrawn"]
    enrolled_at: datetime
    withdrawn_at: datetime | None
    completed_at: datetime | None = Field(description="When the completion rules were met.")
    cohort_id: int | None = Field(description="The cohort the participant is a member of now.")


class ModuleCompletion(ApiModel):
    slug: str
    completed_at: datetime | None
    quiz_passed_at: datetime | None


class AttendanceSummary(ApiModel):
    """Attendance in the participant's current cohort, over the sessions since they joined."""

    cohort_id: int
    attended: int = Field(description="Sessions attended (present or late).")
    excused: int
    scheduled: int = Field(description="Sessions not cancelled, within the membership.")
    held: int = Field(description="Of those, sessions already held.")
    rate_so_far: float | None = Field(
        description="attended / (held - excused), in %; null before any session is held."
    )
    rate_toward_completion: float | None = Field(
        description="attended / (scheduled - excused), in %."
    )


class ProgressItem(ApiModel):
    enrolment_id: int
    participant_id: int
    family: str
    status: Literal["active", "withdrawn"]
    completed_at: datetime | None
    last_viewed_at: datetime | None
    modules_completed: int
    modules: list[ModuleCompletion]
    pre_score: float | None = Field(description="The pre-test score, in %.")
    post_score: float | None = Field(description="The best post-test score, in %.")
    learning_gain: float | None = Field(description="post - pre, in percentage points.")
    normalised_gain: float | None = Field(
        description="(post - pre) / (100 - pre); null where pre = 100."
    )
    attendance: AttendanceSummary | None


class SessionRef(ApiModel):
    id: int
    cohort_id: int
    starts_at: datetime
    ends_at: datetime
    cancelled: bool


class AttendanceItem(ApiModel):
    id: int
    participant_id: int
    session: SessionRef
    status: Literal["present", "late", "excused", "absent"]
    method: Literal["roster", "qr", "sheet"]
    recorded_at: datetime


class CertificateItem(ApiModel):
    id: int
    code: str
    kind: Literal["completion", "attendance"]
    participant_id: int
    holder_name: str
    institution_name: str
    family: str
    course_title: str
    hours: float | None
    issued_on: date
    expires_on: date | None
    status: Literal["valid", "expired", "revoked"]
    revoked_at: datetime | None
    verify_url: str = Field(description="The public page where anyone can check it.")


class EnrolmentPage(ApiModel):
    items: list[EnrolmentItem]
    next_cursor: str | None = Field(description="null on the last page.")


class ProgressPage(ApiModel):
    items: list[ProgressItem]
    next_cursor: str | None = Field(description="null on the last page.")


class AttendancePage(ApiModel):
    items: list[AttendanceItem]
    next_cursor: str | None = Field(description="null on the last page.")


class CertificatePage(ApiModel):
    items: list[CertificateItem]
    next_cursor: str | None = Field(description="null on the last page.")
