"""Load generators: wrk against the server (bench/wrk/*.lua) and pgbench against its database."""

import glob
import json
import os
import subprocess

WRK_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "wrk")


def wrk(url, script, args, threads, connections, seconds, headers=()):
    """Runs wrk; returns its report (see bench/wrk/common.lua) with `rate` added: requests a
    second over the run, or over the time the pool was in use for pool.lua."""
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s",
           os.path.join(WRK_DIR, script)]
    for h in headers:
        cmd += ["-H", h]
    cmd += [url, "--"] + [str(a) for a in args]
    out = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, BENCH_WRK_DIR=WRK_DIR))
    line = next((l for l in out.stdout.splitlines() if l.startswith("BENCH ")), None)
    if out.returncode != 0 or line is None:
        raise SystemExit(f"bench/http: wrk failed:\n{out.stdout}\n{out.stderr}")
    result = json.loads(line[len("BENCH "):])
    if "answered" in result:
        result["rate"] = result["answered"] / result["active_seconds"] if result["active_seconds"] > 0 else 0.0
    else:
        result["rate"] = result["requests"] / result["seconds"]
    return result


def pgbench(url, script, variables, clients, threads, seconds, rate=None, log_dir=None, transactions=None):
    """Runs pgbench on a script (prepared statements, as diesel sends them). Returns transactions
    a second, and with a rate, the p50 and p99 latency in ms of its transactions, taken from its
    per-transaction log: the time from each transaction's start to its end (without the
    schedule lag, as wrk's latency runs from sending), over every transaction of the run."""
    length = ["-t", str(transactions)] if transactions else ["-T", str(seconds)]
    cmd = ["pgbench", "-n", "-M", "prepared", "-c", str(clients), "-j", str(threads)] + length + ["-f", script]
    cmd += [f"-D{v}" for v in variables]
    if rate:
        for old in glob.glob(os.path.join(log_dir, "pgbench_log.*")):
            os.remove(old)
        cmd += ["-R", str(rate), "--log", f"--log-prefix={os.path.join(log_dir, 'pgbench_log')}"]
    cmd.append(url)
    out = subprocess.run(cmd, capture_output=True, text=True)
    tps = next((l.split()[2] for l in out.stdout.splitlines() if l.startswith("tps = ")), None)
    failed = next((l for l in out.stdout.splitlines() if "failed" in l and "number of" in l), "")
    if out.returncode != 0 or tps is None or (failed and not failed.rstrip().endswith(" 0 (0.000%)")):
        raise SystemExit(f"bench/http: pgbench failed on {script}:\n{out.stdout}\n{out.stderr}")
    result = {"rate": float(tps)}
    if rate:
        latencies = []
        for path in glob.glob(os.path.join(log_dir, "pgbench_log.*")):
            with open(path, encoding="ascii") as f:
                for line in f:
                    # client_id transaction_no time script_no time_epoch time_us schedule_lag
                    fields = line.split()
                    latencies.append((int(fields[2]) - int(fields[6])) / 1000)
        latencies.sort()
        result["p50_ms"] = percentile(latencies, 50)
        result["p99_ms"] = percentile(latencies, 99)
    return result


def percentile(values, p):
    if not values:
        return float("nan")
    k = min(len(values) - 1, max(0, round(p / 100 * len(values) + 0.5) - 1))
    return values[k]


def pgbench_count(url, script, variables, clients, threads, per_client, rate=None, log_dir=None):
    """pgbench with a set number of transactions per client (-t) instead of a time: for scripts
    that use up a pool of rows, one a transaction."""
    return pgbench(url, script, variables, clients, threads, None, rate, log_dir, per_client)
