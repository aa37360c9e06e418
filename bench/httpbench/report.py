"""The tables bench/http prints (Markdown, as docs/performance.md quotes them)."""

import statistics

from . import endpoints as E

# Issue 15's targets: the endpoint's rate as a share of the database's on the same SQL.
TARGETS = {"by-id": 0.60, "search": 0.50, "search-filtered": 0.50, "search-deep": 0.50, "apply": 0.50}


def med(runs, key="rate"):
    return statistics.median(r[key] for r in runs) if runs else None


def rng(runs, key="rate"):
    values = [r[key] for r in runs]
    return f"{min(values):,.0f}–{max(values):,.0f}"


def fmt(value, digits=0):
    return "n/a" if value is None else f"{value:,.{digits}f}"


def line(name, r):
    wex, db = med(r.get("wex", [])), med(r.get("db", []))
    text = f"  {name}: wex {fmt(wex)}/s p50 {fmt(med(r['wex'], 'p50_ms'), 1)} ms p99 {fmt(med(r['wex'], 'p99_ms'), 1)} ms"
    if db:
        text += f"; database {fmt(db)}/s; ratio {wex / db:.0%}"
    paced = r.get("paced", {})
    if paced:
        text += f"; at {paced['rate']}/s p99 wex {paced['wex']['p99_ms']:.1f} ms"
        if "db" in paced:
            text += f", database {paced['db']['p99_ms']:.1f} ms"
    return text


def tables(backends, rev, cores, load_before, load_after, clients, seconds, rounds):
    out = [f"bench/http at {rev}: {cores} cores, {clients} connections, medians of {rounds} runs of {seconds} s "
           f"(writes: until their share of the pool is used, at most {seconds} s); load average "
           f"{' '.join(load_before)} before, {' '.join(load_after)} after.", ""]
    for b in backends:
        if getattr(b, "error", None):
            out += [f"### {b.kind}: stopped: {b.error}", ""]
        d = getattr(b, "dataset", None)
        if d is None:
            continue
        out.append(f"### {b.kind}: {d.placements:,} placements, {d.applications:,} applications "
                   f"and {len(d.offers):,} offers, generated in {d.seconds:.0f} s")
        out.append("")
        out.append("| endpoint | statements | wex req/s (range) | p50 ms | p99 ms | database tx/s | wex / database "
                   "| target | half-peak rate | wex p99 ms | database p99 ms | p99 target |")
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- |")
        for name in E.READS + E.WRITES:
            r = b.results.get(name)
            if not r or not r.get("wex"):
                continue
            wex, db = med(r["wex"]), med(r.get("db", []))
            ratio = wex / db if db else None
            target = TARGETS.get(name)
            verdict = "—" if target is None or ratio is None else (
                f"≥ {target:.0%}: {'met' if ratio >= target else 'missed'}")
            paced = r["paced"]
            wex_p99, db_p99 = paced["wex"]["p99_ms"], paced.get("db", {}).get("p99_ms")
            p99_verdict = "—" if db_p99 is None else (
                f"≤ {2 * db_p99 + 10:.1f}: {'met' if wex_p99 <= 2 * db_p99 + 10 else 'missed'}")
            out.append(f"| {E.LABELS[name]} | {r.get('statements', 'n/a')} | {fmt(wex)} ({rng(r['wex'])}) "
                       f"| {fmt(med(r['wex'], 'p50_ms'), 1)} | {fmt(med(r['wex'], 'p99_ms'), 1)} | {fmt(db)} "
                       f"| {'n/a' if ratio is None else f'{ratio:.0%}'} | {verdict} | {paced['rate']:,} "
                       f"| {wex_p99:.1f} | {fmt(db_p99, 1)} | {p99_verdict} |")
        out.append("")
        for name in E.WRITES:
            c = b.results.get(name, {}).get("check")
            if c:
                out.append(f"- {E.LABELS[name]}: {c['sent']:,} sent, {c['successes']:,} successes seen, "
                           f"{c['in_database']:,} in the database (the rest of those sent were cut off by the end "
                           f"of a run, unanswered); refusals {c['refused'] or 'none'}, undocumented "
                           f"{c['undocumented'] or 'none'}.")
        m = b.memory
        if "peak_kb" in m:
            out.append(f"- Server memory: {m['idle_kb'] / 1024:.1f} MB resident when idle after start (target < 50), "
                       f"{m['peak_kb'] / 1024:.1f} MB at its highest (VmHWM; target < 200), "
                       f"{m['after_kb'] / 1024:.1f} MB at the end.")
        out.append("")
    return "\n".join(out)
