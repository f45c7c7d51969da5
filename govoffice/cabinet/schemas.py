"""Request and answer bodies of the cabinet API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema


class FileIn(Schema):
    name: str = Field(..., min_length=1, max_length=255, examples=["du-thao-nghi-dinh.pdf"])
    content_base64: str = Field(..., description="the file's bytes, base64; its type is checked by content, not by name",
                                examples=["JVBERi0xLjcK..."])


class FileOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    url: str


class MaterialOut(Schema):
    ref: str = Field(..., examples=["outgoing:12"])
    title: str
    files: list[FileOut]


class PersonOut(Schema):
    username: str
    full_name: str
    position: str


class GuestIn(Schema):
    name: str = Field(..., min_length=1, max_length=255, examples=["Nguyễn Văn An"])
    title: str = Field("", max_length=255, examples=["Chủ tịch Phòng Thương mại và Công nghiệp Việt Nam"])


class MeetingIn(Schema):
    kind: str = Field("regular", description="regular or thematic", examples=["regular"])
    title: str = Field(..., max_length=500, examples=["Phiên họp Chính phủ thường kỳ tháng 6 năm 2019"])
    starts_at: dt.datetime = Field(..., examples=["2019-07-02T08:30:00+07:00"])
    place: str = Field(..., max_length=255, examples=["Trụ sở Chính phủ, Hà Nội"])
    chair: str = Field(..., description="username of the chairing member", examples=["thutuong"])
    members: list[str] = Field(default_factory=list, description="usernames of the members invited", examples=[["botruong.btc", "botruong.bnv"]])
    guests: list[GuestIn] = Field(default_factory=list)


class AttendeeOut(Schema):
    id: int
    member: PersonOut | None
    guest_name: str
    guest_title: str
    attendance: str = Field(..., description='"", present, remote or absent')


class PositionOut(Schema):
    member: str
    position: str
    note: str


class TaskIO(Schema):
    content: str = Field(..., examples=["Hoàn thiện dự thảo Nghị định, trình Chính phủ trước ngày 30/7"])
    lead_agency_code: str = Field(..., examples=["000.00.00.G12"])
    coordinating_agency_codes: list[str] = Field(default_factory=list, examples=[["000.00.00.G09"]])
    deadline: dt.date | None = Field(None, examples=["2019-07-30"])


class ItemIn(Schema):
    title: str = Field(..., max_length=500, examples=["Dự thảo Nghị định về quản lý nợ công"])
    presenting_agency: str = Field(..., description="organisation code of the presenting agency", examples=["000.00.00.G12"])
    starts: dt.time | None = Field(None, examples=["09:00"])
    ends: dt.time | None = Field(None, examples=["10:30"])
    registry: list[str] = Field(default_factory=list, description="registry documents: incoming:ID or outgoing:ID", examples=[["incoming:15"]])
    files: list[FileIn] = Field(default_factory=list)


class ItemOut(Schema):
    id: int
    order: int
    title: str
    presenting_agency: str
    starts: dt.time | None
    ends: dt.time | None
    materials: list[MaterialOut]
    uploads: list[FileOut]
    positions: list[PositionOut] = Field(..., description="all members' positions for the secretariat; only your own for a member")
    adoptable_without_debate: bool
    notes: str
    conclusion: str
    tasks: list[TaskIO]


class MeetingOut(Schema):
    id: int
    kind: str
    title: str
    starts_at: dt.datetime
    place: str
    chair: PersonOut
    state: str
    attendees: list[AttendeeOut]
    items: list[ItemOut]
    minutes_outgoing_id: int | None
    notice_outgoing_id: int | None


class MeetingSummary(Schema):
    id: int
    kind: str
    title: str
    starts_at: dt.datetime
    place: str
    state: str


class PositionIn(Schema):
    position: str = Field(..., description="no_objection, objection or wish_to_speak", examples=["no_objection"])
    note: str = Field("", examples=["Đề nghị bổ sung đánh giá tác động"])


class AttendanceIn(Schema):
    attendance: dict[int, str] = Field(..., description="attendee id → present, remote or absent", examples=[{"1": "present", "2": "remote"}])


class OutcomeIn(Schema):
    notes: str = Field("", examples=["Các thành viên thống nhất về sự cần thiết ban hành."])
    conclusion: str = Field(..., examples=["Chính phủ thống nhất thông qua dự thảo Nghị định."])
    tasks: list[TaskIO] = Field(default_factory=list)


class OptionIO(Schema):
    code: str = Field(..., max_length=32, examples=["agree"])
    label: str = Field(..., max_length=100, examples=["Đồng ý"])
    counts_as: str = Field("neither", description="for, against or neither", examples=["for"])


class BallotIn(Schema):
    title: str = Field(..., max_length=500, examples=["Dự thảo Nghị quyết về chính sách hỗ trợ doanh nghiệp nhỏ và vừa"])
    summary: str = ""
    questions: list[str] = Field(..., min_length=1, examples=[["Đồng chí có đồng ý thông qua dự thảo Nghị quyết không?"]])
    deadline: dt.datetime = Field(..., examples=["2019-07-10T17:00:00+07:00"])
    options: list[OptionIO] | None = Field(None, description="default: agree (for), disagree (against), other (neither)")
    allow_change: bool = True
    close_when_all_answered: bool = True
    non_answer: str = Field("not_for", description="how a member who does not answer counts: not_for, consent or excluded")
    prime_minister: str = Field("", description="username; empty: the member whose position is Thủ tướng")
    registry: list[str] = Field(default_factory=list, examples=[["outgoing:42"]])
    files: list[FileIn] = Field(default_factory=list)


class OpenIn(Schema):
    members: list[str] | None = Field(None, description="usernames; default every active government member")


class QuestionOut(Schema):
    id: int
    order: int
    text: str


class ChoiceIO(Schema):
    option: str = Field(..., examples=["agree"])
    comment: str = Field("", examples=["Đề nghị làm rõ nguồn kinh phí"])


class AnswerIn(Schema):
    answers: dict[str, ChoiceIO] = Field(..., description="question id → option and comment",
                                         examples=[{"7": {"option": "agree", "comment": ""}}])
    password: str = Field("", description="your password: the platform then signs with the key it keeps for you")
    signature: str = Field("", description="or your own signature (base64, RSA PKCS#1 v1.5 SHA-256) over GET …/answer-payload")


class PayloadIn(Schema):
    answers: dict[str, ChoiceIO]


class PayloadOut(Schema):
    payload: str = Field(..., description="the exact UTF-8 text to sign (canonical JSON)")
    revision: int


class AnswerOut(Schema):
    member: str
    revision: int
    answers: dict[str, ChoiceIO]
    answered_at: dt.datetime
    signature: str
    certificate_fingerprint: str
    signed_by_server: bool
    signature_valid: bool


class BallotOut(Schema):
    id: int
    title: str
    summary: str
    state: str
    deadline: dt.datetime
    options: list[OptionIO]
    allow_change: bool
    close_when_all_answered: bool
    non_answer: str
    prime_minister: str | None
    questions: list[QuestionOut]
    materials: list[MaterialOut]
    uploads: list[FileOut]
    my_answer: AnswerOut | None
    late: bool = Field(..., description="you did not answer by the deadline")
    decision_outgoing_id: int | None


class BallotSummary(Schema):
    id: int
    title: str
    state: str
    deadline: dt.datetime
    answered: bool | None = Field(None, description="for a member: whether you have answered")


class MemberResultOut(Schema):
    member: PersonOut
    late: bool
    answer: AnswerOut | None


class ResultOut(Schema):
    ballot: int
    state: str
    tally: dict[str, Any]
    members: list[MemberResultOut]


class PendingOut(Schema):
    ballots: list[BallotSummary]
    meetings: list[MeetingSummary]
