"""The endpoints measured, and how one request of each is made: the paths, the callers, and the
files of once-only requests for the writes."""

import json
import random

READS = ["by-id", "search", "search-filtered", "search-deep", "dashboard"]
WRITES = ["apply", "accept"]
LABELS = {
    "by-id": "GET /v1/placements/{id}",
    "search": "search, first page of 20",
    "search-filtered": "search with filters, first page",
    "search-deep": "search, a deep cursor page",
    "dashboard": "GET /v1/me/applications",
    "apply": "POST .../applications (apply)",
    "accept": "POST /v1/offers/{id}/accept",
}
FILTERED = "/v1/placements?kind=work_experience&open_now=true&age=17&limit=20"


class Reads:
    """The path and the token (or none) of each read endpoint, found on this server's data."""

    def __init__(self, server, data, deep_pages):
        self.server = server
        self.paths = {"by-id": f"/v1/placements/{data.read_placements[len(data.read_placements) // 2]}",
                      "search": "/v1/placements?limit=20", "search-filtered": FILTERED,
                      "dashboard": "/v1/me/applications"}
        self.tokens = {"dashboard": server.token(data.dashboard_subject)}
        found = len(server.ok("GET", FILTERED)["items"])
        if found < 20:
            raise SystemExit(f"bench/http: {server.name}: the filtered search found {found} placements, not a page")
        cursor, self.deep_offset = None, 0
        for _ in range(deep_pages):
            page = server.ok("GET", "/v1/placements?limit=20" + (f"&cursor={cursor}" if cursor else ""))
            if not page["next_cursor"]:
                break
            cursor, self.deep_offset = page["next_cursor"], self.deep_offset + len(page["items"])
        self.paths["search-deep"] = f"/v1/placements?limit=20&cursor={cursor}"
        mine = server.ok("GET", "/v1/me/applications", None, self.tokens["dashboard"])["items"]
        self.dashboard_items = len(mine)
        self.mine = [a["id"] for a in mine]

    def ids(self):
        """Ids the reads' statements may name beyond the placements and applicants: the
        dashboard's applications, in order."""
        return list(self.mine)

    def headers(self, name):
        token = self.tokens.get(name)
        return [f"Authorization: Bearer {token}"] if token else []

    def send(self, name):
        self.server.ok("GET", self.paths[name], None, self.tokens.get(name))


def privacy_notice_version(server):
    notice = server.ok("GET", "/v1/privacy-notice")
    return notice["version"]


def apply_request(server, subject, placement, version):
    body = json.dumps({"privacy_notice_version": version}, separators=(",", ":"))
    return ("POST", f"/v1/placements/{placement}/applications", server.token(subject), body)


def accept_request(server, offer, subject):
    return ("POST", f"/v1/offers/{offer}/accept", server.token(subject), "")


def apply_requests(server, subjects, placements, version, seed):
    """One application a request, each by its own applicant, to a placement drawn at random."""
    rng = random.Random(seed)
    return [apply_request(server, s, rng.choice(placements), version) for s in subjects]


def write_pool(path, requests):
    with open(path, "w", encoding="utf-8") as f:
        for method, p, token, body in requests:
            f.write(f"{method}\t{p}\t{token}\t{body}\n")


def send(server, request):
    method, path, token, body = request
    status, parsed, _ = server.request(method, path, json.loads(body) if body else None, token)
    if status not in (200, 201):
        raise SystemExit(f"bench/http: {server.name}: {method} {path}: {status} {parsed}")
    return parsed
