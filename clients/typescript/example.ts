// A small integrator's program written against the client generated from openapi/openapi.json:
// set up a profile, search placements, read them, and apply for the first one open to the applicant.
// CI compiles it (`npm run check`), so a contract that no generated client can use (enum codes the API
// refuses, response schemas no response satisfies, missing operations) fails the build; CI then runs it:
//   WEX_URL=http://127.0.0.1:8080 WEX_TOKEN=<applicant token> node dist/example.js
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/wex.js";

type Placement = components["schemas"]["PlacementResponse"];
type Problem = components["schemas"]["Problem"];

/** What an applicant sees after applying, or the problem that explains why not. */
export type Outcome =
  | { applied: true; placement: string; ticket: string; hearBy: string }
  | { applied: false; placement: string; code: string; fields: string[] };

/** Sees the problem's stable code and every field it points at. */
function explain(placement: Placement, problem: Problem): Outcome {
  return {
    applied: false,
    placement: placement.title,
    code: problem.code,
    fields: (problem.errors ?? []).map((e) => e.field),
  };
}

export async function applyForFirstMatch(baseUrl: string, token: string): Promise<Outcome | null> {
  const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });

  // The applicant needs a profile before applying: an email, a date of birth, and a postcode (or
  // no_fixed_address). A profile that exists already is replaced only with If-Match (428 without).
  const profile = await client.PUT("/v1/me/profile", {
    body: {
      email: "jo@example.org",
      date_of_birth: "2008-05-17",
      postcode: "SO16 6YD",
      user_groups: ["young_people_16_18"],
    },
  });
  if (profile.error && profile.error.status !== 428) {
    throw new Error(`profile refused: ${profile.error.code} ${JSON.stringify(profile.error.errors ?? [])}`);
  }

  // Search with wire codes exactly as the API takes them: a document whose enums list anything else
  // would make these literals fail to type-check.
  const search = await client.GET("/v1/placements", {
    params: { query: { delivery: "in_person", user_group: "young_people_16_18", age: 18, open_now: true } },
  });
  if (search.error) throw new Error(`search refused: ${search.error.code}`);

  const notice = await client.GET("/v1/privacy-notice");
  if (notice.error) throw new Error(`privacy notice: ${notice.error.code}`);

  let last: Outcome | null = null;
  for (const found of search.data.items) {
    const read = await client.GET("/v1/placements/{placement_id}", {
      params: { path: { placement_id: found.id } },
    });
    if (read.error) throw new Error(`read refused: ${read.error.code}`);
    const placement = read.data;
    if (placement.status !== "published" || !placement.open_for_applications) continue;

    const applied = await client.POST("/v1/placements/{placement_id}/applications", {
      params: { path: { placement_id: placement.id }, header: { "Idempotency-Key": crypto.randomUUID() } },
      body: {
        privacy_notice_version: notice.data.version,
        answers: (placement.questions ?? []).map((_, question) => ({ question, answer: "I would like to see the work." })),
      },
    });
    if (!applied.error) {
      return {
        applied: true,
        placement: placement.title,
        ticket: applied.data.ticket,
        hearBy: applied.data.outcome_expected_by,
      };
    }
    // A placement this applicant is not eligible for (its local area, say): try the next one.
    last = explain(placement, applied.error);
  }
  return last;
}

const url = process.env.WEX_URL;
const token = process.env.WEX_TOKEN;
if (url && token) {
  applyForFirstMatch(url, token).then(
    (outcome) => console.log(JSON.stringify(outcome)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
