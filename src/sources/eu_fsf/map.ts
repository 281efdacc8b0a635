// Maps one `sanctionEntity` of the EU Financial Sanctions File to entities: the listed Person
// (classification P) or Organization (E), its Sanction, Address entities and identity documents.
// Ids, schemata and property names follow the FtM conversion of the same list kept in the shared
// data (lists/eu_fsf/*/PROVENANCE.md), so both forms of the list agree; where the XML says more
// than that conversion could (weak aliases, designation dates, document details), we keep it.

import { InterdictError } from "../../errors.js";
import { add, addRaw, type Entity, entityId } from "../../model/entity.js";
import { countryCode } from "../../model/types.js";
import { addressOf, documentOf, type MapContext, makeTarget, Recorder, sanctionOf } from "../_map.js";
import { children, plain, type XmlNode } from "../_xml.js";

/** Who issued the cited act, by the FSF's `organisationType`. */
const AUTHORITIES: Readonly<Record<string, string>> = {
  council: "Council of the European Union",
  commission: "European Commission",
  un: "United Nations Security Council",
};
const DEFAULT_AUTHORITY = "European Union";

/** Identification types that also have their own FtM property. */
const NUMBER_PROPS: Readonly<Record<string, string>> = {
  regnumber: "registrationNumber",
  fiscalcode: "taxNumber",
  taxid: "taxNumber",
  euvat: "vatCode",
  swiftbic: "swiftBic",
  imo: "imoNumber",
};

/** Document flags, as words for the document's summary. */
const DOCUMENT_FLAGS: readonly [string, string][] = [
  ["knownFalse", "known to be false"],
  ["knownExpired", "known to be expired"],
  ["reportedLost", "reported lost"],
  ["revokedByIssuer", "revoked by issuer"],
  ["diplomatic", "diplomatic"],
];

/** ISO codes the FSF still uses for countries that are gone, as FtM writes them. */
const OBSOLETE_COUNTRIES: Readonly<Record<string, string>> = { cs: "csxx", yu: "yucs" };

/** An alias remark that only grades the alias ("low quality aliias" is in the list as written). */
const QUALITY_MARK = /^\s*(good|low)\s+quality\s+ali+as\s*\.?\s*$/i;
const LOW_QUALITY = /\blow\s+quality\b/i;

const collapse = (text: string): string => text.replace(/\s+/g, " ").trim();

/** An attribute's value; empty and the FSF's "-" placeholder count as absent. */
function attr(node: XmlNode | undefined, name: string): string | undefined {
  const v = node?.attrs[name];
  if (v === undefined) return undefined;
  const t = collapse(v);
  return t && t !== "-" ? t : undefined;
}

/** An xs:date attribute as the day it names: a time zone (`2012-03-23+01:00`) is dropped. */
function day(node: XmlNode | undefined, name: string): string | undefined {
  return attr(node, name)?.replace(/^(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})$/, "$1");
}

const remarks = (node: XmlNode): string[] =>
  children(node, "remark")
    .map((r) => r.text)
    .filter((t) => t);

/** A country code as FtM writes it, or undefined for the FSF's "00" (unknown). */
function iso(code: string | undefined): string | undefined {
  const lc = code?.toLowerCase();
  if (!lc || lc === "00") return undefined;
  return OBSOLETE_COUNTRIES[lc] ?? lc;
}

/** A country's name as the FSF writes it, unless it is "UNKNOWN". */
function countryName(node: XmlNode): string | undefined {
  const d = attr(node, "countryDescription");
  return d && d.toUpperCase() !== "UNKNOWN" ? d : undefined;
}

/** True when every letter is Latin (accents included). */
const isLatin = (text: string): boolean => !/(?!\p{Script=Latin})\p{L}/u.test(text);

interface Alias {
  readonly node: XmlNode;
  readonly whole: string;
  readonly id: number;
  readonly weak: boolean;
  readonly hasFunction: boolean;
  readonly hasTitle: boolean;
  readonly hasParts: boolean;
  readonly regulationLanguage: boolean;
}

function readAlias(node: XmlNode): Alias | undefined {
  const parts = ["firstName", "middleName", "lastName"].map((n) => attr(node, n));
  const whole =
    attr(node, "wholeName") ?? (parts.some((p) => p) ? parts.filter((p) => p).join(" ") : undefined);
  if (!whole) return undefined;
  const lang = (attr(node, "nameLanguage") ?? "").toUpperCase();
  return {
    node,
    whole,
    id: Number(attr(node, "logicalId") ?? Number.MAX_SAFE_INTEGER),
    // `strong="false"` marks a weak alias; in practice the FSF says so in a remark instead.
    weak: attr(node, "strong") === "false" || remarks(node).some((r) => LOW_QUALITY.test(r)),
    hasFunction: attr(node, "function") !== undefined,
    hasTitle: attr(node, "title") !== undefined,
    hasParts: parts.some((p) => p),
    regulationLanguage: lang === "" || lang === "EN",
  };
}

/**
 * The FSF has no primary-name flag, so the name is chosen as the FtM conversion chooses it:
 * among Latin-script names in the regulation's language (else any Latin-script name, else any
 * name), prefer the one that carries `function` (the FSF attaches it to the listed name), then
 * `title`, then (persons) name parts; ties go to the lowest logicalId. Weak aliases never win
 * while a strong one exists.
 */
function primaryName(aliases: readonly Alias[], person: boolean): Alias | undefined {
  const strong = aliases.filter((a) => !a.weak);
  const candidates = strong.length ? strong : aliases;
  const latin = candidates.filter((a) => isLatin(a.whole));
  const pools = [latin.filter((a) => a.regulationLanguage), latin, candidates];
  const pool = pools.find((p) => p.length > 0) ?? [];
  const rank = (a: Alias): number[] => [
    a.hasFunction ? 0 : 1,
    a.hasTitle ? 0 : 1,
    person && a.hasParts ? 0 : 1,
    a.id,
  ];
  const before = (a: Alias, b: Alias): boolean => {
    const [ra, rb] = [rank(a), rank(b)];
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return (ra[i] ?? 0) < (rb[i] ?? 0);
    return false;
  };
  return pool.reduce<Alias | undefined>((best, a) => (!best || before(a, best) ? a : best), undefined);
}

/** The shared Recorder, with the FSF's country codes checked. */
class FsfRecorder extends Recorder {
  /** A country code we know, else undefined and an issue. */
  country(node: XmlNode, field: string): string | undefined {
    const code = iso(attr(node, "countryIso2Code"));
    if (!code || countryCode(code)) return code;
    this.issue("value_rejected", `${JSON.stringify(code)} is not a known country code`, node, field);
    return undefined;
  }
}

/** The listed entity first, then what hangs off it. */
export function mapRecord(node: XmlNode, ctx: MapContext): [Entity, ...Entity[]] {
  const logicalId = attr(node, "logicalId");
  const refuse = (message: string, field: string, at: XmlNode = node): never => {
    throw new InterdictError("INTERDICT_E_LIST_FORMAT", message, {
      file: ctx.file,
      line: at.line,
      record: logicalId,
      field,
    });
  };
  if (!logicalId) return refuse("<sanctionEntity> without logicalId", "logicalId");
  const subject = children(node, "subjectType")[0];
  const classification = attr(subject, "classificationCode");
  if (classification !== "P" && classification !== "E") {
    return refuse(
      `subjectType classificationCode ${JSON.stringify(classification ?? null)} is neither P nor E`,
      "subjectType",
      subject,
    );
  }
  const regulations = children(node, "regulation");
  const regulation = regulations[0];
  if (!regulation || !attr(regulation, "programme")) {
    return refuse("<sanctionEntity> without a regulation programme", "regulation", regulation);
  }
  const aliases = children(node, "nameAlias")
    .map(readAlias)
    .filter((a): a is Alias => a !== undefined);
  const person = classification === "P";
  const primary = primaryName(aliases, person);
  if (!primary) return refuse("<sanctionEntity> without a name", "nameAlias");

  const target = makeTarget(
    person ? "Person" : "Organization",
    entityId(ctx.dataset, logicalId),
    ctx.dataset,
    plain(node),
  );
  const rec = new FsfRecorder(ctx, logicalId);

  mapNames(aliases, primary, target, rec);
  rec.put(target, "notes", remarks(node), node, "remark");
  for (const info of children(node, "additionalInformation")) {
    const [key, value] = [attr(info, "key"), attr(info, "value")];
    if (value) rec.put(target, "notes", key ? `${key}: ${value}` : value, info, "additionalInformation");
  }
  for (const c of children(node, "citizenship")) {
    rec.put(target, person ? "nationality" : "country", rec.country(c, "citizenship"), c, "citizenship");
  }
  if (person) mapBirthdates(node, target, rec);
  const addresses = mapAddresses(node, target, rec);
  const documents = mapDocuments(node, target, rec);

  const designated = day(node, "designationDate");
  const original = attr(regulation, "regulationType") === "regulation";
  const sourceUrl = children(regulation, "publicationUrl")[0]?.text || undefined;
  const programs = regulations.map((r) => attr(r, "programme"));
  rec.put(target, "program", programs, regulation, "regulation");
  rec.put(target, "sourceUrl", sourceUrl, regulation, "regulation/publicationUrl");
  rec.put(target, "createdAt", designated, node, "designationDate");

  const organisation = attr(regulation, "organisationType") ?? "";
  const authority = AUTHORITIES[organisation.toLowerCase()];
  if (!authority) {
    rec.issue(
      "eu_unknown_organisation",
      `organisationType ${JSON.stringify(organisation)} is not council, commission or un; authority "${DEFAULT_AUTHORITY}"`,
      regulation,
      "regulation/organisationType",
    );
  }
  const sanction = sanctionOf(target, {
    authority: authority ?? DEFAULT_AUTHORITY,
    country: "eu",
    program: programs,
    authorityId: attr(node, "euReferenceNumber"),
    unscId: attr(node, "unitedNationId"),
    // The cited act is usually the latest amendment: its dates say when the listing began only
    // when it is the original regulation.
    listingDate: designated ?? (original ? day(regulation, "publicationDate") : undefined),
    startDate: designated ?? (original ? day(regulation, "entryIntoForceDate") : undefined),
    summary: attr(node, "designationDetails"),
    sourceUrl,
  });
  const act = [
    attr(regulation, "regulationType"),
    organisation || undefined,
    day(regulation, "publicationDate") && `published ${day(regulation, "publicationDate")}`,
    day(regulation, "entryIntoForceDate") && `in force ${day(regulation, "entryIntoForceDate")}`,
  ].filter((p) => p);
  rec.put(
    sanction,
    "description",
    `Legal act cited by the FSF record: ${attr(regulation, "numberTitle") ?? "?"} (${act.join("; ")})`,
    regulation,
    "regulation",
  );
  rec.put(sanction, "endDate", day(node, "delistingDate"), node, "delistingDate");
  return [target, sanction, ...addresses, ...documents];
}

function mapNames(aliases: readonly Alias[], primary: Alias, target: Entity, rec: FsfRecorder): void {
  const person = target.schema === "Person";
  rec.put(target, "name", primary.whole, primary.node, "nameAlias/wholeName");
  for (const a of [...aliases].sort((x, y) => x.id - y.id)) {
    const n = a.node;
    if (a !== primary) rec.put(target, a.weak ? "weakAlias" : "alias", a.whole, n, "nameAlias/wholeName");
    if (person) {
      // Name parts of weak aliases would let a weak alias match through its parts.
      if (!a.weak) {
        rec.put(target, "firstName", attr(n, "firstName"), n, "nameAlias/firstName");
        rec.put(target, "middleName", attr(n, "middleName"), n, "nameAlias/middleName");
        rec.put(target, "lastName", attr(n, "lastName"), n, "nameAlias/lastName");
      }
      rec.put(target, "title", attr(n, "title"), n, "nameAlias/title");
      rec.put(target, "position", attr(n, "function"), n, "nameAlias/function");
      const gender = attr(n, "gender");
      if (gender !== "?") rec.put(target, "gender", gender, n, "nameAlias/gender");
    } else {
      // For organisations the FSF uses title for legal forms and function for descriptions.
      rec.put(target, "notes", [attr(n, "title"), attr(n, "function")], n, "nameAlias/function");
    }
    rec.put(
      target,
      "notes",
      remarks(n).filter((r) => !QUALITY_MARK.test(r)),
      n,
      "nameAlias/remark",
    );
  }
}

function mapBirthdates(node: XmlNode, person: Entity, rec: FsfRecorder): void {
  for (const b of children(node, "birthdate")) {
    const calendar = (attr(b, "calendarType") ?? "GREGORIAN").toUpperCase();
    const year = attr(b, "year");
    const month = attr(b, "monthOfYear");
    const dayOfMonth = attr(b, "dayOfMonth");
    const from = attr(b, "yearRangeFrom");
    const to = attr(b, "yearRangeTo");
    const full = day(b, "birthdate");
    // `birthdate` is Gregorian even on non-Gregorian rows; year/month/day are in the calendar named.
    if (full) rec.put(person, "birthDate", full, b, "birthdate/birthdate");
    else if (calendar !== "GREGORIAN") {
      if (year) {
        rec.put(
          person,
          "notes",
          `Birth year ${year} (${calendar.toLowerCase()} calendar, as given in the source)`,
          b,
          "birthdate/year",
        );
      }
    } else if (year) {
      const date = [year, month?.padStart(2, "0"), month && dayOfMonth?.padStart(2, "0")]
        .filter((p) => p)
        .join("-");
      rec.put(person, "birthDate", date, b, "birthdate/year");
    } else if (from || to) {
      rec.put(
        person,
        "birthDate",
        from && to ? `${from} to ${to}` : (from ?? to),
        b,
        "birthdate/yearRangeFrom",
      );
    }
    const places: string[] = [];
    for (const p of [attr(b, "place"), attr(b, "city"), attr(b, "region")])
      if (p && !places.includes(p)) places.push(p);
    const country = countryName(b);
    if (places.length > 0) {
      if (country && !places.includes(country)) places.push(country);
      rec.put(person, "birthPlace", places.join(", "), b, "birthdate/city");
    }
    rec.put(
      person,
      "birthCountry",
      rec.country(b, "birthdate/countryIso2Code"),
      b,
      "birthdate/countryIso2Code",
    );
  }
}

function mapAddresses(node: XmlNode, target: Entity, rec: FsfRecorder): Entity[] {
  const out: Entity[] = [];
  for (const a of children(node, "address")) {
    const country = rec.country(a, "address/countryIso2Code");
    const [street, city, postalCode, region, place, poBox] = [
      "street",
      "city",
      "zipCode",
      "region",
      "place",
      "poBox",
    ].map((n) => attr(a, n));
    const notes = remarks(a);
    if (attr(a, "asAtListingTime") === "true") notes.push("as at listing time");
    if (street || city || postalCode || region || place || poBox) {
      const full = [street, city, postalCode, region, place, countryName(a)]
        .map((p) => p?.replace(/[\s,;]+$/, ""))
        .filter((p) => p)
        .join(", ");
      const address = addressOf(
        target,
        {
          full: full || undefined,
          street,
          city,
          postalCode,
          region,
          country,
          remarks: notes.join("\n") || undefined,
        },
        out.length + 1,
      );
      if (address) {
        add(address, "postOfficeBox", poBox);
        out.push(address);
      }
    } else {
      // A country alone says where they are; it is no address to match on.
      rec.put(target, "country", country, a, "address/countryIso2Code");
    }
    for (const c of children(a, "contactInfo")) {
      const key = (attr(c, "key") ?? "").toUpperCase();
      const value = attr(c, "value");
      if (!value) continue;
      if (key === "WEB") rec.put(target, "website", value, c, "address/contactInfo");
      else if (key === "EMAIL") rec.put(target, "email", value.split(/[;,]\s*/), c, "address/contactInfo");
      else if (key === "PHONE") rec.put(target, "phone", value.split(/;\s*/), c, "address/contactInfo");
      else rec.put(target, "notes", `${key}: ${value}`, c, "address/contactInfo");
    }
  }
  return out;
}

/** Passports and other identifications; one without a number is reported. */
function mapDocuments(node: XmlNode, target: Entity, rec: FsfRecorder): Entity[] {
  const docs: Entity[] = [];
  for (const d of children(node, "identification")) {
    const code = (attr(d, "identificationTypeCode") ?? "").toLowerCase();
    const description = attr(d, "identificationTypeDescription");
    const number = attr(d, "number") ?? attr(d, "latinNumber");
    if (!number) {
      rec.issue(
        "eu_document_without_number",
        `identification without a number (${description ?? code})`,
        d,
        "identification/number",
      );
      continue;
    }
    let type = description ?? (code || "identification");
    if (code === "passport" && !/passport/i.test(type)) type = `Passport (${type})`;
    const summary = [
      ...remarks(d),
      ...DOCUMENT_FLAGS.filter(([flag]) => attr(d, flag) === "true").map(([, words]) => words),
      attr(d, "nameOnDocument") && `name on document: ${attr(d, "nameOnDocument")}`,
      attr(d, "region") && `issued in ${attr(d, "region")}`,
    ].filter((p) => p);
    const doc = documentOf(target, {
      type,
      number,
      country: rec.country(d, "identification/countryIso2Code"),
      authority: attr(d, "issuedBy"),
      startDate: day(d, "issueDate") ?? day(d, "validFrom"),
      endDate: day(d, "validTo"),
      summary: summary.join("; ") || undefined,
    });
    const latin = attr(d, "latinNumber");
    if (latin && latin !== number) {
      add(doc, "number", latin);
      rec.put(
        target,
        doc.schema === "Passport" && target.schema === "Person" ? "passportNumber" : "idNumber",
        latin,
        d,
        "identification/latinNumber",
      );
    }
    const prop = NUMBER_PROPS[code];
    if (prop && !(prop === "imoNumber" && target.schema === "Person")) {
      rec.put(target, prop, number, d, "identification/number");
    }
    const same = docs.find((x) => x.id === doc.id);
    if (!same) docs.push(doc);
    else for (const [p, values] of Object.entries(doc.properties)) addRaw(same, p, values);
  }
  return docs;
}
