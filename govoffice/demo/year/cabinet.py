"""The demo year of the e-cabinet: the Government's sessions and its members' written ballots.

At scale 1: 8 sessions held (one about every six weeks, each with 3–6 agenda items, the
members' attendance and a conclusion per item) and 176 ballots sent, answered and closed,
with about 27 members voting. Every answer is really signed with the member's platform-kept
key over the same canonical JSON the live service signs (so the results page verifies them),
and every ballot is counted by the live tally rule. The extra members beyond the demo logins
are made here (no password: they cannot sign in). Same seed and scale, same rows.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction

from govoffice.audit.services import record_event
from govoffice.cabinet import signatures
from govoffice.cabinet.models import (
    AgendaItem,
    Answer,
    Attendance,
    Attendee,
    Ballot,
    BallotMember,
    BallotState,
    Meeting,
    MeetingKind,
    MeetingState,
    NonAnswer,
    Question,
)
from govoffice.cabinet.tally import DEFAULT_OPTIONS, tally_ballot
from govoffice.deadlines import calendar
from govoffice.demo.year.context import VN, YearContext
from govoffice.directory.models import Agency, Role, RoleGrant, User
from govoffice.signing.people import current_key, issue_signer_key, signer_identity

MEMBERS = 27  # the Government of 2016–2021 had 27 members
CHUNK = 2_000
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Quốc", "Thanh", "Hữu", "Xuân", "Công", "Đình")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Hùng", "Khánh", "Lâm", "Long", "Nam", "Phong", "Quang", "Sơn", "Tâm", "Thắng", "Trung", "Tuấn", "Việt")
MATTERS = (
    "Dự thảo Nghị định quy định chi tiết một số điều của Luật", "Đề nghị xây dựng Luật sửa đổi, bổ sung", "Dự thảo Nghị quyết của Chính phủ về",
    "Phương án điều chỉnh", "Đề án", "Việc ký kết Hiệp định", "Báo cáo kiến nghị về",
)
TOPICS = (
    "quản lý nợ công", "hỗ trợ doanh nghiệp nhỏ và vừa", "phát triển kinh tế số", "cải cách thủ tục hành chính", "đầu tư công trung hạn",
    "bảo hiểm xã hội", "phòng, chống thiên tai", "quy hoạch sử dụng đất", "giáo dục nghề nghiệp", "thương mại điện tử",
    "an toàn thực phẩm", "phát triển năng lượng tái tạo", "quản lý tài sản công", "chuyển đổi số quốc gia",
)
ITEMS = (
    "Tình hình kinh tế - xã hội tháng và các tháng đầu năm", "Tình hình thực hiện kế hoạch đầu tư công", "Công tác xây dựng thể chế",
    "Tình hình giải ngân vốn ODA", "Kết quả cải cách thủ tục hành chính", "Tình hình thực hiện dự toán ngân sách nhà nước",
    "Dự án Luật", "Công tác phòng, chống tham nhũng",
)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _members(ctx: YearContext, rng: random.Random) -> list[User]:
    """The demo logins who are members, then made-up members up to 27; each with a signing key."""
    known = [u for u in ctx.people.values() if u.has_role(Role.GOVERNMENT_MEMBER)]
    wanted = [f"thanhvien{n:02d}" for n in range(1, MEMBERS - len(known) + 1)]
    existing = {u.username for u in User.objects.filter(username__in=wanted)}
    ministries = ctx.ministries or [ctx.office]
    names = [_name(rng) for _ in wanted]  # drawn for all, so the draws after do not depend on who exists
    fresh = [User(username=name, full_name=names[i], position="Bộ trưởng", agency=ministries[i % len(ministries)],
                  email=f"{name}@demo.chinhphu.vn", password=make_password(None))
             for i, name in enumerate(wanted) if name not in existing]
    User.objects.bulk_create(fresh)
    made = list(User.objects.filter(username__in=[u.username for u in fresh]))
    RoleGrant.objects.bulk_create([RoleGrant(user=u, role=Role.GOVERNMENT_MEMBER) for u in made])
    members = known + list(User.objects.filter(username__in=wanted).order_by("username"))
    for m in members:
        if current_key(m) is None:
            issue_signer_key(actor=None, user=m)
    return members


def _sessions(ctx: YearContext, rng: random.Random, members: list[User], chair: User) -> int:
    n = ctx.target("cabinet_sessions")
    agencies: list[Agency] = ctx.ministries or [ctx.office]
    meetings = []
    for i in range(n):
        month = 1 + (i * 12) // max(n, 1)
        start = ctx.moment(rng, start=dt.date(ctx.year, month, 1), end=dt.date(ctx.year, month, 28))
        local = start.astimezone(VN).replace(hour=8, minute=30, second=0, microsecond=0)
        thematic = i % 3 == 2
        title = (f"Phiên họp Chính phủ chuyên đề xây dựng pháp luật tháng {month}/{ctx.year}" if thematic
                 else f"Phiên họp Chính phủ thường kỳ tháng {month}/{ctx.year}")
        meetings.append(Meeting(kind=MeetingKind.THEMATIC if thematic else MeetingKind.REGULAR, title=title, starts_at=local.astimezone(dt.UTC),
                                place="Trụ sở Chính phủ, Hà Nội", chair=chair, state=MeetingState.CLOSED,
                                closed_at=(local + dt.timedelta(hours=9)).astimezone(dt.UTC)))
    Meeting.objects.bulk_create(meetings)
    attendees, items = [], []
    for meeting in meetings:
        for m in members:
            roll = rng.random()
            attendees.append(Attendee(meeting=meeting, user=m, attendance=Attendance.PRESENT if roll < 0.85 else Attendance.REMOTE if roll < 0.95 else Attendance.ABSENT))
        slot = dt.datetime.combine(dt.date(2000, 1, 1), dt.time(9))
        for order in range(1, rng.randint(3, 6) + 1):
            title = rng.choice(ITEMS) if meeting.kind == MeetingKind.REGULAR else f"{rng.choice(MATTERS)} {rng.choice(TOPICS)}"
            ends = slot + dt.timedelta(minutes=rng.choice((30, 45, 60, 90)))
            items.append(AgendaItem(meeting=meeting, order=order, title=title, presenting_agency=rng.choice(agencies), starts=slot.time(),
                                    ends=ends.time(), notes="Các thành viên Chính phủ thảo luận, cho ý kiến.",
                                    conclusion=f"Chính phủ thống nhất {title.lower()}; giao cơ quan trình tiếp thu, hoàn thiện."))
            slot = ends
    Attendee.objects.bulk_create(attendees, batch_size=CHUNK)
    AgendaItem.objects.bulk_create(items, batch_size=CHUNK)
    return n


def _ballots(ctx: YearContext, rng: random.Random, members: list[User], pm: User) -> int:
    n = ctx.target("cabinet_ballots")
    cal = calendar()
    keys = {m.pk: signer_identity(m) for m in members}
    ballots = []
    for i in range(n):
        opened = ctx.moment(rng, end=dt.date(ctx.year, 12, 10))
        due_day = cal.add(opened.astimezone(VN).date(), 5)
        deadline = dt.datetime.combine(due_day, dt.time(17), tzinfo=VN).astimezone(dt.UTC)
        ballots.append(Ballot(title=f"{rng.choice(MATTERS)} {rng.choice(TOPICS)} ({i + 1})", deadline=deadline, options=[dict(o) for o in DEFAULT_OPTIONS],
                              allow_change=rng.random() < 0.8, non_answer=NonAnswer.NOT_FOR, prime_minister=pm, state=BallotState.CLOSED,
                              opened_at=opened, closed_at=deadline))
    Ballot.objects.bulk_create(ballots, batch_size=CHUNK)
    questions = [Question(ballot=b, order=1, text="Đồng chí có đồng ý với dự thảo không?") for b in ballots]
    Question.objects.bulk_create(questions, batch_size=CHUNK)
    seats: list[BallotMember] = []
    answers: list[Answer] = []
    for done, (ballot, question) in enumerate(zip(ballots, questions, strict=True), 1):
        assert ballot.opened_at is not None
        votes: dict[str, dict[str, str]] = {}
        span = (ballot.deadline - ballot.opened_at).total_seconds()
        for m in members:
            answered = rng.random() < 0.94
            at = ballot.opened_at + dt.timedelta(seconds=rng.uniform(0.05, 0.95) * span) if answered else None
            seats.append(BallotMember(ballot=ballot, member=m, notified_at=ballot.opened_at, answered_at=at, late=not answered))
            if at is None:
                continue
            roll = rng.random()
            option = "agree" if roll < 0.88 else "other" if roll < 0.96 else "disagree"
            comment = "" if option == "agree" else "Đề nghị cơ quan chủ trì tiếp thu, làm rõ thêm."
            choices = {str(question.pk): {"option": option, "comment": comment}}
            identity = keys[m.pk]
            payload = signatures.canonical(ballot_id=ballot.pk, username=m.username, revision=1, answers=choices)
            answers.append(Answer(ballot=ballot, member=m, revision=1, current=True, choices=choices, payload=payload.decode("utf-8"),
                                  signature=signatures.sign(identity.key, payload), certificate=identity.row.certificate, answered_at=at))
            votes[m.username] = {str(question.pk): option}
        result = tally_ballot(members=[m.username for m in members], questions=[question.pk], answers=votes, options=ballot.options,
                              non_answer=ballot.non_answer, prime_minister=pm.username)
        result["rule"] = {"threshold": "more_than_half_of_all_members", "non_answer": ballot.non_answer, "tie": "prime_minister", "prime_minister": pm.username}
        result["closed_because"] = "deadline"
        ballot.result = result
        if done % 20 == 0 or done == n:
            ctx.progress("cabinet: ballots", done, n)
    Ballot.objects.bulk_update(ballots, ["result"], batch_size=500)
    BallotMember.objects.bulk_create(seats, batch_size=CHUNK)
    Answer.objects.bulk_create(answers, batch_size=CHUNK)
    return n


def generate(ctx: YearContext) -> None:
    """The year's government sessions and written ballots."""
    rng = ctx.rng_for("cabinet")
    with transaction.atomic():
        members = _members(ctx, rng)
        pm = next((m for m in members if m.has_role(Role.GOVERNMENT_LEADER) and "Thủ tướng" in m.position and "Phó" not in m.position), members[0])
        sessions = _sessions(ctx, rng, members, pm)
        ballots = _ballots(ctx, rng, members, pm)
        record_event("demo.cabinet_year_generated", object_type="demo.year", object_id=str(ctx.year), agency=ctx.office.code,
                     data={"sessions": sessions, "ballots": ballots, "members": len(members), "scale": ctx.scale, "seed": ctx.seed})
    ctx.notes.append(f"cabinet: {sessions} sessions, {ballots} ballots, {len(members)} members voting")
