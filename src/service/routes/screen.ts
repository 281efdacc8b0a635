// Decisions: POST /screen/visa (clear / refer / refuse, with the legal ground of each hit) and
// POST /screen/payment (release / hold / block / reject). The screening code (src/screen) reads
// and decides; this file parses on the request thread, runs the decision where the index lives,
// and records it.

import { Type } from "typebox";
import { parseVisaApplicant } from "../../screen/visa.js";
import type { App, ServiceContext } from "../app.js";
import { resolveAlgorithm } from "../yente.js";

const DecisionQuery = Type.Object({
  threshold: Type.Optional(
    Type.Number({ minimum: 0, maximum: 1, description: "default: the algorithm's own" }),
  ),
  algorithm: Type.String({ default: "best" }),
});

export function registerScreen(app: App, ctx: ServiceContext): void {
  app.post(
    "/screen/visa",
    {
      schema: {
        tags: ["screening"],
        summary:
          "Screen a visa applicant: clear, refer (an officer disposes of the hits) or refuse (with the legal ground)",
        querystring: DecisionQuery,
        body: Type.Object(
          {
            names: Type.Array(Type.String(), {
              description: "every name: current, birth, former, in any script",
            }),
            birth_date: Type.Optional(Type.String({ description: "YYYY-MM-DD (or YYYY-MM, YYYY)" })),
            nationalities: Type.Optional(Type.Array(Type.String())),
            passport: Type.Optional(
              Type.Object({ number: Type.String(), country: Type.Optional(Type.String()) }),
            ),
            gender: Type.Optional(Type.String()),
          },
          { description: "an applicant; dates and countries are checked further by the visa screening code" },
        ),
      },
      config: { role: "screen" },
    },
    async (req, reply) => {
      const gen = ctx.live.generation();
      const applicant = parseVisaApplicant(req.body);
      const algorithm = resolveAlgorithm(req.query.algorithm);
      const r = await gen.visa(applicant, {
        algorithm,
        ...(req.query.threshold !== undefined ? { threshold: req.query.threshold } : {}),
      });
      const s = ctx.record(req, {
        kind: "visa",
        versions: gen.versions,
        decision: r.decision,
        results: {
          algorithm,
          threshold: req.query.threshold ?? null,
          applicant,
          reason: r.reason,
          hits: r.hits,
        },
      });
      reply.header("x-screening-id", s.id);
      return { decision: r.decision, reason: r.reason, hits: r.hits, screening_id: s.id };
    },
  );
}
