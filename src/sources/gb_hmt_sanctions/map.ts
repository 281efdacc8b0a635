// One ConList group (all rows of one Group ID: one row per name, repeated per date of birth)
// → the subject entity, its Sanction, Address and identity-document entities.

import type { Issue } from "../../errors.js";
import { add, type Entity, entityId } from "../../model/entity.js";
import { addressOfLines, documentOf, makeTarget, sanctionOf } from "../_map.js";
import type { SourceContext } from "../types.js";
import {
  countryOf,
  documentCountry,
  documentNumber,
  imoNumber,
  nationalities,
  splitItems,
  ukListReference,
  unReference,
} from "./_text.js";
import type { Group, Layout, Row } from "./read.js";

export const AUTHORITY = "HM Treasury (Office of Financial Sanctions Implementation)";

const SCHEMA_OF: Readonly<Record<string, string>> = {
  individual: "Person",
  entity: "Organization",
  ship: "Vessel",
};

type NameProp = "name" | "alias" | "weakAlias" | "previousName";

/** Alias Type (2020: Prime Alias / AKA / FKA; later: Primary name / Primary name variation / Alias). */
const NAME_PROP_OF: Readonly<Record<string, NameProp>> = {
  "prime alias": "name",
  "primary name": "name",
  "primary name variation": "alias",
  aka: "alias",
  alias: "alias",
  fka: "previousName",
};

const PARTS = ["Name 1", "Name 2", "Name 3", "Name 4", "Name 5"] as const;

/** A group's rows with cells read by column name. */
class Cells {
  constructor(
    private readonly layout: Layout,
    readonly row: Row,
  ) {}

  get(column: string): string {
    const i = this.layout.index.get(column);
    return i === undefined ? "" : (this.row.values[i]?.replace(/\s+/g, " ").trim() ?? "");
  }

  /** The first column of these that the file has (the layout renamed some). */
  getAny(...columns: string[]): string {
    for (const c of columns) if (this.layout.index.has(c)) return this.get(c);
    return "";
  }

  /** The row as the publisher wrote it: column → text, empty cells left out. */
  plain(): Record<string, string> {
    const out: Record<string, string> = {};
    this.layout.header.forEach((h, i) => {
      const v = this.row.values[i];
      if (v?.trim()) out[h] = v;
    });
    return out;
  }
}

function fullName(c: Cells): string {
  return [...PARTS.map((p) => c.get(p)), c.get("Name 6")].filter((p) => p).join(" ");
}

export interface MapContext {
  readonly ctx: SourceContext;
  readonly file: string;
  readonly layout: Layout;
}

/** Every entity of one group: the subject first, then its Sanction, addresses and documents. */
export function mapGroup(group: Group, m: MapContext): Entity[] {
  const rows = group.rows.map((r) => new Cells(m.layout, r));
  const head = rows[0];
  if (!head) return [];
  const issue = (c: Cells, field: string, code: string, message: string): void =>
    m.ctx.issue({ code, message, file: m.file, line: c.row.line, record: group.id, field } satisfies Issue);

  const kind = head.get("Group Type");
  let schema = SCHEMA_OF[kind.toLowerCase()];
  if (!schema) {
    issue(head, "Group Type", "unknown_group_type", `Group Type "${kind}" is not Individual, Entity or Ship`);
    schema = "Organization";
  }
  const id = entityId(m.ctx.dataset, group.id);
  const target = makeTarget(schema, id, m.ctx.dataset, {
    "Group ID": group.id,
    rows: rows.map((c) => c.plain()),
  });
  const isPerson = schema === "Person";
  const out: Entity[] = [target];
  const check = (c: Cells, field: string, code: string, rejected: string[]): void => {
    for (const v of rejected) issue(c, field, code, `"${v}" is not a valid ${field}`);
  };

  // Names. A group without a primary-name row still needs a name: its first row's name.
  const hasPrimary = rows.some((c) => NAME_PROP_OF[c.get("Alias Type").toLowerCase()] === "name");
  rows.forEach((c, i) => {
    // Rows without a name are refused when the file is read.
    const name = fullName(c);
    const type = c.get("Alias Type");
    let prop = NAME_PROP_OF[type.toLowerCase()];
    if (!prop) {
      issue(c, "Alias Type", "unknown_alias_type", `Alias Type "${type}" is read as an alias`);
      prop = "alias";
    }
    if (!hasPrimary && i === 0) prop = "name";
    if (prop === "alias" && /low/i.test(c.get("Alias Quality"))) prop = "weakAlias";
    add(target, prop, name);
    if (prop === "name" && isPerson && c.get("Name 1") && c.get("Name 6")) {
      add(target, "firstName", c.get("Name 1"));
      const middle = PARTS.slice(1)
        .map((p) => c.get(p))
        .filter((p) => p)
        .join(" ");
      add(target, "middleName", middle);
      add(target, "lastName", c.get("Name 6"));
    }
    // The original-script form of the row's name.
    add(target, "alias", c.get("Name Non-Latin Script"));
  });

  // A name written again under an alias type (groups repeat it per date of birth) is no alias.
  for (const prop of ["alias", "weakAlias", "previousName"]) {
    const kept = target.properties[prop]?.filter((v) => !target.properties.name?.includes(v));
    if (kept?.length) target.properties[prop] = kept;
    else delete target.properties[prop];
  }

  const distinct = (column: string): Cells[] => {
    const seen = new Set<string>();
    return rows.filter((c) => {
      const v = c.get(column);
      if (!v || seen.has(v)) return false;
      seen.add(v);
      return true;
    });
  };

  if (isPerson) {
    for (const c of distinct("Title")) add(target, "title", splitItems(c.get("Title")));
    for (const c of distinct("DOB")) check(c, "DOB", "bad_date", add(target, "birthDate", c.get("DOB")));
    for (const c of distinct("Town of Birth")) add(target, "birthPlace", c.get("Town of Birth"));
    for (const c of distinct("Country of Birth")) {
      for (const item of splitItems(c.get("Country of Birth"))) {
        const code = countryOf(item);
        if (code) add(target, "birthCountry", code);
        else check(c, "Country of Birth", "bad_country", [item]);
      }
    }
    for (const c of distinct("Nationality")) {
      const { codes, rejected } = nationalities(c.get("Nationality"));
      add(target, "nationality", codes);
      check(c, "Nationality", "bad_country", rejected);
    }
    for (const c of distinct("Position")) add(target, "position", c.get("Position"));
  }

  // Identity documents: the newer layout has a number column beside the details; the 2020
  // layout has only prose, from which the numbers are read.
  const documents = new Map<string, Entity>();
  const docs = (type: string, numberCols: string[], detailCols: string[]): void => {
    const seen = new Set<string>();
    for (const c of rows) {
      const numbers = c.getAny(...numberCols);
      const details = c.getAny(...detailCols);
      const key = `${numbers}\u0000${details}`;
      if ((!numbers && !details) || seen.has(key)) continue;
      seen.add(key);
      const field = numbers ? numberCols[0]! : detailCols[0]!;
      let found = 0;
      let country: string | undefined;
      for (const item of splitItems(numbers || details)) {
        // "Jordanian passport numbers (1) K048787 (2) 486298": a label item names the country.
        country = documentCountry(item) ?? country;
        const number = documentNumber(item) ?? (numbers ? item : undefined);
        if (!number) continue;
        found++;
        // Only persons and organisations hold identity documents.
        if (schema === "Vessel") continue;
        const doc = documentOf(target, {
          type,
          number,
          ...(country ? { country } : {}),
          summary: numbers ? details || item : item,
        });
        documents.set(doc.id, doc);
      }
      if (found === 0) issue(c, field, "no_document_number", `no document number in "${numbers || details}"`);
    }
  };
  docs("Passport", ["Passport Number"], ["Passport Details"]);
  docs("National ID", ["National Identification Number", "NI Number"], ["NI Details"]);

  // Addresses: one per distinct set of address cells.
  const addresses = new Map<string, Entity>();
  const seenAddresses = new Set<string>();
  for (const c of rows) {
    const lines = ["Address 1", "Address 2", "Address 3", "Address 4", "Address 5", "Address 6"]
      .map((col) => c.get(col))
      .filter((v) => v);
    const postalCode = c.get("Post/Zip Code");
    const countryText = c.get("Country");
    const key = [...lines, postalCode, countryText].join("\u0000");
    if (seenAddresses.has(key)) continue;
    seenAddresses.add(key);
    const country = countryText ? countryOf(countryText) : undefined;
    if (countryText && !country) check(c, "Country", "bad_country", [countryText]);
    const address = addressOfLines(target, { lines, postalCode, countryText, country }, addresses.size + 1);
    if (address) addresses.set(address.id, address);
  }

  // Other Information: kept as notes, with the references it states.
  let unscId: string | undefined;
  let ukRef: string | undefined;
  for (const c of distinct("Other Information")) {
    const text = c.get("Other Information");
    add(target, "notes", text);
    unscId ??= unReference(text);
    ukRef ??= ukListReference(text);
    if (schema === "Vessel") add(target, "imoNumber", imoNumber(text));
  }

  const regimes = distinct("Regime").map((c) => c.get("Regime"));
  add(target, "program", regimes);
  for (const c of distinct("Listed On")) {
    check(c, "Listed On", "bad_date", add(target, "createdAt", c.get("Listed On")));
  }
  for (const c of distinct("Last Updated")) {
    check(c, "Last Updated", "bad_date", add(target, "modifiedAt", c.get("Last Updated")));
  }

  const sanction = sanctionOf(target, {
    authority: AUTHORITY,
    country: "gb",
    program: regimes,
    authorityId: group.id,
    ...(unscId ? { unscId } : {}),
  });
  add(sanction, "authorityId", ukRef);
  add(sanction, "listingDate", target.properties.createdAt ?? []);
  add(sanction, "modifiedAt", target.properties.modifiedAt ?? []);
  for (const c of distinct("UK Sanctions List Date Designated")) {
    const rejected = add(sanction, "startDate", c.get("UK Sanctions List Date Designated"));
    check(c, "UK Sanctions List Date Designated", "bad_date", rejected);
  }

  out.push(sanction, ...addresses.values(), ...documents.values());
  return out;
}
