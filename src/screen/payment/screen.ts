// Payment screening: every party, agent and account of a message against the lists, the free
// text searched for listed names, the places checked against comprehensively sanctioned
// jurisdictions; then one decision by OFAC FAQ 36 (block when a blocked person has an interest,
// reject when the payment is prohibited but nothing in it is blockable).
//
// Rules, the first that applies decides (`rule` names it):
//   block-confirmed-match  a party, agent or account is a listed entity under a regime that
//                          freezes assets, confirmed: the BIC or another identifier is the listed
//                          one, or the name scores ≥ `confirm` with no qualifier against it.
//   block-jurisdiction     a bank in the chain (BIC country, IBAN country) or a party is where the
//                          jurisdiction table says the government or its banks are blocked
//                          (Iranian or North Korean bank, anything Cuban).
//   hold-potential-match   any other match on a party, agent or account (a fuzzy name, a list
//                          with no asset freeze, a regime whose freeze this designation may lack):
//                          an analyst decides between block, reject and release.
//   hold-free-text         a listed name found in remittance, purpose or instructions, with no
//                          party interest shown. Not rejected automatically: if the listed person
//                          has an interest in the funds, rejecting instead of blocking is itself
//                          a violation, so an analyst decides (FAQ 36).
//   hold-place             a sanctioned place named in free text, or a place that may lie in a
//                          covered region.
//   reject-jurisdiction    only a jurisdiction hit whose outcome is reject: the payment is
//                          prohibited (e.g. services to a party in Iran, ITSR) and no blocked
//                          person has an interest (FAQ 36's own example).
//   release-clean          nothing matched.
// A potential match outranks a reject: it may turn out to be a blocked person, and funds once
// returned cannot be blocked.

import { algorithmNamed, MATCH_DEFAULTS, type Matcher, type MatchResult } from "../../match/matcher.js";
import { normaliseIdentifier, type Query } from "../../match/subject.js";
import { countryCode } from "../../model/types.js";
import jurisdictionData from "../data/jurisdictions.json" with { type: "json" };
import paymentWords from "../data/payment-words.json" with { type: "json" };
import { explainLine, regimesOf, type SanctionLookup, strongest } from "../visa.js";
import { type Field, isBic, isIban, type Payment, type PaymentParty } from "./model.js";

export type PaymentDecision = "release" | "hold" | "block" | "reject";
export type Outcome = "block" | "reject" | "hold";

export interface PaymentHit {
  /** Where in the message: `Cdtr/Nm`, `CdtrAgt/FinInstnId/BICFI`, `RmtInf/Ustrd`, `50K`, `59`, `70`. */
  readonly field: string;
  /** The value found there (for free text: the words that matched). */
  readonly value: string;
  /** The listed entity, or `jurisdiction:<code>` / `region:<name>` for a place. */
  readonly entity_id: string;
  readonly caption: string;
  readonly score: number;
  readonly match: boolean;
  readonly explanation: string[];
  /** debtor, creditor_agent…, or free_text. */
  readonly role: string;
  readonly kind: "party" | "agent" | "free_text" | "jurisdiction";
  readonly confirmed: boolean;
  /** What this hit alone calls for. */
  readonly outcome: Outcome;
  readonly datasets: readonly string[];
  readonly programs: readonly string[];
  readonly legal_grounds: string[];
}

export interface PaymentScreening {
  readonly decision: PaymentDecision;
  /** The rule that decided and the hit it rests on: `block-confirmed-match: CdtrAgt/… is …`. */
  readonly rule: string;
  readonly hits: PaymentHit[];
  readonly message_id: string;
  readonly format: Payment["format"];
}

export interface PaymentOptions {
  /** Score at or above which a party or agent result is a match; the algorithm's own by default. */
  threshold?: number;
  algorithm?: string;
  /** Per-designation measures (see visa.ts sanctionsFromStore). */
  sanctions?: SanctionLookup;
  /** A name match this strong, with nothing against it, is confirmed (blockable without review). */
  confirm?: number;
  /** Free text is searched with many windows of words: a higher bar keeps alerts down. */
  freeTextThreshold?: number;
}

export const PAYMENT_DEFAULTS = {
  confirm: 0.97,
  freeTextThreshold: 0.9,
  /** Results per party: a party matches few entities; more are noise. */
  limit: 5,
  /** Windows of one to this many words are tried as names in free text. */
  maxWindow: 4,
  /** A one-word window must be this long: shorter single words are mostly everyday words. */
  minSingleWord: 8,
  maxWindows: 400,
  freeTextCandidates: 100,
} satisfies Omit<Required<PaymentOptions>, "threshold" | "algorithm" | "sanctions"> & Record<string, number>;

interface Jurisdiction {
  name: string;
  programme: string;
  party: Outcome;
  agent: Outcome;
  keywords: string[];
  basis: string;
}
interface Region {
  name: string;
  programme: string;
  party: Outcome;
  keywords: string[];
  basis: string;
}
const COUNTRIES = jurisdictionData.countries as Record<string, Jurisdiction>;
const REGIONS = jurisdictionData.regions as Region[];
const STOP = new Set(paymentWords.words);

const QUALIFIERS = new Set(["dob_year_disjoint", "country_disjoint", "gender_mismatch"]);

/** Words of a text, lower case, in order; a word with a digit breaks a run (names have none). */
function words(text: string): { word: string; raw: string; digit: boolean }[] {
  return [...text.matchAll(/[\p{L}\p{N}](?:[\p{L}\p{N}'’-]*[\p{L}\p{N}])?/gu)].map((m) => ({
    word: m[0].toLowerCase(),
    raw: m[0],
    digit: /\d/.test(m[0]),
  }));
}

/**
 * The windows of words in a free text that could be a listed name: runs of up to maxWindow
 * words, framed by words that are not payment vocabulary, without digits; one-word windows only
 * for long words (a one-word person name part is capped below any threshold anyway).
 */
export function nameWindows(text: string, maxWindow = PAYMENT_DEFAULTS.maxWindow): string[] {
  const ws = words(text);
  const out = new Set<string>();
  for (let i = 0; i < ws.length; i++) {
    const a = ws[i]!;
    if (a.digit || STOP.has(a.word)) continue;
    for (let j = i; j < Math.min(ws.length, i + maxWindow); j++) {
      const b = ws[j]!;
      if (b.digit) break;
      if (STOP.has(b.word)) continue;
      if (i === j && a.word.length < PAYMENT_DEFAULTS.minSingleWord) continue;
      out.add(
        ws
          .slice(i, j + 1)
          .map((w) => w.raw)
          .join(" "),
      );
    }
  }
  return [...out];
}

/** Places named in a text: sanctioned countries' and regions' keywords, as whole words. */
function placesIn(text: string): { code: string; keyword: string; region?: Region }[] {
  const t = ` ${words(text)
    .map((w) => w.word)
    .join(" ")} `;
  const out: { code: string; keyword: string; region?: Region }[] = [];
  for (const [code, j] of Object.entries(COUNTRIES)) {
    const k = j.keywords.find((kw) => t.includes(` ${kw} `));
    if (k) out.push({ code, keyword: k });
  }
  for (const r of REGIONS) {
    const k = r.keywords.find((kw) => t.includes(` ${kw} `));
    if (k) out.push({ code: r.name, keyword: k, region: r });
  }
  return out;
}

/**
 * Whether the words found in free text cover the listed name they matched: a weak alias never
 * counts (OFAC FAQ 122–125: it only corroborates), an organisation's every word but its legal
 * form must be there ("steel pipes" is not STATE STEEL PIPES COMPANY), a person's all but one
 * (patronymics and middle names are often left out).
 */
function coversName(window: string, detail: string, r: MatchResult): boolean {
  if (detail.includes("(weak alias)")) return false;
  const listed = detail.split(" ≈ ")[1]?.replace(/( \((alias|previous)\))?: [\d.]+ \[[\s\S]*$/, "");
  const ln = r.entity.names.find((n) => n.name.name === listed);
  if (!ln) return true;
  const person = r.entity.schema === "Person";
  // An organisation's generic words count here: "Systems Workshop" is not found by "workshop".
  const distinctive = ln.name.tokens.filter(
    (t) => t.kind === "word" || (!person && t.kind === "generic"),
  ).length;
  const need = person ? Math.min(distinctive, Math.max(2, distinctive - 1)) : distinctive;
  return window.split(" ").length >= need;
}

const bic8 = (bic: string): string => normaliseIdentifier(bic).slice(0, 8);

export function screenPayment(
  payment: Payment,
  matcher: Matcher,
  opts: PaymentOptions = {},
): PaymentScreening {
  const o = { ...PAYMENT_DEFAULTS, ...opts };
  const threshold = opts.threshold ?? algorithmNamed(opts.algorithm ?? MATCH_DEFAULTS.algorithm).threshold;
  const matchOpts = {
    limit: o.limit,
    ...(opts.algorithm ? { algorithm: opts.algorithm } : {}),
    threshold,
  };
  const hits: PaymentHit[] = [];
  const seen = new Set<string>();
  const push = (h: PaymentHit): void => {
    const key = `${h.field}|${h.entity_id}`;
    if (!seen.has(key)) {
      seen.add(key);
      hits.push(h);
    }
  };

  const entityHit = (
    r: MatchResult,
    field: Field,
    value: string,
    role: string,
    kind: PaymentHit["kind"],
    confirmed: boolean,
  ): PaymentHit => {
    const regimes = regimesOf(r.entity, opts.sanctions);
    const freeze = strongest(regimes.map((g) => g.assetFreeze));
    const outcome: Outcome = kind !== "free_text" && confirmed && freeze === "yes" ? "block" : "hold";
    return {
      field: field.field,
      value,
      entity_id: r.entity.id,
      caption: r.entity.caption,
      score: r.score,
      match: true,
      explanation: r.explanation.map(explainLine),
      role,
      kind,
      confirmed,
      outcome,
      datasets: r.entity.datasets,
      programs: r.entity.programs,
      legal_grounds: regimes.map((g) => g.ground),
    };
  };

  for (const party of payment.parties) screenParty(party);
  for (const text of payment.freeText) screenText(text);
  return decide(payment, hits);

  function screenParty(party: PaymentParty): void {
    const idFields = [...party.bics, ...party.identifiers];
    const identifiers = [
      ...new Set([
        ...party.identifiers.map((f) => f.value),
        ...party.bics.flatMap((f) => [f.value, bic8(f.value)]),
      ]),
    ];
    const countries = party.countries.map((f) => countryCode(f.value)).filter((c): c is string => !!c);
    const query: Query = {
      schema: party.kind === "agent" ? "Organization" : "LegalEntity",
      names: party.names.map((f) => f.value),
      identifiers,
      ...(countries.length ? { countries } : {}),
      ...(party.birthDates.length ? { birthDates: party.birthDates } : {}),
    };
    if (query.names.length || identifiers.length) {
      for (const r of matcher.match(query, matchOpts)) {
        const id = r.explanation.find((e) => e.feature === "identifier_match");
        if (!r.match && !id) continue;
        const name = r.explanation.find((e) => e.feature === "name_match");
        const against = r.explanation.some((e) => QUALIFIERS.has(e.feature));
        let field: Field | undefined;
        if (id) {
          field = idFields.find((f) => r.entity.identifiers.includes(normaliseIdentifier(f.value)));
          field ??= party.bics.find((f) => r.entity.identifiers.includes(bic8(f.value)));
        }
        field ??= party.names.find((f) => name?.detail.startsWith(f.value)) ?? party.names[0] ?? idFields[0];
        if (!field) continue;
        const confirmed = !!id || ((name?.value ?? 0) >= o.confirm && !against);
        push(entityHit(r, field, field.value, party.role, party.kind, confirmed));
      }
    }
    // Places: the BIC's country letters and an IBAN's country say where a bank is; the address
    // country and residence where a party is; keywords where an address line names a place.
    const places: { code: string; field: Field; how: string; asAgent: boolean; region?: Region }[] = [];
    for (const f of party.bics) {
      const bic = normaliseIdentifier(f.value);
      if (isBic(bic))
        places.push({
          code: bic.slice(4, 6).toLowerCase(),
          field: f,
          how: "BIC country letters",
          asAgent: party.kind === "agent",
        });
    }
    for (const f of party.accounts) {
      if (isIban(f.value)) {
        const cc = f.value.replace(/\s+/g, "").slice(0, 2).toLowerCase();
        places.push({ code: cc, field: f, how: "IBAN country (the account is held there)", asAgent: true });
      }
    }
    for (const f of party.countries) {
      const cc = countryCode(f.value);
      if (cc) places.push({ code: cc, field: f, how: "country", asAgent: party.kind === "agent" });
    }
    for (const f of party.address) {
      for (const p of placesIn(f.value)) {
        places.push({
          code: p.code,
          field: f,
          how: `address names "${p.keyword}"`,
          asAgent: party.kind === "agent",
          ...(p.region ? { region: p.region } : {}),
        });
      }
    }
    for (const p of places) {
      if (p.region) {
        push({
          ...placeHit(
            p.field,
            `region:${p.region.name}`,
            `${p.region.name} (${p.region.programme})`,
            party.role,
            p.region.party,
          ),
          explanation: [`${p.how}: ${p.region.name}: ${p.region.party} (${p.region.basis})`],
        });
        continue;
      }
      const j = COUNTRIES[p.code];
      if (!j) continue;
      const outcome = p.asAgent ? j.agent : j.party;
      push({
        ...placeHit(p.field, `jurisdiction:${p.code}`, `${j.name} (${j.programme})`, party.role, outcome),
        explanation: [
          `${p.how}: ${j.name}; a ${p.asAgent ? "bank" : "party"} there: ${outcome} (${j.basis})`,
        ],
      });
    }
  }

  function placeHit(field: Field, id: string, caption: string, role: string, outcome: Outcome): PaymentHit {
    return {
      field: field.field,
      value: field.value,
      entity_id: id,
      caption,
      score: 1,
      match: true,
      explanation: [],
      role,
      kind: "jurisdiction",
      confirmed: true,
      outcome,
      datasets: [],
      programs: [],
      legal_grounds: [caption],
    };
  }

  function screenText(text: Field): void {
    const windows = nameWindows(text.value).slice(0, o.maxWindows);
    const bics = words(text.value)
      .map((w) => w.raw.toUpperCase())
      .filter((w) => (w.length === 8 || w.length === 11) && isBic(w));
    const imo = [...text.value.matchAll(/\bIMO[\s:#-]*(\d{7})\b/gi)].map((m) => m[1]!);
    const results: MatchResult[] = [];
    // Names of persons and organisations only: a one-word vessel name ("Spring", "Ocean") is an
    // everyday word in a remittance line; vessels are found by their IMO number instead.
    if (windows.length || bics.length) {
      const query: Query = { schema: "LegalEntity", names: windows, identifiers: bics };
      results.push(
        ...matcher.match(query, {
          ...matchOpts,
          threshold: Math.max(threshold, o.freeTextThreshold),
          candidates: o.freeTextCandidates,
        }),
      );
    }
    if (imo.length) {
      // Lists write an IMO number bare or prefixed ("IMO 9123456"): both forms are asked for.
      const identifiers = imo.flatMap((n) => [n, `IMO${n}`]);
      results.push(...matcher.match({ schema: "Vessel", names: [], identifiers }, matchOpts));
    }
    for (const r of results) {
      const id = r.explanation.find((e) => e.feature === "identifier_match");
      const name = r.explanation.find((e) => e.feature === "name_match");
      // The detail starts with the window that matched: `Bank Rossiya ≈ BANK ROSSIYA: …`.
      const found = name?.detail.split(" ≈ ")[0] ?? id?.detail ?? text.value;
      if (!id && !(r.match && name && coversName(found, name.detail, r))) continue;
      push(entityHit(r, text, found, "free_text", "free_text", !!id || (name?.value ?? 0) >= o.confirm));
    }
    for (const p of placesIn(text.value)) {
      const caption = p.region
        ? `${p.region.name} (${p.region.programme})`
        : `${COUNTRIES[p.code]?.name} (${COUNTRIES[p.code]?.programme})`;
      push({
        ...placeHit(
          text,
          p.region ? `region:${p.region.name}` : `jurisdiction:${p.code}`,
          caption,
          "free_text",
          "hold",
        ),
        value: p.keyword,
        confirmed: false,
        explanation: [`free text names "${p.keyword}": a mention, not a location: review`],
      });
    }
  }
}

function decide(payment: Payment, hits: PaymentHit[]): PaymentScreening {
  const base = { hits, message_id: payment.messageId, format: payment.format };
  const describe = (h: PaymentHit): string => `${h.field} "${h.value}" is ${h.entity_id} (${h.caption})`;
  const first = (pred: (h: PaymentHit) => boolean): PaymentHit | undefined => hits.find(pred);
  const rules: [PaymentDecision, string, (h: PaymentHit) => boolean, string][] = [
    [
      "block",
      "block-confirmed-match",
      (h) => h.outcome === "block" && h.kind !== "jurisdiction",
      "a blocked person has an interest (OFAC FAQ 36): freeze and report",
    ],
    [
      "block",
      "block-jurisdiction",
      (h) => h.outcome === "block" && h.kind === "jurisdiction",
      "a blocked government or its bank has an interest (OFAC FAQ 36): freeze and report",
    ],
    [
      "hold",
      "hold-potential-match",
      (h) => h.outcome === "hold" && (h.kind === "party" || h.kind === "agent"),
      "potential match on a party, agent or account: review",
    ],
    [
      "hold",
      "hold-free-text",
      (h) => h.outcome === "hold" && h.kind === "free_text",
      "a listed name in the free text, no party interest shown: review (block if the listed person has an interest in the funds, FAQ 36)",
    ],
    [
      "hold",
      "hold-place",
      (h) => h.outcome === "hold" && h.kind === "jurisdiction",
      "a sanctioned place named: review",
    ],
    [
      "reject",
      "reject-jurisdiction",
      (h) => h.outcome === "reject",
      "prohibited, nothing blockable (OFAC FAQ 36): return to the originator and report",
    ],
  ];
  for (const [decision, id, pred, why] of rules) {
    const h = first(pred);
    if (h) return { decision, rule: `${id}: ${describe(h)}: ${why}`, ...base };
  }
  return {
    decision: "release",
    rule: "release-clean: no party, agent, account or free text matched",
    ...base,
  };
}
