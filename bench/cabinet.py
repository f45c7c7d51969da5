"""E-cabinet: tally of a 30-member ballot, tally of 10,000 ballots in a batch, the member's pending page under load.

Parts, on a fresh site (its own data dir and database):
  tally_one      compute_result() of one closed ballot with 30 members who each signed an
                 answer to 2 questions: the live path (reads seats and answers, counts), beside
                 the count alone (tally_ballot on the same answers in memory) and the bare SQL
                 (one GROUP BY of the answers' options);
  tally_batch    10,000 ballots x 27 members x 1 question already in the database: every
                 current answer read in one query, grouped in Python and counted with the
                 live rule, beside the count alone in memory and a bare SQL GROUP BY;
  pending_page   --clients members (default 50), each signed in as themselves, GET /cabinet/
                 (their pending ballots and meetings) again and again against a real
                 `govoffice serve`; beside it the same view in-process (Django test Client).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from typing import Any

from bench.common import PASSWORD, Site, add_server_arguments, drive, http_client, log, sign_in


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--clients", type=int, default=50, help="concurrent members on the pending page")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds of the pending-page phase")
    parser.add_argument("--batch", type=int, default=10_000, help="ballots in the batch tally")
    parser.add_argument("--batch-members", type=int, default=27, help="members per ballot in the batch")
    parser.add_argument("--repeat", type=int, default=200, help="repetitions of the one-ballot tally")
    parser.add_argument("--open-ballots", type=int, default=12, help="open ballots pending for each page member")
    add_server_arguments(parser)


def _timed(fn: Any, repeat: int) -> dict[str, float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return {"runs": repeat, "p50_ms": round(times[len(times) // 2] * 1000, 3), "mean_ms": round(sum(times) / len(times) * 1000, 3),
            "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))] * 1000, 3)}


def _office() -> Any:
    from govoffice.directory.models import Agency, AgencyKind
    from govoffice.directory.services import create_agency

    return Agency.objects.filter(code="000.00.00.G22").first() or create_agency(
        actor=None, code="000.00.00.G22", name_vi="Văn phòng Chính phủ", name_en="Government Office", short_name="VPCP",
        kind=AgencyKind.MINISTERIAL_AGENCY, code_official=True)


def _members(prefix: str, n: int, *, keys: bool) -> list[Any]:
    """n government members: one Argon2 hash shared by all (bench users), made in bulk."""
    from django.contrib.auth.hashers import make_password

    from govoffice.directory.models import Role, RoleGrant, User
    from govoffice.signing.people import issue_signer_key

    office = _office()
    hashed = make_password(PASSWORD)
    names = [f"{prefix}{i:02d}" for i in range(1, n + 1)]
    User.objects.bulk_create([User(username=name, password=hashed, agency=office, full_name=f"Thành viên {i}",
                                   position="Thủ tướng Chính phủ" if i == 1 else "Bộ trưởng") for i, name in enumerate(names, 1)])
    out = list(User.objects.filter(username__in=names).order_by("username"))
    RoleGrant.objects.bulk_create([RoleGrant(user=u, role=Role.GOVERNMENT_MEMBER) for u in out])
    if keys:
        for user in out:
            issue_signer_key(actor=None, user=user)
    return out


def _staff() -> Any:
    from govoffice.directory.models import Role
    from govoffice.directory.services import create_user

    return create_user(actor=None, username="bench-thuky", password=PASSWORD, agency=_office(),
                       roles=(Role.CABINET_STAFF, Role.SPECIALIST))


def _tally_one(staff: Any, members: list[Any], repeat: int) -> dict[str, Any]:
    from django.db import connection
    from django.utils import timezone

    from govoffice.cabinet.models import Answer
    from govoffice.cabinet.services import ballots as flow
    from govoffice.cabinet.tally import tally_ballot
    from govoffice.directory.models import Role, RoleGrant

    RoleGrant.objects.get_or_create(user=members[0], role=Role.GOVERNMENT_LEADER)
    members[0].__dict__.pop("role_set", None)
    ballot = flow.create_ballot(actor=staff, data=flow.BallotIn(title="Phiếu 30 thành viên", questions=["Câu 1?", "Câu 2?"],
                                                                deadline=timezone.now() + dt.timedelta(days=2), close_when_all_answered=False))
    ballot = flow.open_ballot(actor=staff, ballot=ballot, members=[m.username for m in members])
    qs = [str(q) for q in ballot.questions.values_list("pk", flat=True)]
    for i, m in enumerate(members):
        option = "agree" if i % 3 else "disagree"
        flow.answer_ballot(actor=m, ballot=ballot, answers={q: {"option": option, "comment": ""} for q in qs}, password=PASSWORD)
    live = _timed(lambda: flow.compute_result(ballot), repeat)
    result = flow.compute_result(ballot)
    names = [m.username for m in members]
    answers = {a.member.username: {k: v["option"] for k, v in a.choices.items()} for a in Answer.objects.filter(ballot=ballot, current=True).select_related("member")}
    bare_count = _timed(lambda: tally_ballot(members=names, questions=qs, answers=answers, options=ballot.options, prime_minister=names[0]), repeat * 10)
    table = Answer._meta.db_table
    sql = f"SELECT choices, COUNT(*) FROM {table} WHERE ballot_id = %s AND current = %s GROUP BY choices"  # noqa: S608  (table name from the model)

    def raw() -> None:
        with connection.cursor() as cur:
            cur.execute(sql, [ballot.pk, True])
            cur.fetchall()

    bare_sql = _timed(raw, repeat)
    q1 = result["questions"][qs[0]]
    return {"members": len(members), "questions": 2, "live_compute_result": live, "count_only_in_memory": bare_count,
            "bare_sql_group_by": bare_sql, "check": {"for": q1["for"], "against": q1["against"], "adopted": q1["adopted"]},
            "ratio_live_over_bare_sql": round(live["p50_ms"] / bare_sql["p50_ms"], 2) if bare_sql["p50_ms"] else None}


def _seed_batch(n: int, per: int, staff: Any) -> list[Any]:
    """n closed ballots with `per` members' answers, inserted in bulk (bench rows: signatures not real)."""
    import random

    from django.db import transaction
    from django.utils import timezone

    from govoffice.cabinet.models import Answer, Ballot, BallotMember, BallotState, Question
    from govoffice.cabinet.tally import DEFAULT_OPTIONS
    from govoffice.signing.people import current_key

    members = _members("bench-batch-", per, keys=False)
    key = current_key(staff)
    if key is None:
        from govoffice.signing.people import issue_signer_key

        key = issue_signer_key(actor=None, user=staff)
    cert = key.certificate
    rng = random.Random(7)
    now = timezone.now()
    with transaction.atomic():
        for start in range(0, n, 1000):
            chunk = [Ballot(title=f"Phiếu {i}", deadline=now, options=[dict(o) for o in DEFAULT_OPTIONS], state=BallotState.OPEN, opened_at=now,
                            prime_minister=members[0]) for i in range(start, min(n, start + 1000))]
            Ballot.objects.bulk_create(chunk)
            questions = [Question(ballot=b, order=1, text="?") for b in chunk]
            Question.objects.bulk_create(questions)
            seats, answers = [], []
            for b, q in zip(chunk, questions, strict=True):
                for m in members:
                    seats.append(BallotMember(ballot=b, member=m, notified_at=now, answered_at=now))
                    option = rng.choices(("agree", "disagree", "other"), (80, 12, 8))[0]
                    answers.append(Answer(ballot=b, member=m, choices={str(q.pk): {"option": option, "comment": ""}}, payload="{}", signature="x",
                                          certificate=cert, answered_at=now))
            BallotMember.objects.bulk_create(seats, batch_size=5000)
            Answer.objects.bulk_create(answers, batch_size=5000)
            log(f"batch: {min(n, start + 1000):,}/{n:,} ballots inserted")
    return members


def _tally_batch(n: int, per: int, staff: Any) -> dict[str, Any]:
    from django.db import connection

    from govoffice.cabinet.models import Answer, Ballot, BallotMember, BallotState
    from govoffice.cabinet.tally import DEFAULT_OPTIONS, tally_ballot

    t0 = time.perf_counter()
    _seed_batch(n, per, staff)
    insert_s = time.perf_counter() - t0

    def live() -> dict[int, Any]:
        ballots = {b.pk: b for b in Ballot.objects.filter(state=BallotState.OPEN, title__startswith="Phiếu ").exclude(title="Phiếu 30 thành viên")
                   .only("pk", "options", "non_answer", "prime_minister_id")}
        seats: dict[int, list[int]] = {}
        for ballot_id, member_id in BallotMember.objects.filter(ballot_id__in=list(ballots)).values_list("ballot_id", "member_id").iterator(chunk_size=20000):
            seats.setdefault(ballot_id, []).append(member_id)
        votes: dict[int, dict[int, dict[str, str]]] = {}
        for ballot_id, member_id, choices in Answer.objects.filter(ballot_id__in=list(ballots), current=True).values_list(
                "ballot_id", "member_id", "choices").iterator(chunk_size=20000):
            votes.setdefault(ballot_id, {})[member_id] = {k: v["option"] for k, v in choices.items()}
        out = {}
        for pk, b in ballots.items():
            given = votes.get(pk, {})
            qs = list(next(iter(given.values()), {}).keys())
            out[pk] = tally_ballot(members=seats.get(pk, []), questions=qs, answers=given, options=b.options, non_answer=b.non_answer,
                                   prime_minister=b.prime_minister_id)
        return out

    t0 = time.perf_counter()
    results = live()
    live_s = time.perf_counter() - t0
    adopted = sum(1 for r in results.values() if r["adopted"])
    # the count alone, on the same answers already in memory
    mem = [([m for m in range(per)], {m: {"1": ("agree" if (i + m) % 9 else "disagree")} for m in range(per)}) for i in range(n)]
    t0 = time.perf_counter()
    for members, answers in mem:
        tally_ballot(members=members, questions=["1"], answers=answers, options=DEFAULT_OPTIONS, prime_minister=0)
    count_s = time.perf_counter() - t0
    table = Answer._meta.db_table
    sql = f"SELECT ballot_id, choices, COUNT(*) FROM {table} WHERE current = %s GROUP BY ballot_id, choices"  # noqa: S608
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(sql, [True])
        rows = len(cur.fetchall())
    sql_s = time.perf_counter() - t0
    return {"ballots": len(results), "members_each": per, "answers": len(results) * per, "insert_seconds": round(insert_s, 1),
            "live_read_and_count_seconds": round(live_s, 3), "ballots_per_second": round(len(results) / live_s, 1),
            "count_only_in_memory_seconds": round(count_s, 3), "bare_sql_group_by_seconds": round(sql_s, 3), "bare_sql_groups": rows,
            "adopted": adopted, "ratio_live_over_bare_sql": round(live_s / sql_s, 2) if sql_s else None}


def _page_data(clients: int, open_ballots: int, staff: Any) -> list[str]:
    from django.utils import timezone

    from govoffice.cabinet.services import ballots as flow
    from govoffice.cabinet.services import meetings as mflow

    members = _members("bench-tv-", clients, keys=False)
    names = [m.username for m in members]
    for i in range(open_ballots):
        b = flow.create_ballot(actor=staff, data=flow.BallotIn(title=f"Phiếu lấy ý kiến số {i + 1} về dự thảo Nghị định",
                                                               questions=["Đồng ý?"], deadline=timezone.now() + dt.timedelta(days=5 + i)))
        flow.open_ballot(actor=staff, ballot=b, members=names)
    for i in range(3):
        mflow.create_meeting(actor=staff, data=mflow.MeetingIn(kind="regular", title=f"Phiên họp {i + 1}", starts_at=timezone.now() + dt.timedelta(days=3 + i),
                                                               place="Hà Nội", chair=names[0], members=names))
    return names


def _page_phase(url: str, names: list[str], duration: float) -> Any:
    import threading

    handout = iter(names)
    lock = threading.Lock()

    def setup() -> Any:
        with lock:
            name = next(handout)
        client = http_client(url)
        if not sign_in(client, name):
            client.close()
            raise RuntimeError(f"{name} cannot sign in")
        return client

    return drive(lambda c: c.get("/cabinet/").status_code == 200, threads=len(names), duration=duration, setup=setup, teardown=lambda c: c.close())


def _page_inprocess(name: str, duration: float) -> dict[str, Any]:
    from django.test import Client

    from govoffice.directory.models import User

    client = Client()
    client.force_login(User.objects.get(username=name), backend="django.contrib.auth.backends.ModelBackend")
    body = client.get("/cabinet/")
    if body.status_code != 200:
        raise RuntimeError("the in-process pending page is not 200")
    return drive(lambda c: c.get("/cabinet/").status_code == 200, threads=1, duration=duration, setup=lambda: client).summary()


def run(args: argparse.Namespace) -> dict[str, Any]:
    if args.clients < 1 or args.duration <= 0 or args.batch < 1:
        raise SystemExit("--clients and --batch must be at least 1 and --duration positive")
    with Site(reuse_database=args.reuse_database, keep=args.keep) as site:
        site.setup_django()
        from django.db import connections

        staff = _staff()
        log("tally of one 30-member ballot")
        one = _tally_one(staff, _members("bench-m30-", 30, keys=True), args.repeat)
        log(f"tally of {args.batch:,} ballots in a batch")
        batch = _tally_batch(args.batch, args.batch_members, staff)
        log(f"pending page: {args.clients} members, {args.open_ballots} open ballots each")
        names = _page_data(args.clients, args.open_ballots, staff)
        connections.close_all()
        with site.serve(workers=args.workers, threads=args.threads) as server:
            with http_client(server.url) as warm:
                if not sign_in(warm, names[0]):
                    raise RuntimeError(f"cannot sign in: {server.log_tail()}")
                for _ in range(20):
                    warm.get("/cabinet/")
            page = _page_phase(server.url, names, args.duration).summary()
        inprocess = _page_inprocess(names[0], min(args.duration, 10.0))
    return {
        "tally_one_ballot_30_members": one,
        "tally_batch": batch,
        "pending_page": {"clients": args.clients, "open_ballots_each": args.open_ballots, "http": page, "inprocess_one_thread": inprocess,
                         "ratio_http_per_inprocess": round(page["per_second"] / inprocess["per_second"], 2) if inprocess["per_second"] else None},
        "notes": [
            "tally_one.live_compute_result reads the ballot's seats and current answers and applies the rule; the bare SQL only groups the answers.",
            "tally_batch's answers are bench rows (signatures not real): the tally never reads signatures.",
            "the pending page is the member's phone page /cabinet/: open ballots not yet answered plus coming meetings.",
            json.dumps({"workers": args.workers, "threads": args.threads}),
        ],
    }
