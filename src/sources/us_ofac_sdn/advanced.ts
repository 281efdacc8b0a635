// OFAC's advanced XML (`sdn_advanced.xml`; `cons_advanced.xml` for the consolidated list), the
// Advanced Sanctions Data Model of sdn_advanced.xsd: parties described through reference values
// (alias types, name-part types, feature types, countries…) that the file declares first.
//
// One pass over the stream. The schema fixes the order of the sections: ReferenceValueSets,
// Locations, IDRegDocuments, DistinctParties, ProfileRelationships, SanctionsEntries. What the
// parties refer to comes before them, so reference values, locations and documents are kept in
// maps (small next to the parties; a party's documents are dropped once it is read) and each
// party is mapped and yielded as soon as it is read. What follows the parties only adds link and
// Sanction entities, which need no more of a party than its id and schema and the sanction
// statements among its features: only that is kept, with the parties' names for the owners and
// operators OFAC names rather than refers to. No party is held back, and the 100 MB file is
// parsed once rather than twice.

import { InterdictError } from "../../errors.js";
import { add, type Entity, entityId, makeEntity } from "../../model/entity.js";
import { getSchema, isA } from "../../model/schema.js";
import { countryCode, normaliseKey } from "../../model/types.js";
import { type AddressFacts, linkOf, makeTarget, type SanctionFacts, sanctionOf } from "../_map.js";
import { child, children, childText, texts, type XmlNode, xmlRecords } from "../_xml.js";
import type { InputFile, Reader, SourceContext } from "../types.js";
import {
  fieldRule,
  LinkBook,
  Listing,
  OFAC_AUTHORITY,
  OFAC_COUNTRY,
  ofacCountry,
  ofacUrl,
  ofacXmlDetection,
  spanText,
  vocabKey,
} from "./xml.js";

const ROOT = "Sanctions";
/** OFAC publishes the model under the UN's namespace and, from the Sanctions List Service, its own. */
const NAMESPACES = ["http://www.un.org/sanctions/1.0", "sanctionslistservice.ofac.treas.gov"];
const ADVANCED_FILES: Readonly<Record<string, string>> = {
  "sdn_advanced.xml": "us_ofac_sdn",
  "cons_advanced.xml": "us_ofac_cons",
};

/** Record element → the section it must sit in (under the root). */
const SECTIONS: Readonly<Record<string, string | undefined>> = {
  DateOfIssue: undefined,
  ReferenceValueSets: undefined,
  Location: "Locations",
  IDRegDocument: "IDRegDocuments",
  DistinctParty: "DistinctParties",
  ProfileRelationship: "ProfileRelationships",
  SanctionsEntry: "SanctionsEntries",
};
const TAGS: ReadonlySet<string> = new Set(Object.keys(SECTIONS));

const PARTY_TYPES: Readonly<Record<string, string>> = {
  Individual: "Person",
  Entity: "Organization",
  "Other Entity": "Organization",
  Vessel: "Vessel",
  Aircraft: "Airplane",
};

/** Name-part types that are the whole name of a non-person. */
const WHOLE_NAMES: ReadonlySet<string> = new Set(["Entity Name", "Vessel Name", "Aircraft Name"]);
/** A person's name parts in the order a full name is written, and their properties. */
const NAME_PARTS: readonly (readonly [string, string | undefined])[] = [
  ["First Name", "firstName"],
  ["Middle Name", "middleName"],
  ["Patronymic", "fatherName"],
  ["Matronymic", "motherName"],
  ["Last Name", "lastName"],
  ["Maiden Name", undefined],
];
const NAME_ORDER = new Map(NAME_PARTS.map(([type], i) => [type, i]));

const LATIN = new Set(["latin", "latn"]);

interface RelationRule {
  readonly schema: string;
  readonly from: string;
  readonly to: string;
  readonly role: string;
  readonly fromRange: string;
  readonly toRange: string;
}
const OWNED_BY: RelationRule = {
  schema: "Ownership",
  from: "asset",
  to: "owner",
  role: "role",
  fromRange: "Thing",
  toRange: "LegalEntity",
};
const DIRECTS: RelationRule = {
  schema: "Directorship",
  from: "director",
  to: "organization",
  role: "role",
  fromRange: "LegalEntity",
  toRange: "Organization",
};
/** RelationType → link schema; any other type (Associate Of, Providing support to…) is a plain link. */
const RELATIONS: ReadonlyMap<string, RelationRule> = new Map(
  (
    [
      ["Owned or Controlled By", OWNED_BY],
      ["Property in the interest of", OWNED_BY],
      [
        "Owns, controls, or operates",
        {
          schema: "Ownership",
          from: "owner",
          to: "asset",
          role: "role",
          fromRange: "LegalEntity",
          toRange: "Thing",
        },
      ],
      [
        "Family member of",
        {
          schema: "Family",
          from: "person",
          to: "relative",
          role: "relationship",
          fromRange: "Person",
          toRange: "Person",
        },
      ],
      ["Leader or official of", DIRECTS],
      ["Principal Executive Officer", DIRECTS],
    ] as const
  ).map(([type, rule]) => [normaliseKey(type), rule]),
);

/** The party as plain JSON: attributes as `@name`, every child element as an array. */
const attrKeys = new Map<string, string>();

function plain(node: XmlNode): unknown {
  let out: Record<string, unknown> | undefined;
  for (const k in node.attrs) {
    if (k === "xmlns") continue;
    // Every party repeats the same few attribute names; building their keys once saves time.
    let key = attrKeys.get(k);
    if (key === undefined) {
      if (attrKeys.size > 1000) attrKeys.clear();
      attrKeys.set(k, (key = `@${k}`));
    }
    (out ??= {})[key] = node.attrs[k];
  }
  for (const c of node.children) {
    const v = plain(c);
    if (v === undefined) continue;
    out ??= {};
    const prev = out[c.name] as unknown[] | undefined;
    if (prev) prev.push(v);
    else out[c.name] = [v];
  }
  if (!node.text) return out;
  if (!out) return node.text;
  out["#text"] = node.text;
  return out;
}

/** A `Year`/`Month`/`Day` point as an ISO date. */
function pointIso(node: XmlNode | undefined): string | undefined {
  const y = node && childText(node, "Year");
  if (!node || !y) return undefined;
  const pad = (t: string | undefined) => (t ?? "1").padStart(2, "0");
  return `${y.padStart(4, "0")}-${pad(childText(node, "Month"))}-${pad(childText(node, "Day"))}`;
}

/** A DatePeriod as date text: its widest span, narrowed to a year or month when it is one. */
function periodText(period: XmlNode): string | undefined {
  const start = child(period, "Start");
  const end = child(period, "End");
  const from = start && (pointIso(child(start, "From")) ?? pointIso(child(start, "To")));
  const to = end && (pointIso(child(end, "To")) ?? pointIso(child(end, "From")));
  if (from && to) return spanText(from, to);
  return from ?? to;
}

interface Place extends AddressFacts {
  /** Parts of unknown type (often just a country's name). */
  readonly other?: string;
}

const placeText = (p: Place): string =>
  [p.other, p.street, p.city, p.region, p.postalCode, p.country].filter((v) => v?.trim()).join(", ");

interface RegDoc {
  readonly label: string;
  readonly number?: string;
  readonly country?: string;
  readonly authority?: string;
  readonly issued?: string;
  readonly expires?: string;
  readonly summary?: string;
  readonly line: number;
}

interface PartyRef {
  readonly id: string;
  readonly schema: string;
}

/** The state of one file's pass. */
class AdvancedFile {
  private refs?: Map<string, Map<string, XmlNode>>;
  private readonly places = new Map<string, Place>();
  private readonly docs = new Map<string, RegDoc[]>();
  /** Every party read: its entity id and schema, for links and sanctions. */
  private readonly parties = new Map<string, PartyRef>();
  /** Sanction statements found among a party's features, until its SanctionsEntry. */
  private readonly provisions = new Map<string, string[]>();
  private readonly sanctioned = new Set<string>();
  /** Names of the parties, for owners and operators OFAC names rather than refers to. */
  private readonly links = new LinkBook();
  private sawParty = false;

  constructor(
    private readonly file: InputFile,
    private readonly ctx: SourceContext,
  ) {}

  private fail(message: string, node?: XmlNode, record?: string, field?: string): InterdictError {
    return new InterdictError("INTERDICT_E_LIST_FORMAT", message, {
      file: this.file.path,
      ...(node ? { line: node.line } : {}),
      ...(record ? { record } : {}),
      ...(field ? { field } : {}),
    });
  }

  private issue(code: string, message: string, node: XmlNode, record?: string, field?: string): void {
    this.ctx.issue({
      code,
      message,
      file: this.file.path,
      line: node.line,
      ...(record ? { record } : {}),
      ...(field ? { field } : {}),
    });
  }

  /** A reference value the file must declare: a dangling reference means a broken file. */
  private ref(set: string, id: string | undefined, at: XmlNode, record?: string): XmlNode {
    if (!this.refs) throw this.fail(`<${at.name}> before the ReferenceValueSets`, at, record);
    const value = id === undefined ? undefined : this.refs.get(set)?.get(id);
    if (!value) {
      throw this.fail(
        `<${at.name}> refers to ${set} ${JSON.stringify(id ?? "")}, which the file does not declare`,
        at,
        record,
        `${set}ID`,
      );
    }
    return value;
  }

  private optionalRef(set: string, id: string | undefined): XmlNode | undefined {
    return id === undefined ? undefined : this.refs?.get(set)?.get(id);
  }

  /** A country as a name the cleaner knows, else its ISO code, else as written; none when undetermined. */
  private country(id: string | undefined, at: XmlNode): string | undefined {
    if (id === undefined) return undefined;
    const c = this.ref("Country", id, at);
    if (vocabKey(c.text) === "undetermined") return undefined;
    const iso = c.attrs.ISO2;
    if (!countryCode(ofacCountry(c.text)) && iso && countryCode(iso)) return iso;
    return c.text;
  }

  readRefs(node: XmlNode): void {
    this.refs = new Map();
    for (const set of node.children) {
      const values = new Map<string, XmlNode>();
      for (const v of set.children) if (v.attrs.ID !== undefined) values.set(v.attrs.ID, v);
      this.refs.set(set.name.replace(/Values$/, ""), values);
    }
  }

  readLocation(node: XmlNode): void {
    const id = node.attrs.ID;
    if (!id) throw this.fail("<Location> without an ID", node);
    let country: string | undefined;
    for (const lc of children(node, "LocationCountry")) country ??= this.country(lc.attrs.CountryID, lc);
    for (const la of children(node, "LocationAreaCode")) {
      const area = this.ref("AreaCode", la.attrs.AreaCodeID, la);
      country ??= area.attrs.CountryID ? this.country(area.attrs.CountryID, la) : area.attrs.Description;
    }
    const parts = new Map<string, string[]>();
    for (const part of children(node, "LocationPart")) {
      const type = this.ref("LocPartType", part.attrs.LocPartTypeID, part).text;
      const values = children(part, "LocationPartValue");
      const value = (values.find((v) => v.attrs.Primary === "true") ?? values[0]) as XmlNode | undefined;
      const text = value && childText(value, "Value");
      if (text) parts.set(type, [...(parts.get(type) ?? []), text]);
    }
    const join = (...types: string[]) => types.flatMap((t) => parts.get(t) ?? []).join(", ") || undefined;
    let other = join(...[...parts.keys()].filter((t) => !KNOWN_LOC_PARTS.has(t)));
    if (other && !country && countryCode(ofacCountry(other))) {
      country = other;
      other = undefined;
    }
    this.places.set(id, {
      other,
      street: join("ADDRESS1", "ADDRESS2", "ADDRESS3"),
      city: join("CITY"),
      region: join("STATE/PROVINCE", "REGION"),
      postalCode: join("POSTAL CODE"),
      country,
    });
  }

  readDocument(node: XmlNode): void {
    const identity = node.attrs.IdentityID;
    if (!identity) throw this.fail("<IDRegDocument> without an IdentityID", node);
    let issued: string | undefined;
    let expires: string | undefined;
    for (const d of children(node, "DocumentDate")) {
      const type = vocabKey(this.ref("IDRegDocDateType", d.attrs.IDRegDocDateTypeID, d).text);
      const period = child(d, "DatePeriod");
      const text = period && periodText(period);
      if (type === "issue date") issued = text;
      else if (type === "expiration date") expires = text;
    }
    const validity = this.optionalRef("Validity", node.attrs.ValidityID)?.text;
    const notes = [childText(node, "Comment"), validity && validity !== "Valid" ? validity : undefined];
    const doc: RegDoc = {
      label: this.ref("IDRegDocType", node.attrs.IDRegDocTypeID, node).text,
      number: childText(node, "IDRegistrationNo"),
      country: this.country(node.attrs["IssuedBy-CountryID"], node),
      authority: childText(node, "IssuingAuthority"),
      issued,
      expires,
      summary: notes.filter(Boolean).join("; ") || undefined,
      line: node.line,
    };
    // Held until its party is read.
    this.docs.set(identity, [...(this.docs.get(identity) ?? []), doc]);
  }

  private schemaOf(profile: XmlNode, record: string): string {
    const sub = this.ref("PartySubType", profile.attrs.PartySubTypeID, profile, record);
    const type =
      sub.text === "Unknown" ? this.ref("PartyType", sub.attrs.PartyTypeID, sub, record).text : sub.text;
    const schema = PARTY_TYPES[type];
    if (!schema)
      throw this.fail(
        `party type ${JSON.stringify(type)} is not one we can map`,
        profile,
        record,
        "PartySubTypeID",
      );
    return schema;
  }

  *readParty(node: XmlNode): Generator<Entity> {
    this.sawParty = true;
    const fixedRef = node.attrs.FixedRef;
    if (!fixedRef) throw this.fail("<DistinctParty> without a FixedRef", node, undefined, "FixedRef");
    const profiles = children(node, "Profile");
    if (profiles.length === 0)
      throw this.fail("<DistinctParty> without a <Profile>", node, fixedRef, "Profile");
    for (const profile of profiles) {
      const profileId = profile.attrs.ID;
      if (!profileId) throw this.fail("<Profile> without an ID", profile, fixedRef, "ID");
      const schema = this.schemaOf(profile, profileId);
      const id = entityId(this.ctx.dataset, profileId);
      // Two profiles with one id would be one entity: the list is not what it should be.
      if (this.parties.has(profileId))
        throw this.fail(`profile ${profileId} is listed twice`, profile, profileId, "ID");
      const target = makeTarget(schema, id, this.ctx.dataset, plain(node));
      const where = { file: this.file.path, line: profile.line, record: profileId };
      const l = new Listing(target, this.ctx, where, this.links);
      for (const c of [...children(node, "Comment"), ...children(profile, "Comment")])
        l.put("notes", c.text, "Comment");
      const identities = children(profile, "Identity");
      if (identities.length === 0)
        throw this.fail("<Profile> without an <Identity>", profile, profileId, "Identity");
      for (const identity of identities) this.readIdentity(identity, l);
      for (const feature of children(profile, "Feature")) this.readFeature(feature, l);
      if (!target.properties.name)
        throw this.fail("party without a primary name", profile, profileId, "Alias");
      const party = { id, schema: target.schema };
      this.parties.set(profileId, party);
      for (const name of target.properties.name ?? []) this.links.register(name, party, true);
      for (const name of [...(target.properties.alias ?? []), ...(target.properties.previousName ?? [])]) {
        this.links.register(name, party, false);
      }
      if (l.provisions.length) this.provisions.set(profileId, l.provisions);
      yield* l.entities();
    }
  }

  private readIdentity(identity: XmlNode, l: Listing): void {
    const record = l.where.record;
    const partTypes = new Map<string, string>();
    for (const g of children(child(identity, "NamePartGroups") ?? identity, "MasterNamePartGroup")) {
      for (const group of children(g, "NamePartGroup")) {
        partTypes.set(
          group.attrs.ID ?? "",
          this.ref("NamePartType", group.attrs.NamePartTypeID, group, record).text,
        );
      }
    }
    const primaryIdentity = identity.attrs.Primary === "true";
    for (const alias of children(identity, "Alias")) {
      const aliasType = vocabKey(this.ref("AliasType", alias.attrs.AliasTypeID, alias, record).text);
      const weak = alias.attrs.LowQuality === "true";
      for (const dn of children(alias, "DocumentedName")) {
        const status = this.optionalRef("DocNameStatus", dn.attrs.DocNameStatusID)?.text;
        const parts = children(dn, "DocumentedNamePart").flatMap((p) => children(p, "NamePartValue"));
        const script = this.optionalRef("Script", parts[0]?.attrs.ScriptID);
        const latin = !script || LATIN.has(vocabKey(script.attrs.ScriptCode ?? script.text));
        const primary =
          primaryIdentity && alias.attrs.Primary === "true" && status === "Primary Latin" && latin;
        const typed = parts.map((p) => ({
          type: partTypes.get(p.attrs.NamePartGroupID ?? "") ?? "",
          value: p.text,
        }));
        const whole = typed.filter((p) => WHOLE_NAMES.has(p.type));
        const personal = typed
          .filter((p) => !WHOLE_NAMES.has(p.type) && p.type !== "Nickname")
          .sort(
            (a, b) =>
              (NAME_ORDER.get(a.type) ?? NAME_PARTS.length) - (NAME_ORDER.get(b.type) ?? NAME_PARTS.length),
          );
        const name = (whole.length ? whole : personal).map((p) => p.value).join(" ");
        for (const nick of typed.filter((p) => p.type === "Nickname"))
          l.put("weakAlias", nick.value, "Nickname", dn.line);
        if (!name) continue;
        let p: string;
        if (weak) p = "weakAlias";
        else if (aliasType === "name" || aliasType === "n k a")
          p = primary || (aliasType === "n k a" && latin) ? "name" : "alias";
        else if (aliasType === "f k a") p = "previousName";
        else p = "alias";
        if (aliasType !== "name" && aliasType !== "a k a" && aliasType !== "f k a" && aliasType !== "n k a") {
          l.issue(
            "ofac_unknown_field",
            `unknown alias type ${JSON.stringify(aliasType)}; ${JSON.stringify(name)} taken as an alias`,
            "AliasTypeID",
            dn.line,
          );
        }
        l.put(p, name, "DocumentedName", dn.line);
        if (primary && l.target.schema === "Person" && !whole.length) {
          for (const [type, prop] of NAME_PARTS) {
            const value = typed
              .filter((t) => t.type === type)
              .map((t) => t.value)
              .join(" ");
            if (prop && value) l.put(prop, value, type, dn.line);
          }
        }
      }
    }
    const id = identity.attrs.ID ?? "";
    for (const doc of this.docs.get(id) ?? []) {
      if (!doc.number) {
        l.issue(
          "ofac_invalid_value",
          `${doc.label} without a number, kept out`,
          "IDRegistrationNo",
          doc.line,
        );
        continue;
      }
      l.field({
        label: doc.label,
        value: doc.number,
        line: doc.line,
        country: doc.country,
        authority: doc.authority,
        startDate: doc.issued,
        endDate: doc.expires,
        summary: doc.summary,
      });
    }
    this.docs.delete(id);
  }

  private readFeature(feature: XmlNode, l: Listing): void {
    const record = l.where.record;
    const label = this.ref("FeatureType", feature.attrs.FeatureTypeID, feature, record).text.trim();
    const rule = fieldRule(label);
    const props = getSchema(l.target.schema)?.properties;
    const p = rule?.props?.find((q) => props?.has(q));
    const wantsCountry = p !== undefined && props?.get(p)?.type === "country";
    for (const version of children(feature, "FeatureVersion")) {
      // OFAC keeps facts it knows to be false (a fraudulent date of birth) marked as such.
      if (this.optionalRef("Reliability", version.attrs.ReliabilityID)?.text === "False") continue;
      for (const period of children(version, "DatePeriod")) {
        const text = periodText(period);
        if (text) l.field({ label, value: text, line: period.line });
      }
      for (const detail of children(version, "VersionDetail")) {
        const refId = detail.attrs.DetailReferenceID;
        const value = refId === undefined ? detail.text : this.optionalRef("DetailReference", refId)?.text;
        if (refId !== undefined && value === undefined) {
          l.issue("ofac_invalid_value", `DetailReference ${refId} is not declared`, label, detail.line);
        }
        if (value) l.field({ label, value, line: detail.line });
      }
      for (const vl of children(version, "VersionLocation")) {
        const place = this.places.get(vl.attrs.LocationID ?? "");
        if (!place) {
          l.issue("ofac_invalid_value", `Location ${vl.attrs.LocationID} is not declared`, label, vl.line);
          continue;
        }
        if (vocabKey(label) === "location") {
          const street = [place.other, place.street].filter(Boolean).join(", ") || undefined;
          l.address(
            {
              street,
              city: place.city,
              region: place.region,
              postalCode: place.postalCode,
              country: place.country,
            },
            label,
            vl.line,
          );
        } else {
          const value = wantsCountry ? (place.country ?? place.other) : placeText(place);
          if (value) l.field({ label, value, line: vl.line });
        }
      }
    }
  }

  readRelationship(node: XmlNode): Entity | undefined {
    const relId = node.attrs.ID ?? "";
    const from = this.parties.get(node.attrs["From-ProfileID"] ?? "");
    const to = this.parties.get(node.attrs["To-ProfileID"] ?? "");
    const type = this.ref("RelationType", node.attrs.RelationTypeID, node, relId).text;
    if (!from || !to) {
      const missing = from ? node.attrs["To-ProfileID"] : node.attrs["From-ProfileID"];
      this.issue(
        "ofac_link_unresolved",
        `relationship ${relId} (${type}) names profile ${missing}, which is not in the file`,
        node,
        relId,
      );
      return undefined;
    }
    const id = `${from.id}-rel-${relId}`;
    const rule = RELATIONS.get(vocabKey(type));
    const fits = (a: PartyRef, b: PartyRef) =>
      rule && isA(a.schema, rule.fromRange) && isA(b.schema, rule.toRange);
    // OFAC sometimes writes a relation from the other end; the link keeps its meaning either way.
    const [a, b] = fits(from, to) ? [from, to] : fits(to, from) ? [to, from] : [undefined, undefined];
    let link: Entity;
    if (rule && a && b) {
      link = makeEntity(rule.schema, id, this.ctx.dataset);
      add(link, rule.from, a.id);
      add(link, rule.to, b.id);
      add(link, rule.role, type);
    } else {
      link = linkOf(makeEntity(from.schema, from.id, this.ctx.dataset), to.id, to.schema, type);
      // linkOf names a link by its two ends; OFAC may relate the same two parties more than once.
      link.id = id;
    }
    add(link, "summary", childText(node, "Comment"));
    if (node.attrs.Former === "true") add(link, "summary", "former relationship");
    return link;
  }

  readSanction(node: XmlNode): Entity | undefined {
    const entryId = node.attrs.ID ?? "";
    const profileId = node.attrs.ProfileID ?? "";
    const party = this.parties.get(profileId);
    if (!party) {
      this.issue(
        "ofac_link_unresolved",
        `SanctionsEntry ${entryId} is for profile ${profileId}, which is not in the file`,
        node,
        profileId,
      );
      return undefined;
    }
    const events = children(node, "EntryEvent");
    const created =
      events.find(
        (e) =>
          vocabKey(this.optionalRef("EntryEventType", e.attrs.EntryEventTypeID)?.text ?? "") === "created",
      ) ?? events[0];
    const listed = created && pointIso(child(created, "Date"));
    const reasons = events
      .map((e) => this.optionalRef("LegalBasis", e.attrs.LegalBasisID)?.text)
      .filter((r) => r && r !== "Unknown");
    const programs: string[] = [];
    const provisions: string[] = [];
    for (const m of children(node, "SanctionsMeasure")) {
      const type = this.ref("SanctionsType", m.attrs.SanctionsTypeID, m, profileId).text;
      const comment = childText(m, "Comment");
      if (type === "Program") {
        if (comment) programs.push(comment);
      } else provisions.push(comment ? `${type}: ${comment}` : type);
    }
    provisions.push(...texts(node, "LimitationsToListing"), ...(this.provisions.get(profileId) ?? []));
    const list = this.optionalRef("List", node.attrs.ListID)?.text;
    const facts: SanctionFacts = {
      authority: OFAC_AUTHORITY,
      country: OFAC_COUNTRY,
      program: programs,
      authorityId: profileId,
      sourceUrl: ofacUrl(profileId),
      listingDate: listed,
      startDate: listed,
      reason: reasons.join("; ") || undefined,
      provisions,
      summary: [
        list,
        childText(node, "Comment"),
        ...children(node, "SupportingInfo").flatMap((s) => texts(s, "Text")),
      ]
        .filter(Boolean)
        .join("; "),
    };
    const first = !this.sanctioned.has(profileId);
    this.sanctioned.add(profileId);
    this.provisions.delete(profileId);
    return sanctionOf(
      makeEntity(party.schema, party.id, this.ctx.dataset),
      facts,
      first ? "sanction" : `sanction-${entryId}`,
    );
  }

  async *records(): AsyncGenerator<Entity> {
    for await (const { node, path } of xmlRecords(this.file, TAGS, (n) => this.ctx.progress?.(n))) {
      const section = SECTIONS[node.name];
      const expected = section ? [ROOT, section] : [ROOT];
      if (path.join("/") !== expected.join("/")) {
        throw this.fail(
          `<${node.name}> under ${path.join("/") || "the document root"}, expected ${expected.join("/")}: not OFAC's advanced XML`,
          node,
        );
      }
      switch (node.name) {
        case "ReferenceValueSets":
          this.readRefs(node);
          break;
        case "Location":
        case "IDRegDocument":
          if (this.sawParty)
            throw this.fail(
              `<${node.name}> after the DistinctParties: the file is out of schema order`,
              node,
            );
          if (node.name === "Location") this.readLocation(node);
          else this.readDocument(node);
          break;
        case "DistinctParty":
          yield* this.readParty(node);
          break;
        case "ProfileRelationship": {
          const link = this.readRelationship(node);
          if (link) yield link;
          break;
        }
        case "SanctionsEntry": {
          const sanction = this.readSanction(node);
          if (sanction) yield sanction;
          break;
        }
      }
    }
    if (this.parties.size === 0) throw this.fail("no <DistinctParty> records: not an OFAC advanced XML list");
    yield* this.links.resolve(this.ctx);
    for (const [profileId, party] of this.parties) {
      if (!this.sanctioned.has(profileId)) {
        this.ctx.issue({
          code: "ofac_missing_sanction",
          message: `${party.id} has no SanctionsEntry`,
          file: this.file.path,
          record: profileId,
        });
      }
    }
  }
}

const KNOWN_LOC_PARTS: ReadonlySet<string> = new Set([
  "ADDRESS1",
  "ADDRESS2",
  "ADDRESS3",
  "CITY",
  "STATE/PROVINCE",
  "REGION",
  "POSTAL CODE",
]);

export const advancedXmlReader: Reader = {
  format: "ofac-advanced-xml",
  description: "OFAC advanced XML: sdn_advanced.xml and cons_advanced.xml (sdn_advanced.xsd)",
  kind: "full",
  datasets: ["us_ofac_sdn", "us_ofac_cons"],
  detect(file) {
    const found = ofacXmlDetection(file, ROOT, NAMESPACES, ADVANCED_FILES);
    const head = file.head.toString("utf8");
    return found && /<(?:[\w.-]+:)?(?:DateOfIssue|ReferenceValueSets)[\s>]/.test(head) ? found : undefined;
  },
  async *read(files, ctx) {
    for (const file of files) yield* new AdvancedFile(file, ctx).records();
  },
};
