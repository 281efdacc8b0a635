// The JSON equivalent of a payment, for callers without ISO 20022 or FIN. Shape (snake_case; only
// debtor and creditor are required, each with a name or an account):
//
//   { "message_id": "…", "amount": {"value": "1000.00", "currency": "EUR"},
//     "debtor": PARTY, "ultimate_debtor": PARTY, "initiating_party": PARTY,
//     "creditor": PARTY, "ultimate_creditor": PARTY,
//     "debtor_agent": AGENT, "creditor_agent": AGENT, "instructing_agent": AGENT, "instructed_agent": AGENT,
//     "intermediary_agents": [AGENT, …], "previous_instructing_agents": [AGENT, …],
//     "remittance_information": ["…"], "purpose": "…", "instructions": ["…"] }
//   PARTY = { "name", "account", "address": ["…"], "country", "identifiers": ["…"], "birth_date" }
//   AGENT = { "bic", "name", "account", "address": ["…"], "country", "identifiers": ["…"] }
//
// Field paths in hits are the JSON paths: `debtor/name`, `creditor_agent/bic`,
// `intermediary_agents[0]/bic`, `remittance_information[1]`.

import {
  emptyParty,
  type Field,
  inputError,
  PAYMENT_LIMITS,
  type Payment,
  type PaymentParty,
} from "./model.js";

const PARTIES: [string, string][] = [
  ["debtor", "debtor"],
  ["ultimate_debtor", "ultimate_debtor"],
  ["initiating_party", "initiating_party"],
  ["creditor", "creditor"],
  ["ultimate_creditor", "ultimate_creditor"],
];
const AGENTS: [string, string][] = [
  ["debtor_agent", "debtor_agent"],
  ["creditor_agent", "creditor_agent"],
  ["instructing_agent", "instructing_agent"],
  ["instructed_agent", "instructed_agent"],
];
const AGENT_LISTS: [string, string][] = [
  ["intermediary_agents", "intermediary_agent"],
  ["previous_instructing_agents", "previous_instructing_agent"],
];
const TOP = new Set([
  "message_id",
  "amount",
  "remittance_information",
  "purpose",
  "instructions",
  ...PARTIES.map((p) => p[0]),
  ...AGENTS.map((a) => a[0]),
  ...AGENT_LISTS.map((a) => a[0]),
]);
const PARTY_KEYS = new Set(["name", "account", "address", "country", "identifiers", "birth_date"]);
const AGENT_KEYS = new Set(["bic", "name", "account", "address", "country", "identifiers"]);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function str(v: unknown, path: string): string | undefined {
  if (v == null) return undefined;
  if (typeof v !== "string") throw inputError("must be a string", path);
  return v.trim() || undefined;
}

function strings(v: unknown, path: string): { value: string; path: string }[] {
  if (v == null) return [];
  if (!Array.isArray(v)) throw inputError("must be a list of strings", path);
  return v.flatMap((x, i) => {
    const s = str(x, `${path}[${i}]`);
    return s ? [{ value: s, path: `${path}[${i}]` }] : [];
  });
}

function readParty(v: unknown, path: string, role: string, kind: "party" | "agent"): PaymentParty {
  if (!isObject(v)) throw inputError("must be an object", path);
  const keys = kind === "agent" ? AGENT_KEYS : PARTY_KEYS;
  for (const k of Object.keys(v)) {
    if (!keys.has(k)) throw inputError(`unknown field (known: ${[...keys].join(", ")})`, `${path}/${k}`);
  }
  const p = emptyParty(role, kind);
  const one = (key: string, into: Field[]): void => {
    const s = str(v[key], `${path}/${key}`);
    if (s) into.push({ field: `${path}/${key}`, value: s });
  };
  one("name", p.names);
  one("bic", p.bics);
  one("account", p.accounts);
  one("country", p.countries);
  for (const a of strings(v.address, `${path}/address`)) p.address.push({ field: a.path, value: a.value });
  for (const a of strings(v.identifiers, `${path}/identifiers`))
    p.identifiers.push({ field: a.path, value: a.value });
  const dob = str(v.birth_date, `${path}/birth_date`);
  if (dob) {
    if (!/^\d{4}(-\d{2}(-\d{2})?)?$/.test(dob))
      throw inputError("must be an ISO date (YYYY-MM-DD)", `${path}/birth_date`);
    p.birthDates.push(dob);
  }
  if (kind === "agent" && !p.bics.length && !p.names.length) {
    throw inputError("an agent needs a bic or a name", path);
  }
  return p;
}

/** Reads the JSON equivalent; errors name the JSON path. */
export function parsePaymentJson(body: string): Payment {
  if (body.length > PAYMENT_LIMITS.maxChars) throw inputError("message too long", "body");
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (e) {
    throw inputError(`malformed JSON: ${(e as Error).message}`, "body");
  }
  if (!isObject(data)) throw inputError("must be a JSON object", "body");
  for (const k of Object.keys(data))
    if (!TOP.has(k)) throw inputError(`unknown field (known: ${[...TOP].join(", ")})`, k);
  const parties: PaymentParty[] = [];
  for (const [key, role] of PARTIES) {
    const v = data[key];
    if (v == null) {
      if (key === "debtor" || key === "creditor") throw inputError("missing mandatory party", key);
      continue;
    }
    const p = readParty(v, key, role, "party");
    if ((key === "debtor" || key === "creditor") && !p.names.length && !p.accounts.length) {
      throw inputError("needs a name or an account", `${key}/name`);
    }
    parties.push(p);
  }
  for (const [key, role] of AGENTS)
    if (data[key] != null) parties.push(readParty(data[key], key, role, "agent"));
  for (const [key, role] of AGENT_LISTS) {
    const list = data[key];
    if (list == null) continue;
    if (!Array.isArray(list)) throw inputError("must be a list of agents", key);
    list.forEach((a, i) => {
      parties.push(readParty(a, `${key}[${i}]`, role, "agent"));
    });
  }
  const freeText: Field[] = [];
  for (const key of ["remittance_information", "instructions"]) {
    for (const s of strings(data[key], key)) freeText.push({ field: s.path, value: s.value });
  }
  const purpose = str(data.purpose, "purpose");
  if (purpose) freeText.push({ field: "purpose", value: purpose });
  let amount: Payment["amount"];
  if (data.amount != null) {
    const a = data.amount;
    if (!isObject(a)) throw inputError('must be {"value", "currency"}', "amount");
    const value = typeof a.value === "number" ? String(a.value) : str(a.value, "amount/value");
    if (!value || !/^\d+(\.\d+)?$/.test(value)) throw inputError("must be a decimal amount", "amount/value");
    const currency = str(a.currency, "amount/currency");
    if (!currency || !/^[A-Z]{3}$/.test(currency))
      throw inputError("must be an ISO 4217 code", "amount/currency");
    amount = { value, currency };
  }
  return {
    format: "json",
    version: "json",
    messageId: str(data.message_id, "message_id") ?? "",
    ...(amount ? { amount } : {}),
    parties,
    freeText,
  };
}
