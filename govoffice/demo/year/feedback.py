"""The demo year of feedback (phản ánh, kiến nghị) on administrative regulations.

The seed (2019): 5,571 pieces from citizens, 229 of them within scope and sent on to
ministries; 1,175 from businesses, 936 sent on (× scale). Every piece is triaged by the year's
end: what is sent on goes to a ministry or province of the hub with its own DocumentId, most
are answered, moderated, published and rated; the rest are out of scope (complaints,
denunciations, other matters, each with its guidance) or duplicates linked to an earlier piece.
Rows go in with bulk_create in chunks; no notice is sent and no hub message is made for them
(the exchange generator makes the hub's traffic); one audit event sums the area up.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from typing import Any

from govoffice.audit.services import record_event
from govoffice.demo.year.context import VN, YearContext
from govoffice.directory.models import Agency
from govoffice.lib.vntext import fold
from govoffice.portal import receipts
from govoffice.portal.feedback.models import (
    AnswerVia,
    Feedback,
    OutOfScope,
    Scope,
    Source,
    State,
    StatusEntry,
    Topic,
    Via,
)

CHUNK = 2_000
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý")
MIDDLE = ("Văn", "Thị", "Hữu", "Minh", "Thanh", "Ngọc", "Đức", "Quang", "Thu")
GIVEN = ("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hương", "Khánh", "Lan", "Long", "Mai", "Nam", "Phương", "Sơn", "Tâm")
COMPANIES = ("Công ty TNHH Sao Mai", "Công ty Cổ phần Hòa Bình", "Công ty TNHH Dược Minh Châu", "Công ty Cổ phần Đồng Xanh",
             "Công ty TNHH Vận tải Bắc Nam", "Công ty Cổ phần Việt Tiến", "Doanh nghiệp tư nhân Cửu Long")
MATTERS = (
    ("Thủ tục cấp giấy phép xây dựng nhà ở riêng lẻ", "yêu cầu nhiều giấy tờ trùng lặp và thời gian giải quyết kéo dài"),
    ("Thủ tục hoàn thuế giá trị gia tăng", "hồ sơ nộp đủ nhưng quá thời hạn chưa được giải quyết"),
    ("Quy định về đăng ký hộ kinh doanh", "đề nghị cho phép nộp hồ sơ trực tuyến toàn trình"),
    ("Thủ tục cấp đổi giấy phép lái xe", "yêu cầu bản sao chứng thực dù đã có dữ liệu điện tử"),
    ("Quy định về kiểm tra chuyên ngành hàng nhập khẩu", "chồng chéo giữa các bộ, tốn kém chi phí cho doanh nghiệp"),
    ("Thủ tục đăng ký đất đai lần đầu", "hướng dẫn chưa thống nhất giữa các địa phương"),
    ("Quy định về phí, lệ phí đăng ký doanh nghiệp", "mức thu chưa rõ ràng, đề nghị công khai trên Cổng"),
    ("Thủ tục cấp phiếu lý lịch tư pháp", "đề nghị rút ngắn thời hạn giải quyết xuống 5 ngày làm việc"),
    ("Quy định về điều kiện kinh doanh dịch vụ vận tải", "một số điều kiện không còn phù hợp thực tế"),
    ("Thủ tục chứng nhận xuất xứ hàng hóa", "đề nghị cấp chứng nhận điện tử, bỏ bản giấy"),
)
OUT_KINDS = (OutOfScope.COMPLAINT, OutOfScope.DENUNCIATION, OutOfScope.OTHER)
OUT_WEIGHTS = (0.5, 0.2, 0.3)
DUPLICATE_SHARE = 0.05  # of the pieces not sent on


def _name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _code(rng: random.Random, year: int, seen: set[str]) -> str:
    fmt = receipts.format_for("feedback")
    while True:
        code = fmt.compose(year, "".join(rng.choice(receipts.ALPHABET) for _ in range(receipts.BODY_LENGTH)))
        if code not in seen:
            seen.add(code)
            return code


def _later(start: dt.datetime, rng: random.Random, low_days: int, high_days: int) -> dt.datetime:
    return start + dt.timedelta(days=rng.randint(low_days, high_days), minutes=rng.randint(0, 480))


class _Year:
    def __init__(self, ctx: YearContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng_for("feedback")
        self.seen: set[str] = set()
        self.history: list[StatusEntry] = []
        self.number = 0
        responsible = [a for a in ctx.members if a.code != ctx.office.code]
        self.agencies: list[Agency] = responsible or [ctx.office]

    def base(self, source: str) -> dict[str, Any]:
        rng, ctx = self.rng, self.ctx
        subject, problem = rng.choice(MATTERS)
        name = _name(rng)
        org = rng.choice(COMPANIES) if source == Source.BUSINESS else ""
        content = f"{subject}: {problem}. Đề nghị cơ quan có thẩm quyền xem xét, sửa đổi cho phù hợp."
        at = ctx.moment(rng)
        return {
            "code": _code(rng, ctx.year, self.seen), "source": source, "topic": rng.choice(Topic.values), "via": Via.DEMO,
            "name": org or name, "organisation": org, "email": f"nguoigui{rng.randint(1, 10**9)}@example.vn",
            "subject": subject, "content": content, "search_text": fold(f"{subject} {content}"),
            "agency": rng.choice(self.agencies), "received_at": at, "updated_at": at,
        }

    def forwarded(self, source: str) -> Feedback:
        rng, ctx = self.rng, self.ctx
        row = Feedback(**self.base(source))
        triaged = _later(row.received_at, rng, 0, 3)
        agency = row.agency if row.agency in self.agencies else rng.choice(self.agencies)
        self.number += 1
        day = triaged.astimezone(VN).date()
        row.scope, row.triaged_at, row.forwarded_to, row.forwarded_at = Scope.IN_SCOPE, triaged, agency, triaged
        row.document_id = f"{ctx.office.code},{day:%Y/%m/%d},PA{self.number}/VPCP-PAKN"
        self.step(row, State.RECEIVED, row.received_at)
        self.step(row, State.FORWARDED, triaged, agency.code)
        processing = _later(triaged, rng, 1, 5)
        self.step(row, State.PROCESSING, processing, hub_status="03")
        row.hub_status, row.hub_status_at = "03", processing
        fate = rng.random()
        if fate < 0.12:
            row.state, row.updated_at = State.PROCESSING, processing
            return row
        answered = _later(processing, rng, 5, 40)
        row.answer_text = (f"{agency.name_vi} trả lời: đã tiếp thu phản ánh về {row.subject.lower()}; "
                           f"sẽ sửa đổi quy định và hướng dẫn thống nhất trong thời gian tới.")
        row.answer_agency, row.answered_at = agency, answered
        row.answer_via = AnswerVia.HUB if rng.random() < 0.7 else AnswerVia.LOGIN
        row.hub_status, row.hub_status_at = "06", answered
        self.step(row, State.ANSWERED, answered, agency.code, hub_status="06")
        if fate < 0.18:
            row.state, row.updated_at = State.ANSWERED, answered
            return row
        published = _later(answered, rng, 1, 5)
        row.published_subject, row.published_question, row.published_answer = row.subject, row.content, row.answer_text
        row.published_search = fold(" ".join([row.subject, row.content, row.answer_text]))
        row.published_at, row.rating_token_hash = published, hashlib.sha256(row.code.encode()).hexdigest()
        self.step(row, State.PUBLISHED, published)
        row.state, row.updated_at = State.PUBLISHED, published
        if rng.random() < 0.6:
            row.satisfied = rng.random() < 0.72
            row.rated_at = _later(published, rng, 0, 7)
            row.rating_comment = "" if row.satisfied else "Câu trả lời chưa nêu rõ thời hạn sửa đổi."
        return row

    def not_forwarded(self, source: str, originals: list[Feedback]) -> Feedback:
        rng = self.rng
        row = Feedback(**self.base(source))
        triaged = _later(row.received_at, rng, 0, 3)
        row.triaged_at, row.updated_at = triaged, triaged
        self.step(row, State.RECEIVED, row.received_at)
        if originals and rng.random() < DUPLICATE_SHARE:
            original = rng.choice(originals)
            row.duplicate_of, row.subject, row.state = original, original.subject, State.DUPLICATE
            self.step(row, State.DUPLICATE, triaged, original.code)
        else:
            row.scope, row.state = Scope.OUT_OF_SCOPE, State.OUT_OF_SCOPE
            row.out_of_scope_kind = rng.choices(OUT_KINDS, OUT_WEIGHTS)[0]
            self.step(row, State.OUT_OF_SCOPE, triaged, row.out_of_scope_kind)
        return row

    def step(self, row: Feedback, state: str, at: dt.datetime, note: str = "", hub_status: str = "") -> None:
        self.history.append(StatusEntry(feedback=row, at=at, state=state, note=note, hub_status=hub_status))


def _insert(rows: list[Feedback], ctx: YearContext, stage: str) -> None:
    for start in range(0, len(rows), CHUNK):
        Feedback.objects.bulk_create(rows[start : start + CHUNK])
        ctx.progress(stage, min(start + CHUNK, len(rows)), len(rows))


def generate(ctx: YearContext) -> None:
    """Make the year's feedback so that annual_figures(year) reads back the seed × scale."""
    year = _Year(ctx)
    plan = {
        Source.CITIZEN: (ctx.target("feedback_citizen_received"), ctx.target("feedback_citizen_in_scope")),
        Source.BUSINESS: (ctx.target("feedback_business_received"), ctx.target("feedback_business_forwarded")),
    }
    originals: list[Feedback] = []
    for source, (received, forwarded) in plan.items():
        originals += [year.forwarded(source) for _ in range(min(forwarded, received))]
    _insert(originals, ctx, "feedback: sent on")  # first, so that duplicates can point at them
    rest = [year.not_forwarded(source, originals) for source, (received, forwarded) in plan.items()
            for _ in range(max(received - forwarded, 0))]
    _insert(rest, ctx, "feedback: triaged")
    for entry in year.history:
        entry.feedback_id = entry.feedback.pk
    for start in range(0, len(year.history), CHUNK * 2):
        StatusEntry.objects.bulk_create(year.history[start : start + CHUNK * 2])
        ctx.progress("feedback: history", min(start + CHUNK * 2, len(year.history)), len(year.history))
    record_event("demo.feedback_generated", actor=None, object_type="demo.year", object_id=f"{ctx.year}:feedback",
                 agency=ctx.office.code, data={
                     "year": ctx.year, "scale": ctx.scale, "seed": ctx.seed, "feedback": len(originals) + len(rest),
                     "forwarded": len(originals), "history": len(year.history),
                 })
    ctx.notes.append(f"Feedback {ctx.year}: {len(originals) + len(rest):,} pieces, {len(originals):,} sent on to ministries and provinces.")
