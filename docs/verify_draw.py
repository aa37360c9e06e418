#!/usr/bin/env python3
"""Check a wex-lottery-1 draw record by hand. Python 3.6+, standard library only.

    python3 verify_draw.py PLACEMENT_ID [RECORD.json] [--commitment HEX] [--list]

RECORD.json is the answer of GET /v1/placements/{PLACEMENT_ID}/draw (standard input if left out or "-").
--commitment is the draw_commitment you saved when the placement was published, before anyone applied.
"""
import argparse, hashlib, hmac, json, sys

parser = argparse.ArgumentParser(description="Check a wex-lottery-1 draw record.")
parser.add_argument("placement_id")
parser.add_argument("record", nargs="?", default="-")
parser.add_argument("--commitment", help="the draw_commitment published before applications")
parser.add_argument("--list", action="store_true", help="print the recomputed order")
args = parser.parse_args()
record = json.load(sys.stdin if args.record == "-" else open(args.record, encoding="utf-8"))
placement_id = args.placement_id.strip().lower()
problems = []

def check(ok, text):
    print(("ok     " if ok else "FAILED ") + text)
    if not ok:
        problems.append(text)

if record.get("algorithm") != "wex-lottery-1" or record.get("placement_id") != placement_id:
    sys.exit("this is not the wex-lottery-1 record of placement " + placement_id)
if not record.get("drawn"):
    sys.exit("not drawn yet: the seed is revealed only after the draw")
seed = bytes.fromhex(record["seed"])
entries = [(e["ticket"], e["tier"]) for e in record["entries"]]
capacity = record["capacity"]
print("placement {}: {} entries, {} places, drawn at {}".format(
    placement_id, len(entries), capacity, record["drawn_at"]))

# 1. The seed is the one committed to before anyone applied.
commitment = hashlib.sha256(seed).hexdigest()
saved = (args.commitment or record["commitment"]).strip().lower()
check(len(seed) == 32 and commitment == saved == record["commitment"],
      "1. SHA-256 of the seed equals the commitment {}: {}".format(
          "you saved" if args.commitment else "in the record (compare it with the one you saved)", commitment))

# 2. The entries digest: one "{ticket},{tier}\n" line per entry, sorted by ticket.
text = "".join("{},{}\n".format(ticket, tier) for ticket, tier in sorted(entries))
digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
check(digest == record["entries_digest"], "2. the entries digest matches the published entries: " + digest)

# 3. Re-rank: score = HMAC-SHA256(seed, "{placement_id}:{ticket}"); order by (tier, score bytes, ticket).
def score(ticket):
    return hmac.new(seed, "{}:{}".format(placement_id, ticket).encode("utf-8"), hashlib.sha256).digest()

ranked = sorted(entries, key=lambda e: (e[1], score(e[0]), e[0]))
published = [(e["position"], e["ticket"], e["outcome"]) for e in record["entries"]]
expected = [(i, ticket, "offered" if i <= capacity else "waitlisted")
            for i, (ticket, tier) in enumerate(ranked, start=1)]
tiers_ok = all(1 <= tier <= len(record["priority_rules"]) + 1 for _, tier in entries)
check(published == expected and tiers_ok and len(set(t for t, _ in entries)) == len(entries),
      "3. re-ranking by (tier, HMAC-SHA256 score, ticket) gives the published positions and outcomes")
if args.list:
    for (position, ticket, outcome), (_, tier) in zip(expected, ranked):
        print("  {:>5} {} tier {} score {}... {}".format(position, ticket, tier, score(ticket).hex()[:16], outcome))

if problems:
    sys.exit("The draw does NOT check out: {} check(s) failed.".format(len(problems)))
print("Everything checks out.")
