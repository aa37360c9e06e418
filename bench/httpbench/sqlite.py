"""SQLite's own rate on a read endpoint's SQL, with Python's sqlite3 module (the C library, each
statement prepared once and cached, as diesel does).

The server has no statement log on SQLite, so the statements are PostgreSQL's captures from the
same run (diesel builds both from the same query), turned into SQLite's dialect: `$n` becomes
`?`, `= ANY($n)` an `IN (?, ...)` of the array's values, `t`/`f` 1/0. The values are mapped to
this database's: the dataset is generated with the same seeds on both, so the k-th placement or
applicant of one is the k-th of the other; a captured id that cannot be mapped stops the run.
Each worker process runs the statements of one request, again and again, in one read
transaction, as the server does; the rate is requests a second over all workers."""

import multiprocessing
import re
import sqlite3
import time

from .load import percentile


def translate(stmts, mapping):
    """[(sql, [values])] for SQLite from [(sql, {n: value})] captured on PostgreSQL."""
    out = []
    for sql, params in stmts:
        if sql in ("BEGIN", "COMMIT"):
            continue
        values = []

        def value(v):
            if v is None:
                return None
            if v in mapping:
                return mapping[v]
            if re.match(r"^[0-9a-f]{8}-[0-9a-f]{4}-", v):
                raise SystemExit(f"bench/http: no SQLite counterpart for {v} in {sql[:120]}")
            if v in ("t", "f"):
                return 1 if v == "t" else 0
            return v

        def any_array(m):
            items = params[int(m.group(1))].strip("{}")
            items = [i.strip('"') for i in items.split(",")] if items else []
            values_here = [value(i) for i in items]
            placeholders = ", ".join("?" for _ in values_here)
            return f" IN ({placeholders})", values_here

        pieces, pos = [], 0
        for m in re.finditer(r" = ANY\(\$(\d+)\)|\$(\d+)\b", sql):
            pieces.append(sql[pos:m.start()])
            if m.group(1):
                text, vals = any_array(m)
                pieces.append(text)
                values += vals
            else:
                pieces.append("?")
                values.append(value(params[int(m.group(2))]))
            pos = m.end()
        pieces.append(sql[pos:])
        text = "".join(pieces)
        # PostgreSQL's compound SELECT puts each side in brackets; SQLite's takes none.
        m = re.match(r"^\((SELECT .*)\) UNION ALL \((SELECT .*)\)$", text)
        if m:
            text = f"{m.group(1)} UNION ALL {m.group(2)}"
        out.append((text, values))
    return out


def rows(db, stmts):
    """How many rows each statement returns (to check the translation finds what the server did)."""
    conn = sqlite3.connect(db)
    try:
        return [len(conn.execute(sql, values).fetchall()) for sql, values in stmts]
    finally:
        conn.close()


def _worker(db, stmts, seconds, interval, start_at, queue):
    conn = sqlite3.connect(db, isolation_level=None, cached_statements=64)
    conn.execute("PRAGMA busy_timeout = 5000")
    latencies, done = [], 0
    while time.monotonic() < start_at:
        time.sleep(0.001)
    end = start_at + seconds
    slot = time.monotonic()
    while True:
        now = time.monotonic()
        if now >= end:
            break
        if interval:
            slot = max(slot + interval, now)
            if slot > now:
                time.sleep(slot - now)
        t0 = time.monotonic()
        conn.execute("BEGIN")
        for sql, values in stmts:
            conn.execute(sql, values).fetchall()
        conn.execute("COMMIT")
        latencies.append((time.monotonic() - t0) * 1000)
        done += 1
    conn.close()
    queue.put((done, latencies))


def run(db, stmts, workers, seconds, rate=None):
    """Requests a second of `workers` processes for `seconds`; at a set `rate`, their latencies."""
    queue = multiprocessing.Queue()
    interval = workers / rate if rate else None
    start_at = time.monotonic() + 0.5
    procs = [multiprocessing.Process(target=_worker, args=(db, stmts, seconds, interval, start_at, queue))
             for _ in range(workers)]
    for p in procs:
        p.start()
    results = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    total = sum(n for n, _ in results)
    latencies = sorted(x for _, lat in results for x in lat)
    return {"rate": total / seconds, "p50_ms": percentile(latencies, 50), "p99_ms": percentile(latencies, 99)}
