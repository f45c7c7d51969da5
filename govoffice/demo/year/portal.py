"""The demo year of the public service portal: the seed catalogue, the year's online dossiers
through every status, and the page-view counters.

Page views. The seed says the National Public Service Portal had over 4.3 million visits in its
first 10 days (it opened on 9 December 2019). We take that launch as the demo's: for 2019 the
portal opens on 9 December, the first 10 days carry 4.3 million views (× scale) in a decaying
curve, and the 13 days to the year's end 1.7 million more, so 2019 reads back
PORTAL_VISITS_2019 = 6,000,000 (× scale). For another year the portal is running all year and
counts YEARLY_VISITS = 60,000,000 (× scale; the 2019 launch rate, lower after the surge),
weekdays weighing three times a weekend day. Views are daily counter rows (DailyVisits), never a
row per view.

Dossiers. DOSSIERS (× scale) dossiers filed online for the seed catalogue's online procedures,
within the portal's open period, each carried to a status drawn with realistic shares (most
returned with a result, a few refused, withdrawn or overdue). One audit event sums the area up.
"""

from __future__ import annotations

import datetime as dt
import random

from govoffice.audit.services import record_event
from govoffice.deadlines import calendar
from govoffice.demo.year.context import VN, YearContext
from govoffice.portal import receipts
from govoffice.portal.catalogue import load_seed
from govoffice.portal.models import (
    AccountKind,
    DailyVisits,
    Dossier,
    DossierStep,
    Procedure,
    Status,
)

LAUNCH = (12, 9)  # 9 December: the national portal's opening day in 2019
SURGE_VISITS, SURGE_DAYS = 4_300_000, 10
PORTAL_VISITS_2019 = 6_000_000
YEARLY_VISITS = 60_000_000
DOSSIERS = 5_000
CHUNK = 2_000
# Final status and its share of the year's dossiers (the rest still open at the year's end).
OUTCOMES = ((Status.RETURNED, 0.78), (Status.NOT_ACCEPTED, 0.05), (Status.STOPPED, 0.03), (Status.PROCESSING, 0.06),
            (Status.ACCEPTED, 0.03), (Status.PAPERS_REQUESTED, 0.02), (Status.FEES_REQUESTED, 0.01), (Status.REGISTERED, 0.02))
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương")
MIDDLE = ("Văn", "Thị", "Hữu", "Minh", "Thanh", "Ngọc", "Đức", "Quang", "Thu", "Hoài")
GIVEN = ("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hương", "Khánh", "Lan", "Long", "Mai", "Nam", "Phương", "Quân",
         "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Việt", "Yến")
COMPANY = ("Công ty TNHH", "Công ty Cổ phần", "Doanh nghiệp tư nhân")
TRADES = ("Thương mại Sao Mai", "Xây dựng Hòa Phát", "Dược phẩm Minh Châu", "Thực phẩm Đồng Xanh", "Vận tải Bắc Nam",
          "Công nghệ Việt Tiến", "Nông sản Cửu Long", "Du lịch Hạ Long")


def _split(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights`, exactly (largest remainders)."""
    raw = [total * w / sum(weights) for w in weights]
    out = [int(x) for x in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - out[i], reverse=True)[: total - sum(out)]:
        out[i] += 1
    return out


def visit_days(year: int, scale: float) -> list[tuple[dt.date, int]]:
    """The year's page views per day (summing to the documented yearly figure × scale)."""
    if year == 2019:
        launch = dt.date(year, *LAUNCH)
        surge_days = [launch + dt.timedelta(days=i) for i in range(SURGE_DAYS)]
        rest_days = [launch + dt.timedelta(days=i) for i in range(SURGE_DAYS, (dt.date(year, 12, 31) - launch).days + 1)]
        surge = _split(round(SURGE_VISITS * scale), [0.8 ** i for i in range(SURGE_DAYS)])
        rest = _split(round((PORTAL_VISITS_2019 - SURGE_VISITS) * scale), [3.0 if d.weekday() < 5 else 1.0 for d in rest_days])
        return list(zip(surge_days + rest_days, surge + rest, strict=True))
    days = [dt.date(year, 1, 1) + dt.timedelta(days=i) for i in range((dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1)]
    counts = _split(round(YEARLY_VISITS * scale), [3.0 if d.weekday() < 5 else 1.0 for d in days])
    return list(zip(days, counts, strict=True))


def _pages(total: int) -> list[tuple[str, int]]:
    # The launch surge was mostly people looking up procedures and following their dossiers.
    return list(zip(("home", "catalogue", "procedure", "lookup"), _split(total, [0.25, 0.35, 0.25, 0.15]), strict=True))


def _name(rng: random.Random, kind: str) -> str:
    if kind == AccountKind.BUSINESS:
        return f"{rng.choice(COMPANY)} {rng.choice(TRADES)}"
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _dossier(ctx: YearContext, rng: random.Random, proc: Procedure, status: int, start: dt.date, codes: set[str]) -> Dossier:
    submitted = ctx.moment(rng, start=start)
    kind = rng.choice(proc.applicants)
    fmt = receipts.format_for("dossier")
    code = fmt.compose(ctx.year, "".join(rng.choice(receipts.ALPHABET) for _ in range(8)))
    while code in codes:
        code = fmt.compose(ctx.year, "".join(rng.choice(receipts.ALPHABET) for _ in range(8)))
    codes.add(code)
    row = Dossier(receipt_code=code, procedure=proc, agency_id=proc.agency_id, applicant_kind=kind, applicant_name=_name(rng, kind),
                  data={"demo": True}, status=status, submitted_at=submitted, status_changed_at=submitted)
    if status in (Status.REGISTERED, Status.NOT_ACCEPTED):
        if status == Status.NOT_ACCEPTED:
            row.status_changed_at = row.finished_at = submitted + dt.timedelta(hours=rng.randint(2, 30))
            row.status_note = "Hồ sơ không thuộc thẩm quyền giải quyết"
        return row
    accepted_day = calendar().add(submitted.astimezone(VN).date(), rng.randint(0, 1))
    row.accepted_at = dt.datetime.combine(accepted_day, dt.time(9), tzinfo=VN).astimezone(dt.UTC)
    row.due_date = calendar().add(accepted_day, proc.processing_days)
    if status in (Status.RETURNED, Status.STOPPED):
        late = rng.random() < 0.04
        done_day = calendar().add(row.due_date, rng.randint(1, 3)) if late else calendar().add(accepted_day, rng.randint(0, max(proc.processing_days - 1, 0)))
        row.finished_at = dt.datetime.combine(done_day, dt.time(15), tzinfo=VN).astimezone(dt.UTC)
        row.finished_late = late
        row.status_changed_at = row.finished_at
        row.fee_amount = proc.fee_amount
        if status == Status.STOPPED:
            row.status_note = "Dừng xử lý theo đề nghị rút hồ sơ của người nộp"
    else:
        row.status_changed_at = row.accepted_at
    return row


def generate(ctx: YearContext) -> None:
    """The catalogue, DOSSIERS × scale dossiers and the year's page-view counters."""
    rng = ctx.rng_for("portal")
    load_seed()
    procedures = list(Procedure.objects.filter(active=True, level__gte=3).order_by("code"))
    start = dt.date(ctx.year, *LAUNCH) if ctx.year == 2019 else dt.date(ctx.year, 1, 2)
    total = ctx.scaled(DOSSIERS)
    statuses = [s for (s, _), n in zip(OUTCOMES, _split(total, [w for _, w in OUTCOMES]), strict=True) for _ in range(n)]
    rng.shuffle(statuses)
    codes: set[str] = set(Dossier.objects.filter(submitted_at__year=ctx.year).values_list("receipt_code", flat=True))
    made = 0
    for first in range(0, total, CHUNK):
        rows = [_dossier(ctx, rng, rng.choice(procedures), s, start, codes) for s in statuses[first: first + CHUNK]]
        Dossier.objects.bulk_create(rows, batch_size=500)
        made += len(rows)
        ctx.progress("portal: dossiers", made, total)
    saved = Dossier.objects.filter(receipt_code__in=codes).values_list("pk", "status", "status_changed_at", "status_note")
    DossierStep.objects.bulk_create([DossierStep(dossier_id=pk, at=at, status=st, note=note) for pk, st, at, note in saved],
                                    batch_size=2_000)
    days = visit_days(ctx.year, ctx.scale)
    counters = [DailyVisits(day=day, page=page, count=n) for day, views in days for page, n in _pages(views) if n]
    DailyVisits.objects.bulk_create(counters, batch_size=2_000)
    ctx.progress("portal: page views", len(days), len(days))
    views = sum(n for _, n in days)
    record_event("portal.demo_year_generated", object_type="portal.dossier", object_id=str(ctx.year),
                 data={"year": ctx.year, "scale": ctx.scale, "seed": ctx.seed, "dossiers": total, "portal_visits": views})
    ctx.notes.append(f"portal {ctx.year}: {total:,} dossiers, {views:,} page views in {len(counters):,} daily counters")
