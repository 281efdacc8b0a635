// Lookback reads a visa screening answered on persons: the hit's entity_id is the canonical id,
// and each list entry that hit (its `listings`) counts as matched then, so today's match on either
// entry is not reported as a miss.

import assert from "node:assert/strict";
import { it } from "node:test";
import { recordedQueries } from "./lookback.js";

it("a visa hit on a person counts every entry that hit as matched then, with its score", () => {
  const [q] = recordedQueries({
    id: "s1",
    createdAt: "2026-01-01T00:00:00.000Z",
    keyId: null,
    kind: "visa",
    endpoint: "POST /screen/visa",
    requestDigest: "",
    listVersions: [],
    decision: "refuse",
    results: {
      algorithm: "default",
      threshold: null,
      applicant: { names: ["Pavel Karpov"], nationalities: [] },
      hits: [
        {
          entity_id: "ik-karpov",
          score: 1,
          match: true,
          referents: ["gb:1", "us:1"],
          listings: [
            { entity_id: "gb:1", score: 1 },
            { entity_id: "us:1", score: 0.9 },
          ],
        },
      ],
    },
  });
  assert.deepEqual([...(q?.matched ?? [])].sort(), ["gb:1", "ik-karpov", "us:1"]);
  assert.equal(q?.scores.get("us:1"), 0.9);
  assert.equal(q?.scores.get("ik-karpov"), 1);
});
