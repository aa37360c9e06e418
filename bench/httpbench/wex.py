"""A `wex serve` process on one database: starting it, asking it things, minting tokens and
reading its memory."""

import base64
import hashlib
import hmac
import http.client
import json
import os
import socket
import subprocess
import time
import uuid


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Server:
    """One release `wex serve` in sandbox mode, writes unlimited and the scheduler off, so that
    nothing but the benchmark's own requests runs in it."""

    def __init__(self, binary, name, database_url, work, pool_size, delivery_idle_ms=600000):
        self.name, self.database_url, self.work = name, database_url, work
        # One data directory, so one sandbox secret, for every server of a database: tokens
        # signed for one are good for the next.
        self.data_dir = os.path.join(work, "data")
        os.makedirs(self.data_dir, exist_ok=True)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ)
        env.update(
            WEX_MODE="sandbox",
            WEX_DATABASE_URL=database_url,
            WEX_BIND=f"127.0.0.1:{self.port}",
            WEX_DATA_DIR=self.data_dir,
            WEX_DB_POOL_SIZE=str(pool_size),
            WEX_RATE_LIMIT_WRITES_PER_MINUTE="0",
            WEX_SCHEDULER_INTERVAL_SECONDS="0",
            RUST_LOG="warn",
            # The delivery worker sends (in the sandbox: files) the messages the dataset made, in
            # full batches until none is left, then waits this long: 10 minutes, so that it adds
            # no statements to a capture and no work to a measurement. The benchmark waits for
            # the dataset's backlog to drain before it captures or measures anything.
            WEX_DELIVERY_IDLE_MS=str(delivery_idle_ms),
        )
        self.log = open(os.path.join(work, f"{name}-server.log"), "ab")
        self.proc = subprocess.Popen([binary, "serve"], env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.conn = None
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"bench/http: the {name} server stopped; see {self.log.name}")
            try:
                if self.request("GET", "/health/ready")[0] == 200:
                    break
            except OSError:
                self.conn = None
            time.sleep(0.2)
        else:
            raise SystemExit(f"bench/http: the {name} server was not ready after 180 s")
        self.secret = None
        self.claims = None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()

    def memory_kb(self):
        """The process's resident set now (VmRSS) and at its highest so far (VmHWM), in kB."""
        fields = {}
        with open(f"/proc/{self.proc.pid}/status", encoding="ascii") as f:
            for line in f:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
        return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])

    def request(self, method, path, body=None, token=None, headers=None):
        """One request on a kept-alive connection: (status, parsed JSON or None, headers)."""
        hdrs = dict(headers or {})
        if token:
            hdrs["Authorization"] = f"Bearer {token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
            try:
                self.conn.request(method, path, body=data, headers=hdrs)
                resp = self.conn.getresponse()
                raw = resp.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        parsed = None
        if raw and resp.getheader("Content-Type", "").endswith("json"):
            parsed = json.loads(raw)
        return resp.status, parsed, resp

    def ok(self, method, path, body=None, token=None, expect=(200, 201)):
        status, parsed, _ = self.request(method, path, body, token)
        if status not in expect:
            raise SystemExit(f"bench/http: {self.name}: {method} {path}: {status} {parsed}")
        return parsed

    # ---- tokens ------------------------------------------------------------------------------
    def admin_token(self):
        """An admin token from the sandbox's token endpoint; it also teaches this object the
        token's issuer and audience, so that applicant tokens can be signed here (thousands of
        them: one request each would take longer than the benchmark)."""
        token = self.ok("POST", "/v1/sandbox/tokens", {"role": "admin", "subject": "bench-admin"})["token"]
        header, payload, signature = token.split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        with open(os.path.join(self.data_dir, "sandbox-jwt-secret"), encoding="ascii") as f:
            self.secret = bytes.fromhex(f.read().strip())
        check = b64(hmac.new(self.secret, f"{header}.{payload}".encode(), hashlib.sha256).digest())
        if check != signature:
            raise SystemExit("bench/http: cannot sign sandbox tokens like the server does")
        self.claims = {"iss": claims["iss"], "aud": claims["aud"]}
        return token

    def token(self, subject, role="applicant", organisation_id=None):
        """A sandbox token for `subject`, signed with the sandbox secret as `wex token` would.
        Access comes from grants in the database, never from the token's role claim."""
        now = int(time.time())
        claims = dict(self.claims, sub=subject, iat=now, exp=now + 8 * 3600, role=role)
        if organisation_id:
            claims["organisation_id"] = str(organisation_id)
        header = b64(json.dumps({"typ": "JWT", "alg": "HS256"}, separators=(",", ":")).encode())
        payload = b64(json.dumps(claims, separators=(",", ":")).encode())
        signature = hmac.new(self.secret, f"{header}.{payload}".encode(), hashlib.sha256).digest()
        return f"{header}.{payload}.{b64(signature)}"


def new_key():
    return str(uuid.uuid4())
