"""Rules across parameters that JSON Schema cannot state but each operation's description does.

Loaded by .ci/schemathesis through SCHEMATHESIS_HOOKS. Each filter drops generated requests that
break a documented rule, so that positive_data_acceptance only judges requests the document
really says are acceptable.
"""

import schemathesis


@schemathesis.hook
def map_query(ctx, query):
    # A cursor is valid only as the next_cursor of a previous page (as its description says), which
    # a generated value never is; an empty cursor is the first page, so that is what is sent.
    if query and query.get("cursor"):
        query["cursor"] = ""
    # The change feed's cursor is `after` (GET /v1/events), with the same rule.
    if query and query.get("after"):
        query["after"] = ""
    return query


@schemathesis.hook
def filter_query(ctx, query):
    # Reports: "from" must not be after "to" (422 with before_from on /to, documented on each report).
    if query and query.get("from") and query.get("to"):
        return str(query["from"]) <= str(query["to"])
    return True


@schemathesis.hook
def filter_body(ctx, body):
    operation = ctx.operation
    if operation is not None and operation.path == "/v1/sandbox/clock":
        # Exactly one of set and advance_seconds (422 invalid_clock_change, documented).
        if isinstance(body, dict):
            given = [k for k in ("set", "advance_seconds") if body.get(k) is not None]
            return len(given) == 1
    return True


# The most each size of POST /v1/sandbox/test-data may be in a schemathesis run. The API's own bounds
# (20 organisations, 200 placements, 2,000 applicants with 5 applications each) make a batch that
# takes tens of seconds and holds the database's write lock meanwhile; examples at those bounds,
# repeated for every role and database, would make the run slow and the sandbox enormous. Only
# values the schema allows are made smaller, so a valid body stays valid and an invalid one (for the
# negative checks) stays invalid; the bounds themselves are tested in crates/http/tests/api/test_data.rs.
# Each field: (the most here, the schema's maximum).
TEST_DATA_SIZES = {"organisations": (2, 20), "placements_per_organisation": (2, 200), "applicants": (5, 2000)}


@schemathesis.hook
def map_body(ctx, body):
    operation = ctx.operation
    if operation is not None and operation.path == "/v1/sandbox/test-data" and isinstance(body, dict):
        for field, (most, maximum) in TEST_DATA_SIZES.items():
            value = body.get(field)
            if isinstance(value, int) and not isinstance(value, bool) and most < value <= maximum:
                body[field] = most
    return body


@schemathesis.hook
def filter_path_parameters(ctx, path_parameters):
    # A host's subject is printable text (the document's pattern; 400 invalid_path otherwise, tested
    # in routing.rs). schemathesis 4.32.5's stateful phase can fill it, for a link whose source field
    # is absent, with a string that breaks that pattern and then calls the 400 a valid request
    # refused; such a value is not one the document calls valid, so it is not sent.
    operation = ctx.operation
    if operation is not None and operation.path.endswith("/hosts/{subject}") and path_parameters:
        subject = str(path_parameters.get("subject", ""))
        return not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in subject)
    return True
