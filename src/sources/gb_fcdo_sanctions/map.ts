// One <Designation> of the UK Sanctions List → the subject (Person, Organization, Company or
// Vessel), its Sanction, addresses and identity documents, plus the names it gives of related
// parties (parent companies, subsidiaries, ship owners) for the reader to link once the whole
// list is known. Property choices follow the project's FtM copy of this list
// (lists/gb_fcdo_sanctions/…/entities.ftm.json), so both forms of the list agree.

import { InterdictError, type Issue } from "../../errors.js";
import { add, type Entity, entityId } from "../../model/entity.js";
import { countryCode, parseDate } from "../../model/types.js";
import { addressOfLines, documentOf, makeTarget, sanctionOf } from "../_map.js";
import { child, children, childText, plain, type XmlNode } from "../_xml.js";
import type { SourceContext } from "../types.js";

export const AUTHORITY = "UK Foreign, Commonwealth & Development Office";

/** A related party named in a designation, to be linked if it names a listed subject. */
export interface Reference {
  /** The designation's subject (id and schema only: the entity itself is long gone by then). */
  readonly from: { readonly id: string; readonly schema: string };
  readonly name: string;
  /** `parent`: the named party owns the subject; `subsidiary`: the subject owns it. */
  readonly direction: "parent" | "subsidiary";
  readonly role: string;
}

export interface Mapped {
  readonly entities: Entity[];
  /** Names by which other designations may refer to this subject. */
  readonly names: string[];
  readonly references: Reference[];
}

const SCHEMA_OF: Readonly<Record<string, string>> = {
  individual: "Person",
  entity: "Organization",
  ship: "Vessel",
};

/** "Type of entity" values that say the organisation is a company. */
const COMPANY =
  /\b(?:compan(?:y|ies)|ltd|limited|llc|l\.l\.c|plc|inc|incorporated|corporation|corp|gmbh|ag|jsc|pjsc|ojsc|cjsc|ooo|oao|zao|llp|joint[- ]stock|enterprise|firm)\b/i;

/** `IMO 9058713 ("AVAX")`: ships listed under their IMO number, the name in brackets. */
const IMO_NAME = /^IMO\s*(\d{7})\s*\(\s*"?(.+?)"?\s*\)$/i;

/** An IMO number's last digit checks the six before it (weights 7…2). */
export function validImo(digits: string): boolean {
  if (!/^\d{7}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 6; i++) sum += Number(digits[i]) * (7 - i);
  return sum % 10 === Number(digits[6]);
}

/** Whitespace runs as one space (the XML reader has trimmed the ends already). */
const collapse = (t: string): string => (/\s\s|[\t\n\r\u00a0]/.test(t) ? t.replace(/\s+/g, " ").trim() : t);

/** The non-empty texts along a path of child names; "-" counts as empty, as in the FtM copy. */
function texts(node: XmlNode | undefined, ...path: string[]): string[] {
  const out: string[] = [];
  const walk = (n: XmlNode, depth: number): void => {
    if (depth === path.length) {
      const t = collapse(n.text);
      if (t && t !== "-") out.push(t);
      return;
    }
    for (const c of n.children) if (c.name === path[depth]) walk(c, depth + 1);
  };
  if (node) walk(node, 0);
  return out;
}

/** "dd/mm/1972", "mm/1972": the list writes unknown parts as letters. */
function parseDob(text: string): string[] {
  return parseDate(text.replace(/\b(?:dd|mm)\b/gi, "00"))?.values ?? [];
}

/** "UK Company no. 06527449", "OGRN: 1027700…" → the number; otherwise the text as given. */
function registrationNumber(text: string): string {
  const m = text.match(/(?:no\.?|number|:)\s*([A-Z0-9][A-Z0-9\-/. ]*\d[A-Z0-9-]*)\s*$/i);
  return m?.[1]?.trim() ?? text;
}

export interface MapContext {
  readonly ctx: SourceContext;
  readonly file: string;
}

export function mapDesignation(node: XmlNode, m: MapContext): Mapped {
  const uniqueId = childText(node, "UniqueID")?.trim();
  if (!uniqueId) {
    throw new InterdictError("INTERDICT_E_LIST_FORMAT", "a Designation without a UniqueID", {
      file: m.file,
      line: node.line,
      field: "UniqueID",
    });
  }
  const issue = (at: XmlNode, field: string, code: string, message: string): void =>
    m.ctx.issue({ code, message, file: m.file, line: at.line, record: uniqueId, field } satisfies Issue);
  const text = (name: string): string | undefined => texts(node, name)[0];

  const entityDetails = child(node, "EntityDetails");
  const entityTypes = texts(entityDetails, "Entity", "TypeOfEntities", "TypeOfEntity");
  const kind = text("IndividualEntityShip") ?? "";
  let schema = SCHEMA_OF[kind.toLowerCase()];
  if (!schema) {
    issue(
      node,
      "IndividualEntityShip",
      "unknown_subject_type",
      `"${kind}" is not Individual, Entity or Ship`,
    );
    schema = "Organization";
  }
  if (schema === "Organization" && entityTypes.some((t) => COMPANY.test(t))) schema = "Company";
  const isPerson = schema === "Person";
  const isVessel = schema === "Vessel";
  const target = makeTarget(schema, entityId(m.ctx.dataset, uniqueId), m.ctx.dataset, plain(node));
  const out: Entity[] = [target];
  const names: string[] = [];
  const references: Reference[] = [];
  const from = { id: target.id, schema };
  const report = (at: XmlNode | undefined, field: string, code: string, rejected: string[]): void => {
    for (const v of rejected) issue(at ?? node, field, code, `"${v}" is not a valid ${field}`);
  };

  // Names: the first primary name is the name; every other name an alias, weak when the list
  // marks it low quality.
  const entries = children(child(node, "Names") ?? node, "Name");
  const hasPrimary = entries.some((n) => /^primary name$/i.test(childText(n, "NameType")?.trim() ?? ""));
  let named = false;
  for (const n of entries) {
    const parts = [1, 2, 3, 4, 5].map((i) => texts(n, `Name${i}`)[0]).filter((p): p is string => !!p);
    const last = texts(n, "Name6")[0];
    const type = (texts(n, "NameType")[0] ?? "").toLowerCase();
    const weak = /low quality/i.test(texts(n, "AliasStrength")[0] ?? "");
    let full: string;
    const extra: string[] = [];
    if (isPerson || !last) full = [...parts, last ?? ""].join(" ").trim();
    else {
      // An entity's name is Name6; other parts (rare) are another name, not a prefix.
      full = last;
      if (parts.length) extra.push(parts.join(" "));
    }
    if (!full) {
      issue(n, "Name", "empty_name", "a name entry with no name part");
      continue;
    }
    let prop: "name" | "alias" | "weakAlias";
    if (!named && (type === "primary name" || !hasPrimary)) prop = "name";
    else if (type === "primary name" || type === "primary name variation" || type === "alias") {
      prop = weak ? "weakAlias" : "alias";
    } else {
      issue(n, "NameType", "unknown_name_type", `NameType "${type}" is read as an alias`);
      prop = "alias";
    }
    if (prop === "name") named = true;
    add(target, prop, full);
    add(target, "alias", extra);
    if (prop !== "weakAlias") names.push(full, ...extra);
    // Name parts from primary names only: an alias's split into Name1…Name6 is often arbitrary.
    const first = texts(n, "Name1")[0];
    if (isPerson && (type.startsWith("primary name") || prop === "name") && first && last) {
      add(target, "firstName", first);
      add(target, "middleName", [2, 3, 4, 5].flatMap((i) => texts(n, `Name${i}`)).join(" "));
      add(target, "lastName", last);
    }
    const imo = isVessel ? full.match(IMO_NAME) : null;
    if (imo?.[1] && imo[2]) {
      add(target, "alias", imo[2]);
      if (validImo(imo[1])) add(target, "imoNumber", imo[1]);
    }
  }
  if (!named) {
    throw new InterdictError("INTERDICT_E_LIST_FORMAT", "a Designation without a name", {
      file: m.file,
      line: node.line,
      record: uniqueId,
      field: "Names",
    });
  }
  add(target, "alias", texts(node, "NonLatinNames", "NonLatinName", "NameNonLatinScript"));
  // Notes as in the FtM copy: Other Information, then the UN reference on its own.
  const unRef = text("UNReferenceNumber");
  const unscId = unRef && !/^n\/?a$/i.test(unRef) ? unRef : undefined;
  add(target, "notes", text("OtherInformation"));
  if (unscId) add(target, "notes", `UN Ref ${unscId}`);
  if (isPerson) add(target, "title", texts(node, "Titles", "Title"));

  // Addresses; an address that is only a country gives the country.
  let nAddress = 0;
  for (const a of children(child(node, "Addresses") ?? node, "Address")) {
    const lines = [1, 2, 3, 4, 5, 6].flatMap((i) => texts(a, `AddressLine${i}`));
    const postalCode = texts(a, "AddressPostalCode")[0];
    const countryText = texts(a, "AddressCountry")[0];
    const country = countryText ? countryCode(countryText) : undefined;
    if (countryText && !country) report(a, "AddressCountry", "bad_country", [countryText]);
    const address = addressOfLines(target, { lines, postalCode, countryText, country }, nAddress + 1);
    if (address) {
      out.push(address);
      nAddress++;
    }
  }
  if (!isVessel) {
    report(
      node,
      "PhoneNumber",
      "bad_phone",
      add(target, "phone", texts(node, "PhoneNumbers", "PhoneNumber")),
    );
    report(
      node,
      "EmailAddress",
      "bad_email",
      add(target, "email", texts(node, "EmailAddresses", "EmailAddress")),
    );
    report(node, "Website", "bad_url", add(target, "website", texts(node, "Websites", "Website")));
  }

  const documents = new Map<string, Entity>();
  for (const person of children(child(node, "IndividualDetails") ?? node, "Individual")) {
    if (!isPerson) {
      issue(
        person,
        "IndividualDetails",
        "details_of_other_kind",
        `individual details on a ${kind} designation`,
      );
      break;
    }
    for (const d of children(child(person, "DOBs") ?? person, "DOB")) {
      const values = parseDob(d.text);
      if (values.length) add(target, "birthDate", values);
      else if (d.text.trim()) report(d, "DOB", "bad_date", [d.text]);
    }
    for (const n of children(child(person, "Nationalities") ?? person, "Nationality")) {
      report(n, "Nationality", "bad_country", add(target, "nationality", n.text));
    }
    for (const g of children(child(person, "Genders") ?? person, "Gender")) {
      report(g, "Gender", "bad_gender", add(target, "gender", g.text));
    }
    add(target, "position", texts(person, "Positions", "Position"));
    for (const loc of children(child(person, "BirthDetails") ?? person, "Location")) {
      add(target, "birthPlace", texts(loc, "TownOfBirth"));
      for (const c of children(loc, "CountryOfBirth")) {
        report(c, "CountryOfBirth", "bad_country", add(target, "birthCountry", c.text));
      }
    }
    const docs = (
      container: string,
      item: string,
      numberTag: string,
      infoTag: string,
      type: string,
    ): void => {
      for (const d of children(child(person, container) ?? person, item)) {
        const number = texts(d, numberTag)[0];
        const info = texts(d, infoTag)[0];
        if (!number) {
          if (info) issue(d, numberTag, "no_document_number", `no ${numberTag} beside "${info}"`);
          continue;
        }
        // "Afghanistan passport number P04581926, issued in Kandahar": the issuing country.
        const lead = info?.match(
          /^(.+?)\s+(?:diplomatic\s+|national\s+)?(?:passport|identity|identification|id)\b/i,
        );
        const country = lead?.[1] ? countryCode(lead[1]) : undefined;
        const doc = documentOf(target, {
          type,
          number,
          ...(country ? { country } : {}),
          ...(info ? { summary: info } : {}),
        });
        documents.set(doc.id, doc);
      }
    };
    docs("PassportDetails", "Passport", "PassportNumber", "PassportAdditionalInformation", "Passport");
    docs(
      "NationalIdentifierDetails",
      "NationalIdentifier",
      "NationalIdentifierNumber",
      "NationalIdentifierAdditionalInformation",
      "National ID",
    );
  }
  out.push(...documents.values());

  for (const e of children(entityDetails ?? node, "Entity")) {
    if (isPerson || isVessel) {
      issue(e, "EntityDetails", "details_of_other_kind", `entity details on a ${kind} designation`);
      break;
    }
    add(target, "legalForm", texts(e, "TypeOfEntities", "TypeOfEntity"));
    add(
      target,
      "registrationNumber",
      texts(e, "BusinessRegistrationNumbers", "BusinessRegistrationNumber").map(registrationNumber),
    );
    for (const parent of texts(e, "ParentCompanies", "ParentCompany")) {
      add(target, "notes", `Parent company: ${parent}`);
      references.push({ from, name: parent, direction: "parent", role: "Parent company" });
    }
    for (const sub of texts(e, "Subsidiaries", "Subsidiary")) {
      add(target, "notes", `Subsidiary: ${sub}`);
      references.push({ from, name: sub, direction: "subsidiary", role: "Parent company" });
    }
  }

  for (const ship of children(child(node, "ShipDetails") ?? node, "Ship")) {
    if (!isVessel) {
      issue(ship, "ShipDetails", "details_of_other_kind", `ship details on a ${kind} designation`);
      break;
    }
    for (const imo of texts(ship, "IMONumbers", "IMONumber")) {
      const digits = imo.replace(/^IMO\s*/i, "");
      if (!/^\d{7}$/.test(digits)) report(ship, "IMONumber", "bad_imo", [imo]);
      else {
        if (!validImo(digits)) issue(ship, "IMONumber", "bad_imo", `IMO ${digits} fails its check digit`);
        add(target, "imoNumber", digits);
      }
    }
    for (const [tag, role] of [
      ["CurrentOwnerOperator", "Current owner/operator"],
      ["PreviousOwnerOperator", "Previous owner/operator"],
    ] as const) {
      for (const owner of texts(ship, `${tag}s`, tag)) {
        add(target, "notes", `${role}: ${owner}`);
        references.push({ from, name: owner, direction: "parent", role });
      }
    }
    report(
      ship,
      "CurrentBelievedFlagOfShip",
      "bad_country",
      add(target, "flag", texts(ship, "CurrentBelievedFlagOfShips", "CurrentBelievedFlagOfShip")),
    );
    report(
      ship,
      "PreviousFlag",
      "bad_country",
      add(target, "pastFlags", texts(ship, "PreviousFlags", "PreviousFlag")),
    );
    add(target, "type", texts(ship, "TypeOfShipDetails", "TypeOfShip"));
    report(
      ship,
      "TonnageOfShip",
      "bad_number",
      add(target, "tonnage", texts(ship, "TonnageOfShipDetails", "TonnageOfShip")),
    );
    report(ship, "YearBuilt", "bad_date", add(target, "buildDate", texts(ship, "YearsBuilt", "YearBuilt")));
  }

  // What the listing says, on the subject as in the FtM copy, and on its Sanction.
  const regime = text("RegimeName");
  add(target, "program", regime);
  const date = (tag: string): string | undefined => {
    const raw = text(tag);
    if (!raw) return undefined;
    const value = parseDate(raw)?.values[0];
    if (!value) report(child(node, tag), tag, "bad_date", [raw]);
    return value;
  };
  const designated = date("DateDesignated");
  const updated = date("LastUpdated");
  add(target, "createdAt", designated);
  add(target, "modifiedAt", updated);

  const reason = text("UKStatementofReasons");
  const sanction = sanctionOf(target, {
    authority: AUTHORITY,
    country: "gb",
    program: [regime],
    authorityId: uniqueId,
    ...(unscId ? { unscId } : {}),
    ...(designated ? { listingDate: designated } : {}),
    ...(reason ? { reason } : {}),
    provisions: (text("SanctionsImposed") ?? "")
      .split("|")
      .map((p) => p.trim())
      .filter((p) => p),
  });
  const source = text("DesignationSource");
  const group = text("OFSIGroupID");
  add(
    sanction,
    "description",
    [source && `Designation source: ${source}`, group && `OFSI group ID: ${group}`]
      .filter((p) => p)
      .join("; "),
  );
  out.splice(1, 0, sanction);
  return { entities: out, names: isVessel ? [] : names, references };
}
