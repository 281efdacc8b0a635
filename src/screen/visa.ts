// Visa screening: an applicant against the lists, with a decision an officer can act on and the
// legal ground of each hit. Pure: the caller brings the Matcher (and, if it has a store, the
// measures each designation carries); the HTTP layer (`POST /screen/visa`) only parses and records.
//
// Public surface (used by src/service):
//   parseVisaApplicant(body)                    → VisaApplicant, or INTERDICT_E_INPUT naming the field
//   screenVisa(applicant, matcher, opts?)       → { decision: "clear"|"refer"|"refuse", reason, hits }
//   regimesOf(entity, sanctions?)               → the measures a listed entity is under (also for payments)
//   sanctionsFromStore(store)                   → the per-designation measures lookup for opts.sanctions
//
// Decision (DOMAIN.md "Screening practice": every hit is disposed of by an officer before a visa
// issues; a refusal cites its legal ground):
//   refuse  a confirmed designated person under a programme that bars entry. Confirmed: the names
//           match (score ≥ threshold) and the date of birth or passport number agrees, with no
//           qualifier against it (another birth year, gender, nationality) — or the passport number
//           is the listed one and the names are close (≥ PASSPORT_NAME_FLOOR).
//   refer   any other match: a potential match, or a confirmed one under an asset-freeze-only
//           programme or one whose travel ban this table cannot establish.
//   clear   no match.
//
// One query carries all the applicant's names (birth, former, transliterated): the matcher scores
// each listed entity on its best pair of names, so a hit on any of them counts, and the birth
// date, nationality and passport corroborate or contradict the entity as a whole rather than
// one name at a time; one retrieval, and no merging of per-name result lists.

import { createRequire } from "node:module";
import { InterdictError } from "../errors.js";
import type { Explanation } from "../match/algorithm.js";
import { algorithmNamed, MATCH_DEFAULTS, type Matcher } from "../match/matcher.js";
import { type MatchEntity, normaliseIdentifier, type Query } from "../match/subject.js";
import { countryCode } from "../model/types.js";
import type { Store } from "../store/store.js";
import table from "./data/legal-grounds.json" with { type: "json" };

export interface VisaApplicant {
  /** Every name the applicant has used: current, birth, former, in any script. */
  readonly names: readonly string[];
  /** ISO 8601: YYYY-MM-DD, or YYYY-MM / YYYY when that is all that is known. */
  readonly birthDate?: string;
  /** ISO 3166-1 alpha-2, lower case. */
  readonly nationalities: readonly string[];
  readonly passport?: { readonly number: string; readonly country?: string };
  readonly gender?: "male" | "female" | "other";
}

export type Measure = "yes" | "no" | "unknown";

export interface VisaHit {
  readonly entity_id: string;
  readonly caption: string;
  readonly schema: string;
  readonly score: number;
  readonly match: boolean;
  readonly datasets: readonly string[];
  readonly programs: readonly string[];
  /** One line per regime the entity is listed under: the measure and the instrument to cite. */
  readonly legal_grounds: string[];
  readonly explanation: string[];
  /** Names match and the birth date or passport agrees, nothing contradicts. */
  readonly confirmed: boolean;
  /** Whether a regime of this entity bars entry: yes, no (asset freeze only) or unknown. */
  readonly travel_ban: Measure;
  /** What the officer is asked to do with this hit, in words. */
  readonly assessment: string;
}

export interface VisaScreening {
  readonly decision: "clear" | "refer" | "refuse";
  /** Why, in one line: which hit decided and by which rule. */
  readonly reason: string;
  readonly hits: VisaHit[];
}

/** The measures one designation carries, as its list states them (UK: "Travel Ban", "Asset freeze"). */
export interface ListedSanction {
  readonly program?: string;
  readonly provisions: readonly string[];
}

export type SanctionLookup = (entityId: string) => readonly ListedSanction[] | undefined;

export interface VisaOptions {
  /** Score at or above which a result is a match; the algorithm's own by default. */
  threshold?: number;
  algorithm?: string;
  /** Per-designation measures (build once with sanctionsFromStore); without it they are unknown. */
  sanctions?: SanctionLookup;
}

export const VISA_DEFAULTS = {
  /** Results considered per screening: enough that a birth name's hit is not crowded out. */
  limit: 10,
  /** With the listed passport number, names this close confirm (transliteration, order, typos). */
  passportNameFloor: 0.6,
  maxNames: 20,
  maxNameLength: 300,
};

// ------------------------------------------------------------------------------ input

const FIELDS = new Set(["names", "birth_date", "nationalities", "passport", "gender"]);
const GENDERS: Record<string, "male" | "female" | "other"> = {
  male: "male",
  m: "male",
  female: "female",
  f: "female",
  other: "other",
  x: "other",
};

const bad = (field: string, message: string): InterdictError =>
  new InterdictError("INTERDICT_E_INPUT", message, { field });

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function isoDate(text: string): boolean {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), m[2] ? Number(m[2]) : 1, m[3] ? Number(m[3]) : 1];
  if (y < 1850 || mo < 1 || mo > 12) return false;
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

const isoCountries = createRequire(import.meta.url)("i18n-iso-countries") as {
  alpha3ToAlpha2(code: string): string | undefined;
};

/** ICAO 9303 codes that are not ISO alpha-3: Germany's "D" and the British nationality classes. */
const ICAO: Record<string, string> = { D: "de", GBD: "gb", GBN: "gb", GBO: "gb", GBP: "gb", GBS: "gb" };

/** A country as an application gives it: alpha-2, alpha-3 or ICAO (passports), or a name. */
function country(value: unknown, field: string): string {
  if (typeof value !== "string" || !value.trim()) throw bad(field, "must be a country (ISO code or name)");
  const upper = value.trim().toUpperCase();
  const code =
    ICAO[upper] ??
    (/^[A-Z]{3}$/.test(upper) ? isoCountries.alpha3ToAlpha2(upper)?.toLowerCase() : undefined) ??
    countryCode(value);
  if (!code) throw bad(field, `"${value}" is not a country`);
  return code;
}

/** Checks a request body (already JSON-parsed) and returns the applicant; names the field at fault. */
export function parseVisaApplicant(body: unknown): VisaApplicant {
  if (!isObject(body)) throw bad("body", "must be a JSON object");
  for (const key of Object.keys(body)) {
    if (!FIELDS.has(key)) {
      throw bad(key, `unknown field (known: ${[...FIELDS].join(", ")})`);
    }
  }
  const rawNames = body.names;
  if (!Array.isArray(rawNames) || rawNames.length === 0) {
    throw bad("names", "must be a non-empty list of the applicant's names");
  }
  if (rawNames.length > VISA_DEFAULTS.maxNames) throw bad("names", `at most ${VISA_DEFAULTS.maxNames} names`);
  const names: string[] = [];
  rawNames.forEach((n, i) => {
    if (typeof n !== "string" || !n.trim()) throw bad(`names[${i}]`, "must be a non-empty string");
    if (n.length > VISA_DEFAULTS.maxNameLength) {
      throw bad(`names[${i}]`, `longer than ${VISA_DEFAULTS.maxNameLength} characters`);
    }
    names.push(n.trim());
  });

  let birthDate: string | undefined;
  if (body.birth_date != null && body.birth_date !== "") {
    if (typeof body.birth_date !== "string" || !isoDate(body.birth_date.trim())) {
      throw bad("birth_date", "must be an ISO date: YYYY-MM-DD (or YYYY-MM, YYYY)");
    }
    birthDate = body.birth_date.trim();
  }

  const nationalities: string[] = [];
  if (body.nationalities != null) {
    if (!Array.isArray(body.nationalities)) throw bad("nationalities", "must be a list of countries");
    body.nationalities.forEach((c, i) => {
      nationalities.push(country(c, `nationalities[${i}]`));
    });
  }

  let passport: VisaApplicant["passport"];
  if (body.passport != null) {
    const p = body.passport;
    if (!isObject(p)) throw bad("passport", 'must be an object {"number", "country"}');
    for (const key of Object.keys(p)) {
      if (key !== "number" && key !== "country")
        throw bad(`passport.${key}`, "unknown field (known: number, country)");
    }
    if (typeof p.number !== "string" || !normaliseIdentifier(p.number)) {
      throw bad("passport.number", "must be the passport number (letters and digits)");
    }
    passport = {
      number: p.number.trim(),
      ...(p.country != null ? { country: country(p.country, "passport.country") } : {}),
    };
  }

  let gender: VisaApplicant["gender"];
  if (body.gender != null && body.gender !== "") {
    gender = typeof body.gender === "string" ? GENDERS[body.gender.trim().toLowerCase()] : undefined;
    if (!gender) throw bad("gender", "must be male, female or other");
  }

  return {
    names,
    ...(birthDate ? { birthDate } : {}),
    nationalities: [...new Set(nationalities)],
    ...(passport ? { passport } : {}),
    ...(gender ? { gender } : {}),
  };
}

// ------------------------------------------------------------------------------ legal grounds

type Level = "yes" | "no" | "per_designation" | "unknown";

interface ProgramRow {
  travel_ban?: Level;
  asset_freeze?: Level;
  travel_ban_ground?: string;
  asset_freeze_ground?: string;
  note?: string;
  basis?: string;
}

interface DatasetRow extends ProgramRow {
  authority: string;
  programs?: Record<string, ProgramRow>;
}

const DATASETS = table.datasets as unknown as Record<string, DatasetRow>;

/** One regime a listed entity is under, with its measures resolved for this designation. */
export interface Regime {
  readonly dataset: string;
  readonly program?: string;
  readonly travelBan: Measure;
  readonly assetFreeze: Measure;
  /** The legal ground in words, saying plainly when there is an asset freeze but no travel ban. */
  readonly ground: string;
}

function resolve(level: Level | undefined, provisions: readonly string[] | undefined, word: RegExp): Measure {
  if (level === "yes" || level === "no") return level;
  if (level === "per_designation" && provisions?.length)
    return provisions.some((p) => word.test(p)) ? "yes" : "no";
  return "unknown";
}

function groundText(
  label: string,
  row: ProgramRow,
  level: Level | undefined,
  travelBan: Measure,
  assetFreeze: Measure,
): string {
  const freeze = row.asset_freeze_ground ?? "asset freeze";
  const note = row.note ? ` (${row.note})` : "";
  if (travelBan === "yes") {
    const how =
      level === "per_designation"
        ? "travel ban imposed by this designation"
        : "travel ban / visa ineligibility";
    const only = assetFreeze === "no" ? " (travel ban only, no asset freeze)" : "";
    return `${label}: ${how}${only}: ${row.travel_ban_ground ?? "as the list states"}`;
  }
  if (travelBan === "no") {
    if (assetFreeze === "no") return `${label}: no asset freeze and no travel ban: ${freeze}${note}`;
    const why =
      level === "per_designation"
        ? "this designation imposes no travel ban"
        : "no travel ban in this programme";
    return `${label}: asset freeze only (${why}): ${freeze}${note}`;
  }
  if (level === "per_designation") {
    return `${label}: ${freeze}; the regime provides for a travel ban (${row.travel_ban_ground ?? "see the list"}), whether this designation carries one is not in the list data: officer to check`;
  }
  return `${label}: ${freeze}; no travel ban established for this programme in Interdict's legal-grounds table: officer to check${note}`;
}

/** The regimes (dataset × programme) a listed entity is under, with the measures each imposes. */
export function regimesOf(
  entity: Pick<MatchEntity, "id" | "datasets" | "programs">,
  sanctions?: SanctionLookup,
): Regime[] {
  const designations = sanctions?.(entity.id) ?? [];
  const out: Regime[] = [];
  for (const dataset of entity.datasets) {
    const ds = DATASETS[dataset];
    if (!ds) {
      out.push({
        dataset,
        travelBan: "unknown",
        assetFreeze: "unknown",
        ground: `${dataset}: a list not in Interdict's legal-grounds table: officer to check its measures`,
      });
      continue;
    }
    const programs: (string | undefined)[] = entity.programs.length ? [...entity.programs] : [undefined];
    for (const program of programs) {
      const own = program ? ds.programs?.[program] : undefined;
      const row: ProgramRow = { ...ds, ...own };
      const provisions = designations
        .filter((s) => !program || !s.program || s.program === program)
        .flatMap((s) => s.provisions);
      const travelBan = resolve(row.travel_ban, provisions, /travel ban|immigration|entry/i);
      const assetFreeze = resolve(row.asset_freeze, provisions, /asset freeze|freez/i);
      const label = program ? `${ds.authority}, ${program}` : ds.authority;
      out.push({
        dataset,
        ...(program ? { program } : {}),
        travelBan,
        assetFreeze,
        ground: groundText(label, row, row.travel_ban, travelBan, assetFreeze),
      });
    }
  }
  return out;
}

/** The strongest of several measures: one regime that bars entry is enough. */
export function strongest(measures: readonly Measure[]): Measure {
  if (measures.includes("yes")) return "yes";
  if (measures.includes("unknown") || measures.length === 0) return "unknown";
  return "no";
}

/**
 * The measures every current designation carries (Sanction `provisions`), by listed entity: read
 * once when the index is built. Only designations whose list states measures are kept.
 */
export async function sanctionsFromStore(
  store: Store,
  datasets?: readonly string[],
): Promise<SanctionLookup> {
  const names = datasets ?? (await store.datasets()).filter((d) => d.current).map((d) => d.name);
  const byEntity = new Map<string, ListedSanction[]>();
  for (const name of names) {
    for await (const e of store.entities(name)) {
      if (e.schema !== "Sanction" || !e.properties.provisions?.length) continue;
      const program = e.properties.program?.[0];
      const s: ListedSanction = { ...(program ? { program } : {}), provisions: e.properties.provisions };
      for (const id of e.properties.entity ?? []) byEntity.set(id, [...(byEntity.get(id) ?? []), s]);
    }
  }
  return (id) => byEntity.get(id);
}

// ------------------------------------------------------------------------------ screening

/** A feature as one readable line: `name_match 0.88 × 1: …`. */
export function explainLine(e: Explanation): string {
  return `${e.feature} ${e.value.toFixed(2)} × ${e.weight}: ${e.detail}`;
}

const QUALIFIERS = new Set(["dob_year_disjoint", "country_disjoint", "gender_mismatch"]);

/** Full dates only: a listed birth year alone is shared by too many people to corroborate. */
function dobAgrees(applicant: VisaApplicant, entity: MatchEntity): boolean {
  const dob = applicant.birthDate;
  return dob?.length === 10 && entity.birthDates.includes(dob);
}

export function screenVisa(
  applicant: VisaApplicant,
  matcher: Matcher,
  opts: VisaOptions = {},
): VisaScreening {
  const passport = applicant.passport ? normaliseIdentifier(applicant.passport.number) : undefined;
  const countries = [...applicant.nationalities];
  if (applicant.passport?.country && !countries.includes(applicant.passport.country)) {
    countries.push(applicant.passport.country);
  }
  const query: Query = {
    schema: "Person",
    names: applicant.names,
    ...(applicant.birthDate ? { birthDates: [applicant.birthDate] } : {}),
    ...(countries.length ? { countries } : {}),
    ...(applicant.passport ? { identifiers: [applicant.passport.number] } : {}),
    ...(applicant.gender && applicant.gender !== "other" ? { gender: applicant.gender } : {}),
  };
  const results = matcher.match(query, {
    limit: VISA_DEFAULTS.limit,
    ...(opts.threshold !== undefined ? { threshold: opts.threshold } : {}),
    ...(opts.algorithm ? { algorithm: opts.algorithm } : {}),
  });

  const threshold = opts.threshold ?? algorithmNamed(opts.algorithm ?? MATCH_DEFAULTS.algorithm).threshold;
  const hits: VisaHit[] = [];
  for (const r of results) {
    const samePassport = !!passport && r.entity.identifiers.includes(passport);
    if (!r.match && !samePassport) continue;
    const name = r.explanation.find((e) => e.feature === "name_match")?.value ?? 0;
    const against = r.explanation.filter((e) => QUALIFIERS.has(e.feature)).map((e) => e.feature);
    const sameDob = dobAgrees(applicant, r.entity);
    const confirmed =
      against.length === 0 &&
      ((r.match && name >= threshold && (sameDob || samePassport)) ||
        (samePassport && name >= VISA_DEFAULTS.passportNameFloor));
    const regimes = regimesOf(r.entity, opts.sanctions);
    const travelBan = strongest(regimes.map((g) => g.travelBan));
    const corroboration = [
      ...(sameDob ? [`birth date ${applicant.birthDate} is the listed one`] : []),
      ...(samePassport ? [`passport ${applicant.passport?.number} is the listed one`] : []),
    ];
    const assessment = confirmed
      ? travelBan === "yes"
        ? `confirmed (${corroboration.join("; ")}) under a regime that bars entry: refuse, citing the ground`
        : travelBan === "no"
          ? `confirmed (${corroboration.join("; ")}), but the regime freezes assets without a travel ban: refer`
          : `confirmed (${corroboration.join("; ")}); whether the regime bars entry is not established: refer`
      : against.length
        ? `potential match with evidence against it (${against.join(", ")}): refer for the officer to dispose of`
        : `potential match, not corroborated by birth date or passport: refer for the officer to dispose of`;
    hits.push({
      entity_id: r.entity.id,
      caption: r.entity.caption,
      schema: r.entity.schema,
      score: r.score,
      match: r.match,
      datasets: r.entity.datasets,
      programs: r.entity.programs,
      legal_grounds: regimes.map((g) => g.ground),
      explanation: [...r.explanation.map(explainLine), ...corroboration.map((c) => `corroborated: ${c}`)],
      confirmed,
      travel_ban: travelBan,
      assessment,
    });
  }

  const refuse = hits.find((h) => h.confirmed && h.travel_ban === "yes");
  if (refuse) {
    return {
      decision: "refuse",
      reason: `refuse: ${refuse.entity_id} (${refuse.caption}) is a confirmed match under a regime that bars entry`,
      hits,
    };
  }
  if (hits.length) return { decision: "refer", reason: referReason(hits), hits };
  return { decision: "clear", reason: "clear: no listed person matches", hits };
}

/** Why a screening with hits and no refusal is referred: how many, and the best. */
export function referReason(hits: readonly Pick<VisaHit, "entity_id" | "score">[]): string {
  const first = hits[0];
  return `refer: ${hits.length} potential match${hits.length > 1 ? "es" : ""} for an officer to dispose of (best: ${first?.entity_id}, ${first?.score.toFixed(2)})`;
}
