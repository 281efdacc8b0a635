// Payment screening, the public surface (used by src/service for `POST /screen/payment`):
//
//   parsePayment(body, contentType)        → Payment: pacs.008 XML (.08 onwards), MT103 FIN text or
//                                             the JSON equivalent; INTERDICT_E_INPUT names the field
//                                             (XML path, MT tag, JSON path) and the line
//   screenPayment(payment, matcher, opts?) → { decision: "release"|"hold"|"block"|"reject", rule, hits }
//
// The rules behind the decision are documented at the top of screen.ts; the formats at the top of
// pacs008.ts, mt103.ts and json.ts.

import { parsePaymentJson } from "./json.js";
import { inputError, type Payment } from "./model.js";
import { parseMt103 } from "./mt103.js";
import { parsePacs008 } from "./pacs008.js";

export type { Field, Payment, PaymentParty } from "./model.js";
export {
  type Outcome,
  PAYMENT_DEFAULTS,
  type PaymentDecision,
  type PaymentHit,
  type PaymentOptions,
  type PaymentScreening,
  screenPayment,
} from "./screen.js";

/**
 * Reads a payment message by its content type: `application/xml`, `text/xml` or `*+xml` →
 * pacs.008; `text/plain` (or `application/x-swift-fin`) → MT103; `application/json` → JSON.
 * Without a usable content type the body's first character decides (`<`, `{1:`, `{`).
 */
export function parsePayment(body: string, contentType: string): Payment {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const head = body.trimStart();
  if (!head) throw inputError("empty message", "body");
  if (type === "application/xml" || type === "text/xml" || type.endsWith("+xml")) return parsePacs008(body);
  if (type === "text/plain" || type === "application/x-swift-fin") return parseMt103(body);
  if (type === "application/json" || type.endsWith("+json")) return parsePaymentJson(body);
  if (type && type !== "application/octet-stream") {
    throw inputError(
      `unsupported content type "${type}": application/xml (pacs.008), text/plain (MT103) or application/json`,
      "Content-Type",
    );
  }
  if (head.startsWith("<")) return parsePacs008(body);
  if (head.startsWith("{1:")) return parseMt103(body);
  if (head.startsWith("{")) return parsePaymentJson(body);
  throw inputError("not a pacs.008, MT103 or JSON payment message", "body", 1);
}
