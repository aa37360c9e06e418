"""PostgreSQL's side: databases, the statements a request sends (from the server log, with
log_statement = 'all' on the benchmark's database), and pgbench scripts made from them."""

import os
import re
import subprocess
import time

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def psql(url, sql):
    # On standard input: a statement with thousands of values is longer than an argument may be.
    out = subprocess.run(["psql", url, "-qAtX", "-v", "ON_ERROR_STOP=1"], input=sql, capture_output=True, text=True,
                         env=dict(os.environ, PGOPTIONS="-c client_min_messages=warning"))
    if out.returncode != 0:
        raise SystemExit(f"bench/http: psql: {sql[:200]}: {out.stderr}")
    return out.stdout


def capture(log_path, db, send):
    """The log lines of `db` written while `send()` runs: one request's statements."""
    offset = os.path.getsize(log_path)
    send()
    time.sleep(0.5)  # the log is written by another process: let it catch up
    with open(log_path, "rb") as f:
        f.seek(offset)
        text = f.read().decode("utf-8", "replace")
    return [line for line in text.splitlines() if f"@{db} " in line]


def statements(lines):
    """[(sql, {n: value or None})] from the log lines of a capture."""
    out = []
    for line in lines:
        m = re.search(r" LOG:  (?:statement|execute [^:]*): (.*)$", line)
        if m:
            out.append((m.group(1), {}))
            continue
        if re.search(r" LOG:  ", line):
            out.append(("", {}))  # another message, so its DETAIL is not taken for the last statement's
            continue
        m = re.search(r" DETAIL:  parameters: (.*)$", line)
        if m and out:
            for n, value in re.findall(r"\$(\d+) = ('(?:[^']|'')*'|NULL)", m.group(1)):
                out[-1][1][int(n)] = None if value == "NULL" else value[1:-1].replace("''", "'")
    # The server reads the sandbox clock from the database every second or so, whatever it is
    # serving: those reads are not the request's.
    out = [(sql, params) for sql, params in out if sql and '"service_clock"' not in sql]
    if not out:
        raise SystemExit("bench/http: no statements captured (is log_statement honoured, and PG_LOG the right log?)")
    return out


def count(stmts):
    return sum(1 for sql, _ in stmts if sql not in ("BEGIN", "COMMIT"))


def write_script(stmts, out, per_transaction=None, fresh_values=()):
    """Writes a pgbench script (`out`.sql) and its -D variables (returned): each statement as
    captured, its parameters `$n` replaced by pgbench variables of the same values, NULLs inline.

    For writes, `per_transaction` is (a \\gset query run first, {captured value: its column}):
    each captured value the request took from its caller (the applicant, the placement, the offer)
    becomes that column, a row of a pool of fresh ones. Every id the request made (a uuid first
    seen in an INSERT) and every value in `fresh_values` (the ticket) becomes a new random uuid, so
    each transaction writes rows of its own, as each request does."""
    pool_query, taken = per_transaction or (None, {})
    fresh = {}
    for sql, params in stmts:
        if sql.lstrip().upper().startswith("INSERT"):
            for value in params.values():
                if value and (UUID.match(value) or value in fresh_values) and value not in taken:
                    fresh.setdefault(value, f"fresh{len(fresh) + 1}")
    variables, lines = [], []
    if per_transaction or fresh:
        news = ", ".join(f"gen_random_uuid()::text AS {name}" for name in fresh.values())
        if pool_query:
            lines.append(pool_query.replace("{fresh}", (", " + news) if news else "") + " \\gset")
        elif news:
            lines.append(f"SELECT {news} \\gset")
    for k, (sql, params) in enumerate(stmts, 1):
        def param(m):
            n = int(m.group(1))
            value = params.get(n)
            if value is None:
                return "NULL"
            if value == "":  # pgbench -D takes no empty value
                return "''"
            if value in taken:
                return f":{taken[value]}"
            if value in fresh:
                return f":{fresh[value]}"
            inner = value[1:-1] if value.startswith("{") and value.endswith("}") else None
            if inner and (inner in taken or inner in fresh):  # an array of that one id
                return f"ARRAY[:{taken.get(inner) or fresh[inner]}]::text[]"
            variables.append(f"s{k}_{n}={value}")
            return f":s{k}_{n}"

        lines.append(re.sub(r"\$(\d+)\b", param, sql) + ";")
    with open(out + ".sql", "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return variables, len(fresh)
