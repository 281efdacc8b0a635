// OFAC's classic XML (`sdn.xml`, and `consolidated.xml` in the same schema): one <sdnEntry> per
// listed entity, read as a stream. It also owns what both OFAC XML readers share: the field
// vocabulary (where each identifier or feature label — "Passport", "Vessel Call Sign", "Gender"…
// — goes in the entity model), OFAC's date spans, links to other entries named by name
// ("Linked To:", a vessel's owner), resolved at the end of the file, and how a file is known
// for one of OFAC's XML lists.

import { InterdictError } from "../../errors.js";
import { add, addRaw, type Entity, entityId, makeEntity } from "../../model/entity.js";
import { getSchema, isA } from "../../model/schema.js";
import { countryCode, normaliseKey, parseDate } from "../../model/types.js";
import { addressOf, documentOf, linkOf, makeTarget, sanctionOf } from "../_map.js";
import { child, children, childText, rootElement, type XmlNode, xmlRecords } from "../_xml.js";
import type { Detection, InputFile, Reader, SourceContext } from "../types.js";

export const OFAC_AUTHORITY = "Office of Foreign Assets Control";
export const OFAC_COUNTRY = "us";

/** OFAC's Sanctions List Search shows every entry under its uid (the advanced XML's profile id). */
export const ofacUrl = (id: string): string => `https://sanctionssearch.ofac.treas.gov/Details.aspx?id=${id}`;

// ---------------------------------------------------------------- the field vocabulary

/**
 * Where an OFAC field goes. `prop`: the first of `props` the listed entity's schema has.
 * `document`: an identity document (Passport or Identification entity). `imo`: a vessel
 * registration, an IMO number when it reads `IMO 1234567`. `party`: a vessel's owner or an
 * aircraft's operator, by name: a note, and a link when the name is an entry of the same list.
 * `sanction`: a statement about the sanction (directives, secondary sanctions risk). `note`:
 * informational, kept as a note. The choices follow the CSV reader's, so both formats of a list
 * give the same entities.
 */
export interface FieldRule {
  readonly kind: "prop" | "document" | "imo" | "party" | "sanction" | "note";
  readonly props?: readonly string[];
  /** The field says the entity is a company (traded shares; a target type naming a company). */
  readonly company?: true | RegExp;
}

const prop = (...props: string[]): FieldRule => ({ kind: "prop", props });
const companyProp = (p: string, when: true | RegExp = true): FieldRule => ({ ...prop(p), company: when });

/** Labels as OFAC writes them (classic `idType`, advanced FeatureType and IDRegDocType). */
const FIELD_TABLE: readonly (readonly [FieldRule, readonly string[]])[] = [
  [
    { kind: "document" },
    [
      "Passport",
      "Diplomatic Passport",
      "British National Overseas Passport",
      "Stateless Person Passport",
      "National ID No.",
      "Identification Number",
      "National Foreign ID Number",
      "Personal ID Card",
      "Federal ID Card",
      "Citizen's Card Number",
      "Cedula No.",
      "D.N.I.",
      "C.U.R.P.",
      "C.U.I.",
      "C.U.I.P.",
      "C.I.N.",
      "N.I.E.",
      "I.F.E.",
      "Credencial electoral",
      "Electoral Registry No.",
      "Kenyan ID No.",
      "Bosnian Personal ID No.",
      "Moroccan Personal ID No.",
      "Turkish Identification Number",
      "Tazkira National ID Card",
      "Numero de Identidad",
      "Tarjeta de Identidad",
      "UAE Identification",
      "CNP (Personal Numerical Code)",
      "Romanian Permanent Resident",
      "Residency Number",
      "Travel Document Number",
      "Stateless Person ID Card",
      "Refugee ID Card",
      "Seafarer's Identification Document",
      "Driver's License No.",
      "Pilot License Number",
      "Birth Certificate Number",
      "Immigration No.",
      "Public Security and Immigration No.",
      "VisaNumberID",
      "SRE Permit No.",
      "SSN",
      "Cartilla de Servicio Militar Nacional",
      "Military Registration Number",
    ],
  ],
  [
    prop("taxNumber"),
    [
      "Tax ID No.",
      "RUC #",
      "R.F.C.",
      "RFC",
      "NIT #",
      "RIF #",
      "RTN",
      "C.I.F.",
      "N.I.F.",
      "C.U.I.T.",
      "US FEIN",
      "Fiscal Code",
      "Italian Fiscal Code",
      "Paraguayan tax identification number",
      "Romanian Tax Registration",
      "Numero Unico de Identificacao Tributaria (NUIT)",
    ],
  ],
  [
    prop("registrationNumber"),
    [
      "Registration ID",
      "Registration Number",
      "Commercial Registry Number",
      "Company Number",
      "UK Company Number",
      "Business Registration Document #",
      "Business Registration Number",
      "Business Number",
      "Certificate of Incorporation Number",
      "Chamber of Commerce Number",
      "Dubai Chamber of Commerce Membership No.",
      "Istanbul Chamber of Comm. No.",
      "Registration Certificate Number (Dubai)",
      "Matricula Mercantil No",
      "Folio Mercantil No.",
      "Public Registration Number",
      "Government Gazette Number",
      "C.R. No.",
      "Romanian C.R.",
      "Registered Charity No.",
      "Enterprise Number",
      "Branch Unit Number",
      "Organization Code",
      "Entity Code",
      "LE Number",
      "Chinese Commercial Code",
      "Unified Social Credit Code (USCC)",
      "United Social Credit Code Certificate (USCCC)",
      "Economic Register Number (CBLS)",
      "Central Registration System Number",
      "Global Intermediary Identification Number",
      "Trade License No.",
      "Tourism License No.",
      "License",
      "Permit Number",
      "MSB Registration Number",
      "Afghan Money Service Provider License Number",
      "Trademark number",
      "File Number",
      "Serial No.",
    ],
  ],
  [prop("ogrnCode"), ["Russian State Individual Business Registration Number Pattern (OGRNIP)"]],
  [prop("leiCode"), ["Legal Entity Number"]],
  [prop("vatCode"), ["V.A.T. Number"]],
  [prop("swiftBic"), ["SWIFT/BIC"]],
  [prop("dunsCode"), ["D-U-N-S Number"]],
  // A Russian bank identification code: an identifier with no property of its own.
  [prop("idNumber"), ["BIK (RU)"]],
  [companyProp("isinCode"), ["ISIN"]],
  [companyProp("ticker"), ["Equity Ticker", "MICEX Code"]],
  [prop("email"), ["Email Address"]],
  [prop("website"), ["Website"]],
  [prop("phone"), ["Phone Number"]],
  [prop("gender"), ["Gender"]],
  [prop("birthDate"), ["Birthdate"]],
  [prop("birthPlace"), ["Place of Birth"]],
  [prop("nationality", "country"), ["Nationality Country"]],
  [prop("citizenship", "country"), ["Citizenship Country"]],
  [prop("jurisdiction", "flag", "country"), ["Nationality of Registration", "Registration Country"]],
  [prop("position", "notes"), ["Title"]],
  [prop("incorporationDate"), ["Organization Established Date"]],
  [prop("sector"), ["Organization Type:"]],
  [companyProp("classification", /\bcompany\b/i), ["Target Type"]],
  [prop("callSign"), ["Vessel Call Sign", "Other Vessel Call Sign"]],
  [prop("type"), ["VESSEL TYPE", "Other Vessel Type"]],
  [prop("flag"), ["Vessel Flag", "Other Vessel Flag"]],
  [prop("pastFlags"), ["Former Vessel Flag"]],
  [prop("tonnage"), ["Vessel Tonnage"]],
  [prop("grossRegisteredTonnage"), ["Vessel Gross Registered Tonnage"]],
  [prop("buildDate"), ["Vessel Year of Build", "Aircraft Manufacture Date"]],
  [prop("mmsi", "registrationNumber"), ["MMSI"]],
  [{ kind: "imo" }, ["Vessel Registration Identification"]],
  [{ kind: "party" }, ["Vessel Owner", "Aircraft Operator"]],
  [
    prop("serialNumber"),
    [
      "Aircraft Construction Number (also called L/N or S/N or F/N)",
      "Aircraft Manufacturer's Serial Number (MSN)",
      "Aircraft Serial Identification",
    ],
  ],
  [prop("registrationNumber"), ["Aircraft Tail Number", "Previous Aircraft Tail Number"]],
  // The Mode S code is the aircraft's 24-bit ICAO address.
  [prop("icaoCode"), ["Aircraft Mode S Transponder Code"]],
  [prop("model"), ["Aircraft Model"]],
  [{ kind: "note" }, ["UN/LOCODE"]],
];

const keys = new Map<string, string>();

/**
 * `normaliseKey` for vocabulary (labels, alias types, reference values), remembered: the same few
 * hundred strings recur in every record. The memory is bounded so odd input cannot grow it.
 */
export function vocabKey(text: string): string {
  let key = keys.get(text);
  if (key === undefined) {
    if (keys.size > 10_000) keys.clear();
    key = normaliseKey(text);
    keys.set(text, key);
  }
  return key;
}

const FIELDS: ReadonlyMap<string, FieldRule> = new Map(
  FIELD_TABLE.flatMap(([rule, labels]) => labels.map((label) => [normaliseKey(label), rule] as const)),
);

/** Directive, secondary-sanctions and similar statements; OFAC adds new ones with each programme. */
const SANCTION_LABEL =
  /\b(?:information|determination|sanctions risk|prohibited)\b|^(?:listing|effective) date\b|divestment date/i;

/** The rule for an OFAC label, or undefined when the label is new to us. */
export function fieldRule(label: string): FieldRule | undefined {
  const key = vocabKey(label);
  const rule = FIELDS.get(key);
  if (rule) return rule;
  if (key.startsWith("digital currency address")) return prop("cryptoWallets");
  if (SANCTION_LABEL.test(label)) return { kind: "sanction" };
  return undefined;
}

// ---------------------------------------------------------------- dates and countries

const lastDay = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();

/**
 * A span between two full dates, as text the date cleaner reads. OFAC writes an uncertain year of
 * birth as 01 Jan to 31 Dec (`01 Jan 1976 to 31 Dec 1978` means 1976, 1977 or 1978), and an
 * uncertain day as the whole month.
 */
export function spanText(from: string, to: string): string {
  if (from === to) return from;
  const [fy, fm, fd] = from.split("-").map(Number) as [number, number, number];
  const [ty, tm, td] = to.split("-").map(Number) as [number, number, number];
  if (fm === 1 && fd === 1 && tm === 12 && td === 31) return fy === ty ? String(fy) : `${fy} to ${ty}`;
  if (fy === ty && fm === tm && fd === 1 && td === lastDay(ty, tm)) return from.slice(0, 7);
  return `${from} to ${to}`;
}

/** Classic XML date text made readable to the cleaner: `circa-1951`, whole-year spans. */
export function ofacDateText(raw: string): string {
  const text = raw.trim().replace(/^(circa|approx\.?|about)\s*-\s*/i, "$1 ");
  const parsed = parseDate(text);
  const [from, to] = parsed?.values ?? [];
  if (parsed?.values.length === 2 && from?.length === 10 && to?.length === 10) return spanText(from, to);
  return text;
}

/** Country text as OFAC writes it, with the `Region:` prefix of disputed areas dropped. */
export const ofacCountry = (text: string): string => text.replace(/^region:\s*/i, "").trim();

// ---------------------------------------------------------------- one listed entity

export interface FieldValue {
  readonly label: string;
  readonly value: string;
  /** For documents: the issuing country, authority, validity dates and a remark. */
  readonly country?: string;
  readonly authority?: string;
  readonly startDate?: string;
  readonly endDate?: string;
  readonly summary?: string;
  /** Where it is in the file, for issues: the element's line and name (default: the label). */
  readonly line?: number;
  readonly field?: string;
}

export interface Where {
  readonly file: string;
  readonly line: number;
  readonly record: string;
}

/** What OFAC writes for a country it knows there is none of. */
const NO_COUNTRY = /^(?:none identified|undetermined)$/i;

const propType = (schema: string, p: string): string | undefined =>
  getSchema(schema)?.properties.get(p)?.type;

/** `Label - value` or `Label: value`, as the CSV's Remarks write the same statement. */
const statement = (label: string, value: string): string =>
  /[-:]$/.test(label.trim()) ? `${label.trim()} ${value}` : `${label.trim()}: ${value}`;

/**
 * A listed entity and the entities that hang off it (addresses, documents), built field by field.
 * Derived entities with the same id are merged, so a document listed twice is one.
 */
export class Listing {
  readonly derived = new Map<string, Entity>();
  /** Statements about the sanction found among the fields, for the Sanction's `provisions`. */
  readonly provisions: string[] = [];
  private addresses = 0;

  constructor(
    readonly target: Entity,
    private readonly ctx: SourceContext,
    readonly where: Where,
    /** Where names of other entries (owners, operators) wait to be resolved. */
    private readonly links: LinkBook,
  ) {}

  issue(code: string, message: string, field?: string, line = this.where.line): void {
    this.ctx.issue({ code, message, ...this.where, line, ...(field ? { field } : {}) });
  }

  /** `add` to the target, reporting each value the property's type refuses. */
  put(
    p: string,
    values: string | readonly (string | undefined)[] | undefined,
    field: string = p,
    line?: number,
  ): void {
    for (const bad of add(this.target, p, values)) {
      this.issue("ofac_invalid_value", `${JSON.stringify(bad)} is not a valid ${p}`, field, line);
    }
  }

  keep(entity: Entity | undefined): void {
    if (!entity) return;
    const prev = this.derived.get(entity.id);
    if (!prev) this.derived.set(entity.id, entity);
    else for (const [p, values] of Object.entries(entity.properties)) addRaw(prev, p, values);
  }

  /** A country name, or undefined (reported unless OFAC says there is none) when we do not know it. */
  country(text: string | undefined, field: string, line?: number): string | undefined {
    if (!text || NO_COUNTRY.test(text.trim())) return undefined;
    const name = ofacCountry(text);
    if (countryCode(name)) return name;
    this.issue("ofac_invalid_value", `${JSON.stringify(text)} is not a known country`, field, line);
    return undefined;
  }

  /** A date for a derived entity, or undefined (reported) when it does not parse. */
  date(text: string | undefined, field: string, line?: number): string | undefined {
    if (!text) return undefined;
    const t = ofacDateText(text);
    if (parseDate(t)) return t;
    this.issue("ofac_invalid_value", `${JSON.stringify(text)} is not a valid date`, field, line);
    return undefined;
  }

  address(facts: Parameters<typeof addressOf>[1], field: string, line?: number): void {
    const country = this.country(facts.country, `${field}/country`, line);
    const a = addressOf(this.target, { ...facts, country }, this.addresses + 1);
    if (a) {
      this.addresses++;
      this.keep(a);
    }
  }

  note(label: string, value: string): void {
    add(this.target, "notes", statement(label, value));
  }

  /** One OFAC field, placed by the vocabulary above. */
  field(f: FieldValue): void {
    const value = f.value.trim();
    if (!value) return;
    const rule = fieldRule(f.label);
    const schema = this.target.schema;
    const field = f.field ?? f.label;
    if (!rule) {
      this.note(f.label, value);
      this.issue(
        "ofac_unknown_field",
        `unknown OFAC field ${JSON.stringify(f.label)}, kept as a note`,
        field,
        f.line,
      );
      return;
    }
    switch (rule.kind) {
      case "note":
        this.note(f.label, value);
        return;
      case "sanction":
        this.provisions.push(statement(f.label, value));
        return;
      case "party":
        // A name, not an id: said in the notes, and linked when it names a listed entity.
        this.note(f.label, value);
        this.links.want(
          { id: this.target.id, schema },
          value,
          { ...this.where, line: f.line ?? this.where.line },
          f.label,
          false,
        );
        return;
      case "document":
        // Vessels and aircraft hold no identity documents: a number they carry is a registration.
        if (!isA(schema, "LegalEntity")) {
          this.toProp(["registrationNumber"], f, value);
          return;
        }
        this.keep(
          documentOf(this.target, {
            type: f.label,
            number: value,
            country: this.country(f.country, `${field}/country`, f.line),
            authority: f.authority,
            startDate: this.date(f.startDate, `${field}/issueDate`, f.line),
            endDate: this.date(f.endDate, `${field}/expirationDate`, f.line),
            summary: f.summary,
          }),
        );
        return;
      case "imo": {
        const imo = value.match(/^IMO\s*(\d{7})$/i)?.[1];
        if (imo) this.toProp(["imoNumber"], f, `IMO${imo}`);
        else this.toProp(["registrationNumber"], f, value);
        return;
      }
      case "prop": {
        const company = rule.company === true || rule.company?.test(value);
        if (company && schema === "Organization") this.target.schema = "Company";
        this.toProp(rule.props ?? [], f, value);
        return;
      }
    }
  }

  private toProp(props: readonly string[], f: FieldValue, value: string): void {
    const schema = this.target.schema;
    const field = f.field ?? f.label;
    const p = props.find((q) => propType(schema, q) !== undefined);
    if (!p) {
      this.note(f.label, value);
      this.issue(
        "ofac_not_applicable",
        `a ${schema} has no ${props.join(" or ")}; kept as a note`,
        field,
        f.line,
      );
      return;
    }
    const type = propType(schema, p);
    if (type === "country" && NO_COUNTRY.test(value)) return;
    let text = value;
    if (type === "date") text = ofacDateText(value);
    else if (type === "country") text = ofacCountry(value);
    // Tonnage is written with thousands separators (`2,350`).
    else if (type === "number") text = value.replace(/,(?=\d{3}\b)/g, "");
    if (p === "notes") this.note(f.label, value);
    else this.put(p, text, field, f.line);
    if (p === "birthPlace" && propType(schema, "birthCountry")) {
      // The place ends with its country as often as not: "Sargodha, Punjab, Pakistan".
      const code = countryCode(ofacCountry(value.split(",").pop() ?? ""));
      if (code) add(this.target, "birthCountry", code);
    }
  }

  entities(): Entity[] {
    return [this.target, ...this.derived.values()];
  }
}

// ---------------------------------------------------------------- links by name

export interface Party {
  readonly id: string;
  readonly schema: string;
}

/** The names written in `(Linked To: NAME)` remarks; parentheses inside the name are kept. */
export function linkedNames(remarks: string): string[] {
  const out: string[] = [];
  const re = /Linked To:\s*/gi;
  for (let m = re.exec(remarks); m; m = re.exec(remarks)) {
    let depth = 1;
    let i = m.index + m[0].length;
    const start = i;
    for (; i < remarks.length; i++) {
      if (remarks[i] === "(") depth++;
      else if (remarks[i] === ")" && --depth === 0) break;
    }
    const name = remarks.slice(start, i).trim().replace(/[.;]$/, "");
    if (name) out.push(name);
  }
  return out;
}

/**
 * Resolves names of other entries ("Linked To: NAME", a vessel's owner) to the entries of the same
 * list. Every name is known only at the end of the file, so the links wait until then; a name two
 * entries share is ambiguous and resolves to neither. Only names stay in memory.
 */
export class LinkBook {
  private readonly primary = new Map<string, Party | null>();
  private readonly secondary = new Map<string, Party | null>();
  private readonly pending: {
    from: Party;
    name: string;
    where: Where;
    relationship: string;
    required: boolean;
  }[] = [];

  /** `primary`: the entry's own name; otherwise an alias, used when no primary name matches. */
  register(name: string, party: Party, primary: boolean): void {
    const map = primary ? this.primary : this.secondary;
    const key = normaliseKey(name);
    const prev = map.get(key);
    if (prev === undefined) map.set(key, party);
    else if (prev && prev.id !== party.id) map.set(key, null);
  }

  /** `required`: an unresolved name is an issue ("Linked To"), not a mere note (an owner). */
  want(from: Party, name: string, where: Where, relationship: string, required: boolean): void {
    this.pending.push({ from, name, where, relationship, required });
  }

  /** The links, one per pair of entries (the relationships of a pair merged). */
  resolve(ctx: SourceContext): Entity[] {
    const links = new Map<string, Entity>();
    for (const { from, name, where, relationship, required } of this.pending) {
      const key = normaliseKey(name);
      const to = this.primary.get(key) ?? (this.primary.has(key) ? null : this.secondary.get(key));
      if (!to) {
        if (required) {
          const why = to === null ? "names more than one entry" : "names no entry of this list";
          ctx.issue({
            code: "ofac_link_unresolved",
            message: `${relationship}: ${JSON.stringify(name)} ${why}; kept in the notes`,
            ...where,
          });
        }
        continue;
      }
      if (to.id === from.id) continue;
      const link = linkOf(makeEntity(from.schema, from.id, ctx.dataset), to.id, to.schema, relationship);
      const prev = links.get(link.id);
      if (!prev) links.set(link.id, link);
      else for (const [p, values] of Object.entries(link.properties)) addRaw(prev, p, values);
    }
    return [...links.values()];
  }
}

/**
 * Whether a file is one of OFAC's XML lists: its root element and a namespace OFAC publishes it
 * under say so, and its file name says which dataset (none for a name OFAC does not use).
 */
export function ofacXmlDetection(
  file: Pick<InputFile, "name" | "head">,
  root: string,
  namespaces: readonly string[],
  fileNames: Readonly<Record<string, string>>,
): Detection | undefined {
  if (rootElement(file.head) !== root) return undefined;
  const head = file.head.toString("utf8");
  if (!namespaces.some((ns) => head.includes(ns))) return undefined;
  const dataset = fileNames[file.name.toLowerCase()];
  return dataset ? { dataset } : {};
}

// ---------------------------------------------------------------- the classic reader

const CLASSIC_ROOT = "sdnList";
const CLASSIC_NS = "http://tempuri.org/sdnList.xsd";
const CLASSIC_TAGS: ReadonlySet<string> = new Set(["publshInformation", "sdnEntry"]);
const CLASSIC_FILES: Readonly<Record<string, string>> = {
  "sdn.xml": "us_ofac_sdn",
  "consolidated.xml": "us_ofac_cons",
};

const SDN_TYPES: Readonly<Record<string, string>> = {
  Individual: "Person",
  Entity: "Organization",
  Vessel: "Vessel",
  Aircraft: "Airplane",
};

/** vesselInfo children, by the advanced XML's name for the same feature. */
const VESSEL_FIELDS: Readonly<Record<string, string>> = {
  callSign: "Vessel Call Sign",
  vesselType: "VESSEL TYPE",
  vesselFlag: "Vessel Flag",
  vesselOwner: "Vessel Owner",
  tonnage: "Vessel Tonnage",
  grossRegisteredTonnage: "Vessel Gross Registered Tonnage",
};

const ENTRY_CHILDREN: ReadonlySet<string> = new Set([
  "uid",
  "firstName",
  "lastName",
  "title",
  "sdnType",
  "remarks",
  "programList",
  "idList",
  "akaList",
  "addressList",
  "nationalityList",
  "citizenshipList",
  "dateOfBirthList",
  "placeOfBirthList",
  "vesselInfo",
]);

/**
 * The entry as plain JSON: `…List` elements become arrays, as does any other element that
 * repeats; empty elements are left out.
 */
function plain(node: XmlNode): unknown {
  if (node.children.length === 0) return node.text || undefined;
  if (node.name.endsWith("List")) return node.children.map(plain).filter((v) => v !== undefined);
  const out: Record<string, unknown> = {};
  const repeated = new Set<string>();
  for (const c of node.children) {
    const v = plain(c);
    if (v === undefined) continue;
    const prev = out[c.name];
    if (prev === undefined) out[c.name] = v;
    else if (repeated.has(c.name)) (prev as unknown[]).push(v);
    else {
      out[c.name] = [prev, v];
      repeated.add(c.name);
    }
  }
  return out;
}

const fullName = (first: string | undefined, last: string | undefined): string =>
  [first, last].filter((p) => p?.trim()).join(" ");

/** aka type and category → name property. A weak name never becomes a strong one. */
function akaProp(type: string | undefined, category: string | undefined): string | undefined {
  if (vocabKey(category ?? "") === "weak") return "weakAlias";
  switch (vocabKey(type ?? "a.k.a.")) {
    case "a k a":
      return "alias";
    case "f k a":
      return "previousName";
    case "n k a":
      return "name";
    default:
      return undefined;
  }
}

function formatError(file: InputFile, message: string, line?: number, record?: string, field?: string) {
  return new InterdictError("INTERDICT_E_LIST_FORMAT", message, {
    file: file.path,
    ...(line ? { line } : {}),
    ...(record ? { record } : {}),
    ...(field ? { field } : {}),
  });
}

function mapEntry(
  node: XmlNode,
  file: InputFile,
  ctx: SourceContext,
  links: LinkBook,
  seen: Set<string>,
): Listing {
  const uid = childText(node, "uid");
  if (!uid) throw formatError(file, "<sdnEntry> without a <uid>", node.line, undefined, "uid");
  if (!/^\d+$/.test(uid))
    throw formatError(file, `uid ${JSON.stringify(uid)} is not a number`, node.line, uid, "uid");
  const type = childText(node, "sdnType");
  const schema = SDN_TYPES[type ?? ""];
  if (!schema) {
    const what = type ? `unknown sdnType ${JSON.stringify(type)}` : "<sdnEntry> without an <sdnType>";
    throw formatError(file, what, node.line, uid, "sdnType");
  }
  const lastName = childText(node, "lastName");
  if (!lastName) throw formatError(file, "<sdnEntry> without a <lastName>", node.line, uid, "lastName");
  // Two entries with one uid would be one entity: the list is not what it should be.
  if (seen.has(uid)) throw formatError(file, `uid ${uid} is listed twice`, node.line, uid, "uid");
  seen.add(uid);
  const firstName = childText(node, "firstName");

  const target = makeTarget(schema, entityId(ctx.dataset, uid), ctx.dataset, plain(node));
  const where = { file: file.path, line: node.line, record: uid };
  const l = new Listing(target, ctx, where, links);
  const party = { id: target.id, schema };

  for (const c of node.children) {
    if (!ENTRY_CHILDREN.has(c.name)) {
      l.issue("ofac_unknown_field", `unknown element <${c.name}>, kept in the source record`, c.name, c.line);
    }
  }

  l.put("name", fullName(firstName, lastName), "lastName");
  links.register(fullName(firstName, lastName), party, true);
  if (schema === "Person") {
    l.put("firstName", firstName, "firstName");
    l.put("lastName", lastName, "lastName");
    // "Linked To:" writes individuals surname first.
    if (firstName) links.register(`${lastName}, ${firstName}`, party, true);
  }
  // Several positions share the field, separated by semicolons (as in the CSV's Title column).
  for (const title of childText(node, "title")?.split(";") ?? []) {
    l.field({ label: "Title", value: title, field: "title" });
  }
  const remarks = childText(node, "remarks");
  if (remarks) {
    l.put("notes", remarks, "remarks");
    for (const name of linkedNames(remarks)) links.want(party, name, where, "Linked To", true);
  }

  for (const aka of children(child(node, "akaList") ?? node, "aka")) {
    const first = childText(aka, "firstName");
    const last = childText(aka, "lastName");
    const type = childText(aka, "type");
    const p = akaProp(type, childText(aka, "category"));
    const name = fullName(first, last);
    if (!name) continue;
    if (!p) {
      l.issue(
        "ofac_unknown_field",
        `unknown aka type ${JSON.stringify(type)}; ${JSON.stringify(name)} taken as an alias`,
        "aka/type",
        aka.line,
      );
    }
    l.put(p ?? "alias", name, "aka", aka.line);
    links.register(name, party, false);
    if (schema === "Person" && first && last) links.register(`${last}, ${first}`, party, false);
  }

  for (const id of children(child(node, "idList") ?? node, "id")) {
    const label = childText(id, "idType");
    const value = childText(id, "idNumber");
    if (!label || !value) {
      l.issue(
        "ofac_invalid_value",
        `<id> without ${label ? "idNumber" : "idType"}, kept in the source record`,
        "id",
        id.line,
      );
      continue;
    }
    l.field({
      label,
      value,
      line: id.line,
      country: childText(id, "idCountry"),
      startDate: childText(id, "issueDate"),
      endDate: childText(id, "expirationDate"),
    });
  }

  for (const a of children(child(node, "addressList") ?? node, "address")) {
    const street = ["address1", "address2", "address3"].map((n) => childText(a, n)).filter(Boolean);
    l.address(
      {
        street: street.join(", ") || undefined,
        city: childText(a, "city"),
        region: childText(a, "stateOrProvince"),
        postalCode: childText(a, "postalCode"),
        country: childText(a, "country"),
      },
      "address",
      a.line,
    );
  }

  const lists: [string, string, string, string][] = [
    ["nationalityList", "nationality", "country", "Nationality Country"],
    ["citizenshipList", "citizenship", "country", "Citizenship Country"],
    ["dateOfBirthList", "dateOfBirthItem", "dateOfBirth", "Birthdate"],
    ["placeOfBirthList", "placeOfBirthItem", "placeOfBirth", "Place of Birth"],
  ];
  for (const [list, item, field, label] of lists) {
    for (const it of children(child(node, list) ?? node, item)) {
      const value = childText(it, field);
      if (value) l.field({ label, value, line: it.line, field });
    }
  }

  const vessel = child(node, "vesselInfo");
  for (const c of vessel?.children ?? []) {
    const label = VESSEL_FIELDS[c.name];
    if (label) l.field({ label, value: c.text, line: c.line, field: c.name });
    else
      l.issue(
        "ofac_unknown_field",
        `unknown element <vesselInfo><${c.name}>, kept in the source record`,
        c.name,
        c.line,
      );
  }

  const programs = children(child(node, "programList") ?? node, "program")
    .map((p) => p.text)
    .filter(Boolean);
  if (programs.length === 0) l.issue("ofac_invalid_value", "entry without a programme", "programList");
  l.keep(
    sanctionOf(target, {
      authority: OFAC_AUTHORITY,
      country: OFAC_COUNTRY,
      program: programs,
      authorityId: uid,
      sourceUrl: ofacUrl(uid),
      provisions: l.provisions,
    }),
  );
  return l;
}

/** Checks the publication header: the month-first Publish_Date and the declared entry count. */
function readHeader(node: XmlNode, file: InputFile, ctx: SourceContext): number | undefined {
  const date = childText(node, "Publish_Date");
  if (date && !parseDate(date, { dayFirst: false })) {
    ctx.issue({
      code: "ofac_invalid_value",
      message: `Publish_Date ${JSON.stringify(date)} is not a month-first date`,
      file: file.path,
      line: node.line,
      field: "Publish_Date",
    });
  }
  const count = childText(node, "Record_Count");
  return count && /^\d+$/.test(count) ? Number(count) : undefined;
}

async function* readClassic(files: readonly InputFile[], ctx: SourceContext): AsyncGenerator<Entity> {
  const seen = new Set<string>();
  const links = new LinkBook();
  for (const file of files) {
    let entries = 0;
    let declared: number | undefined;
    for await (const { node, path } of xmlRecords(file, CLASSIC_TAGS, (n) => ctx.progress?.(n))) {
      if (path.length !== 1 || path[0] !== CLASSIC_ROOT) {
        const where = path.join("/") || "the document root";
        throw formatError(
          file,
          `<${node.name}> under ${where}, expected ${CLASSIC_ROOT}: not OFAC's classic XML`,
          node.line,
        );
      }
      if (node.name === "publshInformation") {
        declared = readHeader(node, file, ctx);
        continue;
      }
      entries++;
      yield* mapEntry(node, file, ctx, links, seen).entities();
    }
    if (entries === 0) throw formatError(file, `no <sdnEntry> records: not an OFAC ${CLASSIC_ROOT}`);
    if (declared !== undefined && declared !== entries) {
      ctx.issue({
        code: "ofac_count_mismatch",
        message: `Record_Count says ${declared} entries, the file holds ${entries}`,
        file: file.path,
        field: "Record_Count",
      });
    }
  }
  yield* links.resolve(ctx);
}

export const sdnXmlReader: Reader = {
  format: "ofac-xml",
  description: "OFAC classic XML: sdn.xml (SDN list) and consolidated.xml (non-SDN list), sdnList.xsd",
  kind: "full",
  datasets: ["us_ofac_sdn", "us_ofac_cons"],
  detect: (file) => ofacXmlDetection(file, CLASSIC_ROOT, [CLASSIC_NS], CLASSIC_FILES),
  read: readClassic,
};
