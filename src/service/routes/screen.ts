// Decisions: POST /screen/visa (clear / refer / refuse, with the legal ground of each hit) and
// POST /screen/payment (release / hold / block / reject). The screening code (src/screen) reads
// and decides; this file parses on the request thread, runs the decision where the index lives,
// and records it. Hits are answered (and recorded) one per person: list entries resolution found
// to be one person are one hit, `entity_id` the canonical id, with `referents` and `listings`
// (src/screen/persons.ts); the decision was made on every entry first.

import { Type } from "typebox";
import { alertsFromPayment, alertsFromVisa } from "../../cases/intake.js";
import { resolutionOnce } from "../../resolve/canonical.js";
import { parsePayment } from "../../screen/payment/index.js";
import { paymentByPerson, visaByPerson } from "../../screen/persons.js";
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
      const r = visaByPerson(
        await gen.visa(applicant, {
          algorithm,
          ...(req.query.threshold !== undefined ? { threshold: req.query.threshold } : {}),
        }),
        await resolutionOnce(gen, ctx.store),
      );
      const s = await ctx.record(req, {
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
      await alertsFromVisa(ctx.store, s.id, applicant, r);
      reply.header("x-screening-id", s.id);
      return { decision: r.decision, reason: r.reason, hits: r.hits, screening_id: s.id };
    },
  );

  app.post(
    "/screen/payment",
    {
      schema: {
        tags: ["screening"],
        summary:
          "Screen a payment (pacs.008 XML, MT103 FIN text or JSON): release, hold (for review), block (freeze and report) or reject, by OFAC FAQ 36",
        querystring: DecisionQuery,
        body: {
          content: {
            "application/xml": {
              schema: { type: "string", description: "ISO 20022 pacs.008.001.08 or later" },
            },
            "text/plain": { schema: { type: "string", description: "SWIFT MT103 (FIN)" } },
            "application/json": {
              schema: { type: "object", description: "the JSON equivalent (src/screen/payment/json.ts)" },
            },
          },
        },
      },
      config: { role: "screen" },
    },
    async (req, reply) => {
      const gen = ctx.live.generation();
      // The parser reads the message as sent (XML without DTDs, MT103 by line), not a parsed body.
      const payment = parsePayment(req.rawBody ?? "", String(req.headers["content-type"] ?? ""));
      const algorithm = resolveAlgorithm(req.query.algorithm);
      const r = paymentByPerson(
        await gen.payment(payment, {
          algorithm,
          ...(req.query.threshold !== undefined ? { threshold: req.query.threshold } : {}),
        }),
        await resolutionOnce(gen, ctx.store),
      );
      const s = await ctx.record(req, {
        kind: "payment",
        versions: gen.versions,
        decision: r.decision,
        results: {
          algorithm,
          threshold: req.query.threshold ?? null,
          message_id: r.message_id,
          format: r.format,
          rule: r.rule,
          hits: r.hits,
        },
      });
      await alertsFromPayment(ctx.store, s.id, payment.amount, r);
      reply.header("x-screening-id", s.id);
      return {
        decision: r.decision,
        rule: r.rule,
        hits: r.hits,
        message_id: r.message_id,
        format: r.format,
        screening_id: s.id,
      };
    },
  );
}
