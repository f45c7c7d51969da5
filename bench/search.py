"""Search over a million registered documents: p50/p95, registrations/s, numbers/s, one database.

`python -m bench search [--rows 1000000] [--postgres]` (PostgreSQL: DATABASE_URL, or the local
default; a fresh database unless --reuse-database). Phases, in one process:
  corpus    demo-like documents made from word lists (bench/_search_corpus.py) in parallel,
            kept as TSV under --cache-dir for the next run and the other database;
  bulk      the documents straight into SearchEntry and its full-text index (SQLite: the FTS5
            triggers; PostgreSQL: COPY, then the GIN index built): registrations per second in
            bulk. SQLite's loaded file is cached too (keyed by corpus, loader and migrations);
  search    --queries varied queries (words common and rare, with and without diacritics,
            prefixes as typed, numbers and notations, filters, other orders), each through
            records.search.search as the office's specialist (clearance 0; a fifth as a
            leader cleared for everything), --repeat times after a warm-up: p50/p95/max, wall
            and this thread's CPU, overall and per class; a digest of every answer (count and
            ids), equal on both databases when the corpus is;
  register  --register paper documents through records.services.incoming.register_paper (number,
            audit event, search entry): registrations per second through the services;
  numbers   --issuers threads, each taking numbers with records.services.numbering.next_number in
            its own transaction (one in twenty rolled back on purpose): numbers per second, and
            the numbers kept checked for gaps and duplicates.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import statistics
import threading
import time
from pathlib import Path
from typing import Any

from bench import _search_load as load
from bench._search_corpus import DISTRICTS, OTHER_CODE, PEOPLE, PROJECTS, TOPICS, Corpus
from bench.common import Site, log, percentile

DEFAULT_PG = "postgres://govoffice:govoffice@127.0.0.1:5432/govoffice"
TARGET_P95_MS = 50.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rows", type=int, default=1_000_000, help="documents to load in bulk")
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--queries", type=int, default=300, help="distinct queries to time")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each query")
    parser.add_argument("--register", type=int, default=2000, help="documents through register_paper")
    parser.add_argument("--issuers", type=int, default=50, help="concurrent number issuers (threads)")
    parser.add_argument("--numbers-each", type=int, default=40, help="numbers each issuer keeps")
    parser.add_argument("--postgres", action="store_true", help=f"PostgreSQL: DATABASE_URL, else {DEFAULT_PG}")
    parser.add_argument("--cache-dir", type=Path, default=Path("/tmp/govoffice-bench-search"))  # noqa: S108  (a cache)
    parser.add_argument("--no-cache", action="store_true", help="make the corpus and load it again")
    parser.add_argument(
        "--reuse-database", action="store_true",
        help="with PostgreSQL: the given database as it is (not loaded again when it holds --rows entries)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary data dir")


def run(args: argparse.Namespace) -> dict[str, Any]:
    if args.postgres and not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = DEFAULT_PG
    if not args.postgres:
        os.environ.pop("DATABASE_URL", None)
    cache = args.cache_dir
    if args.no_cache:
        shutil.rmtree(cache, ignore_errors=True)
    corpus_path, corpus_s = load.corpus_file(cache, args.rows, args.seed)
    with Site(reuse_database=args.reuse_database, keep=args.keep) as site:
        vendor = "postgresql" if args.postgres else "sqlite"
        cached_db = cache / f"loaded-{args.rows}-{args.seed}-{load.cache_key(args.rows, args.seed)}.sqlite3"
        reused = vendor == "sqlite" and cached_db.exists()
        loaded_pg = vendor == "postgresql" and args.reuse_database and _loaded_rows(site) >= args.rows
        if reused:
            log(f"sqlite: reusing the loaded database {cached_db}")
            target = site.data_dir / "govoffice.sqlite3"
            for suffix in ("-wal", "-shm"):
                Path(str(target) + suffix).unlink(missing_ok=True)
            shutil.copyfile(cached_db, target)
        site.setup_django()
        people = _people()
        if loaded_pg:
            _forget_earlier_registrations(people)
        ids = load.Ids(people["agency_ids"], people["handler_ids"], Corpus(args.seed).agencies)
        if reused:
            bulk: dict[str, Any] = {"rows": args.rows, "reused_cached_database": str(cached_db)}
        elif loaded_pg:
            log(f"postgresql: the given database already holds {args.rows:,} entries or more: not loaded again")
            bulk = {"rows": args.rows, "reused_loaded_database": True}
        else:
            log(f"{vendor}: loading {args.rows:,} entries in bulk")
            bulk = (load.load_postgres if vendor == "postgresql" else load.load_sqlite)(corpus_path, ids, args.rows)
            if vendor == "sqlite":
                _save_sqlite(site.data_dir / "govoffice.sqlite3", cached_db)
        bulk["corpus_made_s"] = round(corpus_s, 1) if corpus_s is not None else "cached"
        queries = _queries(args.queries, args.seed, corpus_path, people)
        log(f"search: {len(queries)} queries x {args.repeat}")
        searched = _measure(queries, people, args.repeat)
        log(f"register_paper: {args.register} documents")
        registered = _register(people, args.register)
        log(f"numbers: {args.issuers} issuers")
        numbers = _numbers(people, args.issuers, args.numbers_each)
        sizes = _sizes(vendor)
    return {
        "database": vendor,
        "rows": args.rows,
        "bulk": bulk,
        "search": searched,
        "register_paper": registered,
        "numbers": numbers,
        "sizes_mb": sizes,
        "target": {"search_p95_ms": TARGET_P95_MS, "met": searched["all"]["p95_ms"] < TARGET_P95_MS},
        "notes": [
            "Latencies are records.search.search in this process: one page of 20, the count "
            f"(exact up to {_count_limit()}), facets, relevance; the reader's visibility in the SQL.",
            "cpu_ms is this thread's CPU time: Python and, on SQLite, the database's work too; on PostgreSQL "
            "the server's work is not in it. On a loaded machine compare cpu_ms, and the load averages.",
            "answers_digest hashes every query's count and result ids: the same corpus gives the same digest "
            "on SQLite and PostgreSQL when both return the same results.",
        ],
    }


def _loaded_rows(site: Site) -> int:
    """Search entries already in the given database (--reuse-database: a loaded one is kept)."""
    site.setup_django()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM records_searchentry")
        return int(cursor.fetchone()[0])


def _forget_earlier_registrations(people: dict[str, Any]) -> None:
    """A reused database: take the documents an earlier run's register phase added out of
    search, so every run searches the same corpus (they are dated now, far past its end)."""
    from govoffice.records.models import Incoming, SearchEntry

    earlier = Incoming.objects.filter(registered_by=people["clerk"]).values("pk")
    gone, _ = SearchEntry.objects.filter(kind="incoming", object_id__in=earlier).delete()
    if gone:
        log(f"postgresql: {gone:,} entries of an earlier run's register phase taken out of search")


def _count_limit() -> int:
    from govoffice.records.search import COUNT_LIMIT

    return COUNT_LIMIT


def _save_sqlite(db: Path, cached: Path) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    tmp = cached.with_suffix(".part")
    shutil.copyfile(db, tmp)
    tmp.rename(cached)
    log(f"sqlite: cached the loaded database as {cached}")


# ---- people and agencies ------------------------------------------------------------------


def _people() -> dict[str, Any]:
    """The directory's agencies, 200 handlers, a reader, a leader and a clerk (idempotent)."""
    from govoffice.directory.models import Agency, RoleGrant, User
    from govoffice.directory.services import create_user, import_agencies

    if not Agency.objects.filter(code=OTHER_CODE).exists():
        import_agencies(load.ROOT.joinpath("govoffice/directory/data/agencies.csv").read_text(encoding="utf-8"))
    office = Agency.objects.get(code="000.00.00.G22")

    def person(username: str, roles: list[str], clearance: int = 0) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = create_user(actor=None, username=username, password=None, agency=office, roles=roles,
                               clearance=clearance, full_name=username)
        for role in roles:
            RoleGrant.objects.get_or_create(user=user, role=role)
        return user

    handlers = [person(f"bench-handler-{i:03d}", ["specialist"]).pk for i in range(200)]
    return {
        "office": office,
        "agency_ids": dict(Agency.objects.values_list("code", "pk")),
        "handler_ids": handlers,
        "reader": person("bench-reader", ["specialist"]),
        "leader": person("bench-leader", ["office_leader"], clearance=3),
        "clerk": person("bench-clerk", ["clerk"], clearance=3),
    }


# ---- queries --------------------------------------------------------------------------------


def _queries(n: int, seed: int, corpus_path: Path, people: dict[str, Any]) -> list[dict[str, Any]]:
    """Varied queries, each with its classes: what people type into a register's search."""
    import datetime as dt

    from govoffice.lib.vntext import fold
    from govoffice.records.search import Filters

    rng = random.Random(seed + 1)
    notations = _sample_notations(corpus_path, rng, 40)
    common = ["quyết định", "ngân sách nhà nước", "triển khai", "báo cáo", "căn cứ", "chính phủ",
              "đầu tư công", "ủy ban nhân dân", "thủ tướng", "kế hoạch"]
    mid = ["Cà Mau", "Nghệ An", "xâm nhập mặn", "biến đổi khí hậu", "chuyển đổi số", "an toàn giao thông",
           "giải phóng mặt bằng", "nhà ở xã hội", "Đà Nẵng", "sân bay Long Thành", "điện gió ngoài khơi"]
    rare = [*DISTRICTS[:12], *[p.split(" ", 1)[1] for p in PEOPLE[:8]], *[p.replace("dự án ", "") for p in PROJECTS[:6]],
            "xyzzy quyết định", "Cửa Lò tàu cá", "Ka Pét"]
    typing = ["quyết đị", "ngân sá", "chuyển đổi s", "biến đổi khí hậ", "giải ngâ", "phòng cháy chữa ch", "tinh giả",
              "Đống Đ", "ngh", "thủ tướng chính ph"]
    topics = rng.sample(TOPICS, 20)
    people_ids = people["handler_ids"]
    plain: list[tuple[str, list[str]]] = []
    for words in common:
        plain += [(words, ["common", "diacritics"]), (fold(words), ["common", "no_diacritics"])]
    for words in mid + topics:
        plain += [(words, ["mid", "diacritics"]), (fold(words), ["mid", "no_diacritics"])]
    for words in rare:
        plain += [(words, ["rare", "diacritics"]), (fold(words), ["rare", "no_diacritics"])]
    for words in typing:
        plain += [(words, ["prefix", "diacritics"]), (fold(words), ["prefix", "no_diacritics"])]
    for notation in notations:
        plain.append((notation, ["number"]))
    out: list[dict[str, Any]] = [{"q": q, "filters": None, "sort": "", "classes": c, "leader": False} for q, c in plain]
    years = list(range(2019, 2026))
    while len(out) < n:
        q, classes = rng.choice(plain)
        roll = rng.random()
        f = Filters()
        if roll < 0.2:
            f.doc_type = rng.choice(["QĐ", "CV", "BC", "TTr", "GM", "CĐ", "GGT"])
        elif roll < 0.35:
            year = rng.choice(years)
            month = rng.randint(1, 12)
            f.date_from = dt.date(year, month, 1)
            f.date_to = f.date_from + dt.timedelta(days=rng.choice([7, 30, 90]))
        elif roll < 0.45:
            f.urgency = rng.choice([1, 2, 3])
        elif roll < 0.55:
            f.kind = rng.choice(["incoming", "outgoing"])
            f.state = rng.choice(["done", "processing"]) if f.kind == "incoming" else "issued"
        elif roll < 0.62:
            f.handler_id = rng.choice(people_ids)
        elif roll < 0.7:
            f.sender = rng.choice(["000.00.00.G12", "000.00.00.H41", "000.00.00.G03"])
        elif roll < 0.8:
            q, classes = "", ["browse"]
            f.doc_type = rng.choice(["QĐ", "TTr", "GM"])
            f.date_from = dt.date(rng.choice(years), rng.randint(1, 12), 1)
            f.date_to = f.date_from + dt.timedelta(days=30)
        else:
            sort = rng.choice(["-date", "date", "number"])
            out.append({"q": q, "filters": None, "sort": sort, "classes": [*classes, "sorted"], "leader": rng.random() < 0.2})
            continue
        out.append({"q": q, "filters": f, "sort": "", "classes": [*classes, "filters"], "leader": rng.random() < 0.2})
    rng.shuffle(out)
    return out[:n]


def _sample_notations(path: Path, rng: random.Random, n: int) -> list[str]:
    size = path.stat().st_size
    out: list[str] = []
    with path.open("rb") as fh:
        while len(out) < n:
            fh.seek(rng.randrange(max(1, size - 4096)))
            fh.readline()
            line = fh.readline().decode("utf-8")
            if line:
                out.append(line.split("\t")[3])
    return out


def _measure(queries: list[dict[str, Any]], people: dict[str, Any], repeat: int) -> dict[str, Any]:
    from govoffice.records.search import search

    samples: list[tuple[list[str], float, float]] = []
    digest = hashlib.sha256()
    for spec in queries:
        user = people["leader"] if spec["leader"] else people["reader"]
        found = search(user, spec["q"], spec["filters"], sort=spec["sort"])  # warm-up, and the answer
        digest.update(f"{spec['q']}|{found.count}|{found.count_exact}|{[e.pk for e in found.entries]}".encode())
        for _ in range(repeat):
            t0, c0 = time.perf_counter(), time.thread_time()
            search(user, spec["q"], spec["filters"], sort=spec["sort"])
            samples.append((spec["classes"], (time.perf_counter() - t0) * 1000, (time.thread_time() - c0) * 1000))
    classes = sorted({c for s in samples for c in s[0]})
    out: dict[str, Any] = {"all": _stats([s[1] for s in samples], [s[2] for s in samples])}
    out["by_class"] = {
        c: _stats([s[1] for s in samples if c in s[0]], [s[2] for s in samples if c in s[0]]) for c in classes
    }
    out["queries"] = len(queries)
    out["repeat"] = repeat
    out["answers_digest"] = digest.hexdigest()[:16]
    slowest = sorted(
        ((statistics.median(t for cl, t, _ in samples[i * repeat:(i + 1) * repeat]), q) for i, q in enumerate(queries)),
        key=lambda x: -x[0],
    )[:8]
    out["slowest"] = [
        {"ms": round(ms, 1), "q": q["q"], "sort": q["sort"], "filters": _filters_text(q["filters"]), "classes": q["classes"]}
        for ms, q in slowest
    ]
    return out


def _filters_text(f: Any) -> str:
    if f is None:
        return ""
    return ", ".join(f"{k}={v}" for k, v in vars(f).items() if v not in ("", None))


def _stats(wall: list[float], cpu: list[float]) -> dict[str, Any]:
    wall, cpu = sorted(wall), sorted(cpu)
    return {
        "n": len(wall),
        "p50_ms": round(percentile(wall, 50), 2),
        "p95_ms": round(percentile(wall, 95), 2),
        "max_ms": round(max(wall), 2),
        "p50_cpu_ms": round(percentile(cpu, 50), 2),
        "p95_cpu_ms": round(percentile(cpu, 95), 2),
    }


# ---- registrations through the services, numbers under contention -------------------------------


def _register(people: dict[str, Any], n: int) -> dict[str, Any]:
    from govoffice.records.services.incoming import PaperDocument, register_paper

    corpus = Corpus(7)
    docs = list(corpus.docs(n))
    t0, c0 = time.perf_counter(), time.process_time()
    for d in docs:
        register_paper(actor=people["clerk"], agency=people["office"], doc=PaperDocument(
            sender_name=corpus.agencies[d.sender_index].name, subject=d.subject, number_notation=d.number_notation,
            doc_type=d.doc_type, urgency=d.urgency, confidentiality=d.confidentiality, note=d.body[:500],
        ))
    elapsed = time.perf_counter() - t0
    return {
        "documents": n,
        "seconds": round(elapsed, 1),
        "registrations_per_second": round(n / elapsed, 1),
        "cpu_ms_each": round((time.process_time() - c0) * 1000 / n, 2),
    }


def _numbers(people: dict[str, Any], issuers: int, each: int) -> dict[str, Any]:
    from django.db import connection, transaction

    from govoffice.records.services.numbering import next_number

    office = people["office"]
    key = f"bench-{int(time.time())}"
    kept: list[int] = []
    rolled_back = [0]
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(issuers)

    class GiveBack(Exception):
        pass

    def issuer(i: int) -> None:
        rng = random.Random(i)
        mine: list[int] = []
        try:
            start.wait()
            while len(mine) < each:
                try:
                    with transaction.atomic():
                        _, number = next_number(office, 2099, key)
                        if rng.random() < 0.05:
                            raise GiveBack  # a failed issue: the number goes back to the series
                    mine.append(number)
                except GiveBack:
                    with lock:
                        rolled_back[0] += 1
        except Exception as exc:  # reported in the figures, never hidden
            with lock:
                errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            with lock:
                kept.extend(mine)
            connection.close()

    threads = [threading.Thread(target=issuer, args=(i,)) for i in range(issuers)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    unique = set(kept)
    expected = set(range(1, len(kept) + 1))
    return {
        "issuers": issuers,
        "numbers_kept": len(kept),
        "rolled_back": rolled_back[0],
        "seconds": round(elapsed, 2),
        "numbers_per_second": round(len(kept) / elapsed, 1),
        "duplicates": len(kept) - len(unique),
        "gaps": len(expected - unique),
        "beyond": len(unique - expected),
        "errors": errors[:5],
    }


def _sizes(vendor: str) -> dict[str, float]:
    from django.db import DatabaseError, connection

    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(
                "SELECT pg_total_relation_size('records_searchentry'), pg_relation_size('records_searchentry_fts'), "
                "pg_relation_size('records_searchentry')"
            )
            total, gin, heap = cursor.fetchone()
            return {"table_and_indexes": round(total / 1e6), "gin_index": round(gin / 1e6), "table": round(heap / 1e6)}
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_size")
        out = {"database_file": round(pages * cursor.fetchone()[0] / 1e6)}
        try:  # dbstat is compiled into most SQLite builds, not all
            cursor.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'records_searchentry_fts%'")
            out["fts5_index"] = round((cursor.fetchone()[0] or 0) / 1e6)
        except DatabaseError:
            pass
        return out
