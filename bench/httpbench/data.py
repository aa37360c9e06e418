"""The generated dataset, made through the sandbox's test-data endpoint (the same use cases as the
rest of the API), and the pools of applicants and offers the write endpoints use up.

Batches, each `POST /v1/sandbox/test-data` (at most 200 placements and 2,000 applicants a batch):
- read batches: 20 organisations x 10 placements, applicants with two applications each; their
  placements are what the searches page through, what applicants apply to, and the dashboard's
  applicant is one of theirs;
- apply batches: one organisation with 20 placements (only pgbench applies to these: see
  pg_scripts in bench/http)
  and 2,000 applicants with no application, each of whom applies once under wrk;
- accept batches: 20 organisations x 10 placements, 2,000 applicants with one application each;
  every placement is then closed and drawn by its coordinator, and each offer the draws make is
  accepted once (about 5 offers a placement: capacities are 2 to 8).
The same seeds on both databases make the same content (ids and times differ)."""

import time


class Dataset:
    def __init__(self):
        self.read_placements = []
        self.apply_placements = []
        self.dashboard_subject = None
        self.apply_subjects = []
        self.pgbench_subjects = []
        self.offers = []  # (offer id, applicant subject)
        self.offers_for_wrk = []
        self.apply_batches = []
        self.seconds = 0.0
        self.placements = 0
        self.applications = 0


def batch(server, admin, body):
    made = server.ok("POST", "/v1/sandbox/test-data", body, admin)
    return made


def generate(server, admin, read_batches, apply_batches, accept_batches, log):
    d = Dataset()
    start = time.monotonic()
    for n in range(read_batches):
        made = batch(server, admin, {"organisations": 20, "placements_per_organisation": 10, "applicants": 500,
                                     "applications_per_applicant": 2, "seed": 1000 + n})
        d.read_placements += [p for o in made["organisations"] for p in o["placement_ids"]]
        d.pgbench_subjects += made["applicant_subjects"]
        d.placements += made["placements"]
        d.applications += made["applications"]
        log(f"  read batch {n + 1}/{read_batches}: {made['placements']} placements, {made['applications']} applications")
    d.dashboard_subject = d.pgbench_subjects.pop(0)
    for n in range(apply_batches):
        made = batch(server, admin, {"organisations": 1, "placements_per_organisation": 20, "applicants": 2000,
                                     "applications_per_applicant": 0, "seed": 2000 + n})
        d.apply_batches.append(made["batch_id"])
        d.apply_placements += made["organisations"][0]["placement_ids"]
        d.apply_subjects += made["applicant_subjects"]
        d.placements += made["placements"]
        log(f"  apply batch {n + 1}/{apply_batches}: {made['applicants']} applicants without applications")
    for n in range(accept_batches):
        made = batch(server, admin, {"organisations": 20, "placements_per_organisation": 10, "applicants": 2000,
                                     "applications_per_applicant": 1, "seed": 3000 + n})
        d.placements += made["placements"]
        d.applications += made["applications"]
        for org in made["organisations"]:
            coordinator = server.token(org["coordinator_subject"], "coordinator", org["id"])
            for placement in org["placement_ids"]:
                server.ok("POST", f"/v1/placements/{placement}/close", None, coordinator)
                server.ok("POST", f"/v1/placements/{placement}/draw", None, coordinator)
        before = len(d.offers)
        for subject in made["applicant_subjects"]:
            page = server.ok("GET", "/v1/me/applications", None, server.token(subject))
            for app in page["items"]:
                offer = app.get("offer")
                if offer and offer.get("status") in ("open", "offered"):
                    d.offers.append((offer["id"], subject))
        log(f"  accept batch {n + 1}/{accept_batches}: {len(d.offers) - before} offers")
    d.seconds = time.monotonic() - start
    return d
