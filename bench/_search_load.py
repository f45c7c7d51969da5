"""Bulk loading for the search benchmark: corpus documents straight into SearchEntry and its
full-text index, without the services (those are timed separately with register_paper).

The corpus is made in parallel chunks (bench/_search_corpus.py) and kept as a TSV under the
cache directory, so a second run, or the other database, reads it instead of making it again.
SQLite inserts through the FTS5 triggers in one transaction; PostgreSQL COPYs the rows with
its GIN index dropped and builds the index afterwards (the usual way to load in bulk), and the
two times are reported apart.
"""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench._search_corpus import CORPUS_VERSION, OFFICE_CODE, OTHER_CODE, Corpus, Doc
from bench.common import ROOT, log

CHUNK = 25_000
KEY_BASE_OBJECT = 1_000_000_000  # bulk entries point at no record: object ids far from real ones
FIELDS = (
    "id", "kind", "object_id", "agency_id", "confidentiality", "doc_type", "state", "urgency", "date",
    "sender_id", "sender_name", "handler_id", "number", "number_notation", "subject", "head", "folded",
)


def cache_key(rows: int, seed: int) -> str:
    """For a loaded database: changes whenever the corpus, the loader or any migration does."""
    h = hashlib.sha256(f"{rows}:{seed}:{CORPUS_VERSION}".encode())
    sources = [ROOT / "bench/_search_load.py", *sorted((ROOT / "govoffice").glob("*/migrations/*.py"))]
    for path in sources:
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _chunk(args: tuple[int, int, int, int]) -> list[tuple[Any, ...]]:
    seed, total, start, count = args
    corpus = Corpus(seed)
    return [_row(d) for d in corpus.docs(total, start, count)]


def _row(d: Doc) -> tuple[Any, ...]:
    return (d.kind, d.doc_type, d.number, d.number_notation, d.subject, d.sender_index, d.head, d.folded,
            d.urgency, d.confidentiality, d.state, d.date.isoformat(), d.handler_index, int(d.other_agency))


def corpus_file(cache_dir: Path, rows: int, seed: int) -> tuple[Path, float | None]:
    """The corpus as TSV (made now, in parallel, if not cached); and how long making it took."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / f"corpus-{rows}-{seed}-v{CORPUS_VERSION}.tsv"
    if path.exists():
        log(f"corpus: reusing {path}")
        return path, None
    log(f"corpus: making {rows:,} documents")
    t0 = time.perf_counter()
    tmp = path.with_suffix(".part")
    jobs = [(seed, rows, start, min(CHUNK, rows - start)) for start in range(0, rows, CHUNK)]
    with tmp.open("w", encoding="utf-8") as out, multiprocessing.get_context("fork").Pool(os.cpu_count() or 2) as pool:
        for done, chunk in enumerate(pool.imap(_chunk, jobs), 1):
            out.writelines("\t".join(str(v) for v in row) + "\n" for row in chunk)
            if done % 8 == 0:
                log(f"corpus: {done * CHUNK:,} documents")
    tmp.rename(path)
    return path, time.perf_counter() - t0


class Ids:
    """The database ids the corpus's indexes stand for (agencies, handlers, the two owners)."""

    def __init__(self, agency_ids: dict[str, int], handler_ids: list[int], agencies: list[Any]) -> None:
        self.sender = [agency_ids[a.code] for a in agencies]
        self.sender_name = [a.name for a in agencies]
        self.handler = handler_ids
        self.office = agency_ids[OFFICE_CODE]
        self.other = agency_ids[OTHER_CODE]


def entries(path: Path, ids: Ids, vocabulary: set[str]) -> Iterator[tuple[Any, ...]]:
    """SearchEntry rows in FIELDS order, keys made unique exactly as records.search does; the
    words they hold are added to `vocabulary` (records.SearchWord)."""
    from datetime import datetime

    from govoffice.records.search import entry_key

    last = None
    with path.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            (kind, doc_type, number, notation, subject, sender, head, folded, urgency, secret, state,
             date, handler, other) = line.rstrip("\n").split("\t")
            when = datetime.fromisoformat(date)
            key = entry_key(when)
            if last is not None and key <= last:
                key = last + 1
            last = key
            vocabulary.update(folded.split())
            s = int(sender)
            yield (
                key, kind, KEY_BASE_OBJECT + i, ids.other if other == "1" else ids.office, int(secret), doc_type,
                state, int(urgency), when, ids.sender[s], ids.sender_name[s], ids.handler[int(handler)],
                int(number), notation, subject, head, folded,
            )


def load_sqlite(path: Path, ids: Ids, rows: int) -> dict[str, Any]:
    from django.db import connection, transaction

    sql = (
        f"INSERT INTO records_searchentry ({', '.join(FIELDS)}) VALUES ({', '.join(['%s'] * len(FIELDS))})"  # noqa: S608  (constants)
    )
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    vocabulary: set[str] = set()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous = OFF")
        cursor.execute("PRAGMA cache_size = -1000000")
    with transaction.atomic(), connection.cursor() as cursor:
        batch: list[tuple[Any, ...]] = []
        done = 0
        for row in entries(path, ids, vocabulary):
            batch.append(row)
            if len(batch) == 5000:
                cursor.executemany(sql, batch)
                done += len(batch)
                batch = []
                if done % 100_000 == 0:
                    log(f"sqlite: {done:,} entries")
        if batch:
            cursor.executemany(sql, batch)
        cursor.executemany("INSERT OR IGNORE INTO records_searchword (word) VALUES (%s)", [(w,) for w in vocabulary])
    inserted = time.perf_counter() - t0
    with connection.cursor() as cursor:
        t1 = time.perf_counter()
        cursor.execute("INSERT INTO records_searchentry_fts(records_searchentry_fts) VALUES ('optimize')")
        optimize = time.perf_counter() - t1
        cursor.execute("ANALYZE")
        cursor.execute("PRAGMA synchronous = NORMAL")
    total = time.perf_counter() - t0
    return {
        "rows": rows,
        "words": len(vocabulary),
        "insert_with_fts_triggers_s": round(inserted, 1),
        "fts_optimize_s": round(optimize, 1),
        "total_s": round(total, 1),
        "cpu_s": round(time.process_time() - cpu0, 1),
        "registrations_per_second": round(rows / total),
    }


def load_postgres(path: Path, ids: Ids, rows: int) -> dict[str, Any]:
    from django.db import connection

    t0 = time.perf_counter()
    vocabulary: set[str] = set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'records_searchentry_fts'")
        (indexdef,) = cursor.fetchone()
        cursor.execute("DROP INDEX records_searchentry_fts")
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        with raw.copy(f"COPY records_searchentry ({', '.join(FIELDS)}) FROM STDIN") as copy:
            buf = io.StringIO()
            for n, row in enumerate(entries(path, ids, vocabulary), 1):
                buf.write("\t".join(_pg(v) for v in row) + "\n")
                if n % 20_000 == 0:
                    copy.write(buf.getvalue())
                    buf = io.StringIO()
                if n % 200_000 == 0:
                    log(f"postgresql: {n:,} entries copied")
            copy.write(buf.getvalue())
        cursor.executemany(
            "INSERT INTO records_searchword (word) VALUES (%s) ON CONFLICT DO NOTHING", [(w,) for w in vocabulary]
        )
        copied = time.perf_counter() - t0
        t1 = time.perf_counter()
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute(indexdef)
        indexed = time.perf_counter() - t1
        t2 = time.perf_counter()
        cursor.execute("VACUUM ANALYZE records_searchentry")
        vacuum = time.perf_counter() - t2
    total = time.perf_counter() - t0
    return {
        "rows": rows,
        "words": len(vocabulary),
        "copy_s": round(copied, 1),
        "gin_index_build_s": round(indexed, 1),
        "vacuum_analyze_s": round(vacuum, 1),
        "total_s": round(total, 1),
        "registrations_per_second": round(rows / total),
        "copy_rows_per_second": round(rows / copied),
    }


def _pg(value: Any) -> str:
    if value is None:
        return "\\N"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")
