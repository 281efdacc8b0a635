// OFAC's legacy CSV set: SDN.CSV (or CONS_PRIM.CSV for the consolidated non-SDN list) with its
// companions ADD.CSV, ALT.CSV and SDN_COMMENTS.CSV, joined on ent_num. This module owns reading
// and validating those files and mapping each row to entities; the Remarks field's grammar
// lives in remarks.ts.
//
// The companions are small and not in the main file's order in every copy, so they are read
// (and checked) first and held by ent_num; the main file then streams once, each row mapped as
// it comes. Relations by name ("Linked To: NAME", a vessel's owner, an aircraft's operator) are
// resolved at the end, when every listed name is known, and yielded as links.
//
// What the files say about names: ALT.CSV holds the strong aliases (→ alias / previousName);
// the `a.k.a. '…'` clauses of Remarks are the weak ones (OFAC's classic XML marks the same names
// `<category>weak</category>`, e.g. SAEED, Muhammad's 'HAFIZ SAHIB'), so they go to weakAlias.
// A version published as SDN.CSV alone therefore carries only weak aliases.

import type { Readable } from "node:stream";
import { parse } from "csv-parse";
import { parse as parseSync } from "csv-parse/sync";
import { InterdictError, type Issue } from "../../errors.js";
import { add, addRaw, type Entity, entityId, makeEntity } from "../../model/entity.js";
import { requireSchema } from "../../model/schema.js";
import { countryCode, normaliseKey, parseDate } from "../../model/types.js";
import { addressOf, documentOf, linkOf, makeTarget, sanctionOf } from "../_map.js";
import type { InputFile, Reader, SourceContext } from "../types.js";
import { type Clause, parseRemarks } from "./remarks.js";

// ---------------------------------------------------------------- the file set

type Part = "main" | "address" | "alias" | "comments";

interface PartSpec {
  /** Column names, as OFAC's data specification gives them. */
  readonly columns: readonly string[];
  /** Columns that must hold an integer. */
  readonly integers: readonly number[];
}

const PARTS: Readonly<Record<Part, PartSpec>> = {
  main: {
    columns: [
      "ent_num",
      "SDN_Name",
      "SDN_Type",
      "Program",
      "Title",
      "Call_Sign",
      "Vess_type",
      "Tonnage",
      "GRT",
      "Vess_flag",
      "Vess_owner",
      "Remarks",
    ],
    integers: [0],
  },
  address: {
    columns: ["ent_num", "Add_num", "Address", "City/State/Province/Postal Code", "Country", "Add_remarks"],
    integers: [0, 1],
  },
  alias: { columns: ["ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks"], integers: [0, 1] },
  comments: { columns: ["ent_num", "Remarks_Extended"], integers: [0] },
};

/** File names of the two lists published in this format. */
const FILE_NAMES: Readonly<Record<string, { dataset: string; part: Part }>> = {
  "SDN.CSV": { dataset: "us_ofac_sdn", part: "main" },
  "ADD.CSV": { dataset: "us_ofac_sdn", part: "address" },
  "ALT.CSV": { dataset: "us_ofac_sdn", part: "alias" },
  "SDN_COMMENTS.CSV": { dataset: "us_ofac_sdn", part: "comments" },
  "CONS_PRIM.CSV": { dataset: "us_ofac_cons", part: "main" },
  "CONS_ADD.CSV": { dataset: "us_ofac_cons", part: "address" },
  "CONS_ALT.CSV": { dataset: "us_ofac_cons", part: "alias" },
  "CONS_COMMENTS.CSV": { dataset: "us_ofac_cons", part: "comments" },
};

/** SDN_Type → schema; `-0-` (empty) is an entity of unstated kind. */
const SDN_TYPES: Readonly<Record<string, string>> = {
  individual: "Person",
  vessel: "Vessel",
  aircraft: "Airplane",
  "": "Organization",
};

const ALT_TYPES: Readonly<Record<string, string>> = { aka: "alias", nka: "alias", fka: "previousName" };

/** OFAC cuts Remarks at this length; the rest, when published, is in SDN_COMMENTS.CSV. */
const REMARKS_LIMIT = 1000;
/** OFAC ends every file with a DOS end-of-file byte. */
const EOF_MARK = "\x1a";
const EMPTY = "-0-";

const AUTHORITY = "Office of Foreign Assets Control";

// ---------------------------------------------------------------- rows

interface Row {
  /** Values by column, `-0-` as "". */
  readonly fields: readonly string[];
  readonly line: number;
}

const clean = (v: string): string => {
  const t = v.trim();
  return t === EMPTY ? "" : t;
};

function formatError(file: InputFile, message: string, line?: number, field?: string): InterdictError {
  return new InterdictError("INTERDICT_E_LIST_FORMAT", message, { file: file.path, line, field });
}

/**
 * Streams a file's rows, checking its shape: every row has the part's column count and integers
 * where the specification says; the end-of-file byte, if present, is last. An empty file, an
 * unclosed quote or a cut-off row is an error naming the line.
 */
async function* rows(file: InputFile, part: Part, onBytes?: (bytes: number) => void): AsyncGenerator<Row> {
  const spec = PARTS[part];
  const source: Readable = file.open();
  if (onBytes) {
    let n = 0;
    source.on("data", (c: Buffer) => onBytes((n += c.length)));
  }
  const parser = source.pipe(parse({ relax_column_count: true, info: true, bom: true }));
  source.on("error", (e) => parser.destroy(e));
  let lastLine = 0;
  let ended = false;
  let count = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      const line = lastLine + 1;
      lastLine = info.lines;
      if (record.length === 1 && record[0] === EOF_MARK) {
        ended = true;
        continue;
      }
      if (ended) throw formatError(file, "data after the end-of-file byte (0x1A)", line);
      if (record.length === 1 && record[0]?.trim() === "") continue;
      if (record.length !== spec.columns.length) {
        throw formatError(
          file,
          `expected ${spec.columns.length} columns (${spec.columns.join(", ")}), found ${record.length}: ${preview(record)}`,
          line,
        );
      }
      for (const i of spec.integers) {
        if (!/^\d+$/.test(record[i]?.trim() ?? "")) {
          throw formatError(
            file,
            `${spec.columns[i]} must be an integer, found ${JSON.stringify(record[i])}`,
            line,
            spec.columns[i],
          );
        }
      }
      count++;
      yield { fields: record.map(clean), line };
    }
  } catch (e) {
    if (e instanceof InterdictError) throw e;
    const err = e as { code?: string; message?: string };
    const what =
      err.code === "CSV_QUOTE_NOT_CLOSED" ? "a quoted field never closes (file cut short?)" : err.message;
    throw formatError(file, `not valid OFAC CSV: ${what}`, lastLine + 1);
  } finally {
    // A consumer that stops early, or a bad row, must not leave the file open.
    source.destroy();
  }
  if (part === "main" && count === 0) throw formatError(file, "no records: the file is empty");
}

function preview(record: readonly string[]): string {
  const text = record.join(",");
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

// ---------------------------------------------------------------- detection

function classify(name: string): { dataset: string; part: Part } | undefined {
  return FILE_NAMES[name.toUpperCase()];
}

/** Whether the first line has the part's shape: its column count and an integer ent_num. */
function looksLike(head: Buffer, part: Part): boolean {
  const text = head.toString("utf8").replace(/^\uFEFF/, "");
  if (text.replace(EOF_MARK, "").trim() === "") return true;
  const first = text.split(/\r?\n/, 1)[0] ?? "";
  try {
    const [record] = parseSync(first, { relax_column_count: true }) as string[][];
    if (!record || record.length !== PARTS[part].columns.length || !/^\d+$/.test(record[0] ?? ""))
      return false;
    if (part === "main") return clean(record[2] ?? "") in SDN_TYPES;
    if (part === "alias") return clean(record[2] ?? "") in ALT_TYPES;
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- names → ids

interface Listed {
  readonly id: string;
  readonly schema: string;
}

/** Listed entities by normalised name: primary names first, then ALT.CSV aliases. */
class NameIndex {
  private readonly primary = new Map<string, Listed[]>();
  private readonly aliases = new Map<string, Listed[]>();

  addPrimary(name: string, who: Listed): void {
    push(this.primary, normaliseKey(name), who);
  }

  addAlias(name: string, who: Listed): void {
    push(this.aliases, normaliseKey(name), who);
  }

  /** The one listed entity of that name other than `self`; undefined if none or several. */
  resolve(name: string, self: string): { found?: Listed; candidates: number } {
    const key = normaliseKey(name);
    for (const map of [this.primary, this.aliases]) {
      const hits = (map.get(key) ?? []).filter((h) => h.id !== self);
      const unique = [...new Map(hits.map((h) => [h.id, h])).values()];
      if (unique.length === 1) return { found: unique[0], candidates: 1 };
      if (unique.length > 1) return { candidates: unique.length };
    }
    return { candidates: 0 };
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

// ---------------------------------------------------------------- reading

interface FileSet {
  readonly dataset: string;
  readonly main: InputFile;
  readonly address?: InputFile;
  readonly alias?: InputFile;
  readonly comments?: InputFile;
}

function fileSet(files: readonly InputFile[]): FileSet {
  const found: Partial<Record<Part, InputFile>> = {};
  let dataset: string | undefined;
  for (const file of files) {
    const c = classify(file.name);
    if (!c)
      throw formatError(file, "not a file of the OFAC CSV set (SDN/ADD/ALT/SDN_COMMENTS.CSV or CONS_*.CSV)");
    if (dataset && dataset !== c.dataset) {
      throw formatError(file, "SDN and consolidated (CONS_*) files cannot be read as one list");
    }
    dataset = c.dataset;
    if (found[c.part])
      throw formatError(file, `two ${c.part} files in one set (also ${found[c.part]?.path})`);
    found[c.part] = file;
  }
  const main = found.main;
  if (!main || !dataset) {
    const other = files[0];
    throw new InterdictError(
      "INTERDICT_E_LIST_FORMAT",
      "the OFAC CSV set has no main file (SDN.CSV or CONS_PRIM.CSV) to join the others to",
      { file: other?.path },
    );
  }
  return { dataset, main, address: found.address, alias: found.alias, comments: found.comments };
}

interface Side {
  readonly addresses: ReadonlyMap<string, Row[]>;
  readonly aliases: ReadonlyMap<string, Row[]>;
  readonly comments: ReadonlyMap<string, Row[]>;
}

/** Reads a companion file into memory by ent_num, checking each row. */
async function readSide(file: InputFile | undefined, part: Part): Promise<Map<string, Row[]>> {
  const byEnt = new Map<string, Row[]>();
  if (!file) return byEnt;
  for await (const row of rows(file, part)) {
    if (part === "alias") {
      const type = (row.fields[2] ?? "").toLowerCase();
      if (!(type in ALT_TYPES)) {
        throw formatError(
          file,
          `alt_type must be aka, fka or nka, found ${JSON.stringify(row.fields[2])}`,
          row.line,
          "alt_type",
        );
      }
      if (!row.fields[3]) throw formatError(file, "alias row without a name", row.line, "alt_name");
    }
    push(byEnt, row.fields[0] ?? "", row);
  }
  return byEnt;
}

/** Checks what the row shape cannot: a known SDN_Type, a name, an ent_num not seen before. */
function checkEntry(file: InputFile, row: Row, listed: ReadonlyMap<string, Listed>): Listed {
  const [entNum = "", name = "", type = ""] = row.fields;
  const schema = SDN_TYPES[type.toLowerCase()];
  if (schema === undefined) {
    throw formatError(
      file,
      `SDN_Type must be individual, vessel, aircraft or -0-, found ${JSON.stringify(type)}`,
      row.line,
      "SDN_Type",
    );
  }
  if (!name) throw formatError(file, `entry ${entNum} has no name`, row.line, "SDN_Name");
  if (listed.has(entNum)) throw formatError(file, `ent_num ${entNum} is listed twice`, row.line, "ent_num");
  return { id: entNum, schema };
}

/** A relation by name ("Linked To", a vessel's owner), resolved once every name is known. */
interface PendingLink {
  readonly from: Listed;
  readonly line: number;
  readonly name: string;
  readonly relationship: string;
  /** Whether an unresolved name is an issue; owners and operators are often not listed. */
  readonly required: boolean;
}

async function* readOfacCsv(files: readonly InputFile[], ctx: SourceContext): AsyncGenerator<Entity> {
  const set = fileSet(files);
  // The companions are read (and checked) first: each main row needs its own rows of them.
  const side: Side = {
    addresses: await readSide(set.address, "address"),
    aliases: await readSide(set.alias, "alias"),
    comments: await readSide(set.comments, "comments"),
  };
  const listed = new Map<string, Listed>();
  const names = new NameIndex();
  const pending: PendingLink[] = [];
  const mapper = new Mapper(ctx, set.main, pending);
  for await (const row of rows(set.main, "main", ctx.progress?.bind(ctx))) {
    const who = checkEntry(set.main, row, listed);
    listed.set(who.id, who);
    names.addPrimary(row.fields[1] ?? "", who);
    for (const alt of side.aliases.get(who.id) ?? []) names.addAlias(alt.fields[3] ?? "", who);
    yield* mapper.map(row, side, who.schema);
  }
  for (const [part, byEnt] of [
    ["address", side.addresses],
    ["alias", side.aliases],
    ["comments", side.comments],
  ] as const) {
    for (const [entNum, list] of byEnt) {
      if (listed.has(entNum)) continue;
      // Excerpts cut from a full set keep such rows; they describe no entry of this list.
      for (const row of list) {
        ctx.issue({
          code: "ofac_orphan_row",
          message: `row refers to ent_num ${entNum}, which ${set.main.name} does not list`,
          file: set[part]?.path,
          line: row.line,
          record: entNum,
        });
      }
    }
  }
  yield* resolveLinks(pending, names, ctx, set.main);
}

/** The links by name, now that every listed name is known: one entity per pair. */
function resolveLinks(
  pending: readonly PendingLink[],
  names: NameIndex,
  ctx: SourceContext,
  file: InputFile,
): Entity[] {
  const links: Entity[] = [];
  for (const p of pending) {
    const { found, candidates } = names.resolve(p.name, p.from.id);
    if (found) {
      const from = makeEntity(p.from.schema, entityId(ctx.dataset, p.from.id), ctx.dataset);
      links.push(linkOf(from, entityId(ctx.dataset, found.id), found.schema, p.relationship));
    } else if (p.required) {
      ctx.issue({
        code: "ofac_link_unresolved",
        message:
          candidates > 1
            ? `${p.relationship}: ${candidates} listed entities are named ${JSON.stringify(p.name)}`
            : `${p.relationship}: no listed entity is named ${JSON.stringify(p.name)}`,
        file: file.path,
        line: p.line,
        record: p.from.id,
        field: "Remarks",
      });
    }
  }
  return mergeById(links);
}

// ---------------------------------------------------------------- mapping

const SUFFIX = /^(?:jr|sr|ii|iii|iv)\.?$/i;

/** `LAST, First Middle[, Jr.]` → parts, when the name has exactly that shape. */
export function nameParts(
  name: string,
): { lastName: string; firstName: string; suffix?: string } | undefined {
  const parts = name.split(/\s*,\s*/).filter((p) => p !== "");
  const suffixes = parts.filter((p) => SUFFIX.test(p));
  const rest = parts.filter((p) => !SUFFIX.test(p));
  if (rest.length !== 2 || suffixes.length > 1) return undefined;
  return { lastName: rest[0]!, firstName: rest[1]!, suffix: suffixes[0] };
}

/** `[SDGT] [IRGC]` as the column holds it (`SDGT] [IRGC`) → codes. */
export function programCodes(column: string): string[] {
  return column
    .split(/\]\s*\[/)
    .map((p) => p.replace(/^\[|\]$/g, "").trim())
    .filter((p) => p !== "");
}

const COUNTRY_PROPS = new Set([
  "nationality",
  "citizenship",
  "flag",
  "pastFlags",
  "jurisdiction",
  "birthCountry",
]);
/** What OFAC writes when it knows there is no value. */
const NO_VALUE = /^(?:none identified|undetermined)$/i;

/**
 * OFAC writes an uncertain year as a day range, `01 Jan 1973 to 31 Dec 1973`: read it as the
 * years it covers, not as its two end days.
 */
export function wholeYears(text: string): string {
  const m = text.match(/^01 Jan (\d{4}) to 31 Dec (\d{4})$/i);
  return m ? (m[1] === m[2] ? m[1]! : `${m[1]} to ${m[2]}`) : text;
}

class Mapper {
  constructor(
    private readonly ctx: SourceContext,
    private readonly file: InputFile,
    private readonly pending: PendingLink[],
  ) {}

  /** The entry's entities: the target, its Sanction, addresses and documents. */
  *map(row: Row, side: Side, base: string): Generator<Entity> {
    const f = row.fields;
    const [entNum = "", name = "", , program = "", title = ""] = f;
    const issue = (code: string, message: string, field = "Remarks"): void =>
      this.ctx.issue({
        code,
        message,
        file: this.file.path,
        line: row.line,
        record: entNum,
        field,
      } satisfies Issue);

    // The continuation is raw text cut mid-word, so it joins without a separator.
    const continued = side.comments.get(entNum);
    const comment = continued ? continued.map((r) => r.fields[1] ?? "").join("") : undefined;
    const remarks = f[11] ? f[11] + (comment ?? "") : (comment ?? "");
    const clauses = remarks ? parseRemarks(remarks) : [];
    const notes: string[] = [];
    if (!comment && remarks.length >= REMARKS_LIMIT && !remarks.endsWith(".")) {
      const cut = clauses.pop();
      if (cut) notes.push(cut.raw);
      issue(
        "ofac_remarks_truncated",
        `Remarks cut at ${REMARKS_LIMIT} characters and no comments file continues them; last clause kept as a note: ${JSON.stringify(cut?.raw)}`,
      );
    }

    const schema = this.schemaOf(base, clauses);
    const later = (name: string, relationship: string, required: boolean): void => {
      this.pending.push({ from: { id: entNum, schema: base }, line: row.line, name, relationship, required });
    };
    const addresses = side.addresses.get(entNum) ?? [];
    const aliases = side.aliases.get(entNum) ?? [];
    const target = makeTarget(
      schema,
      entityId(this.ctx.dataset, entNum),
      this.ctx.dataset,
      sourceRecord(f, addresses, aliases, comment),
    );
    const derived: Entity[] = [];
    const put = (prop: string, value: string, field: string, said = `${field}: ${value}`): void => {
      if (!requireSchema(target.schema).properties.has(prop)) {
        notes.push(said);
        issue("ofac_not_applicable", `${target.schema} has no ${prop}; kept as a note: ${value}`, field);
        return;
      }
      for (const bad of add(target, prop, value))
        issue("ofac_invalid_value", `${prop}: cannot read ${JSON.stringify(bad)}`, field);
    };

    add(target, "name", name);
    if (schema === "Person") {
      const parts = nameParts(name);
      if (parts) {
        add(target, "lastName", parts.lastName);
        add(target, "firstName", parts.firstName);
        add(target, "nameSuffix", parts.suffix);
      }
    }
    const titles = title
      .split(";")
      .map((t) => t.trim())
      .filter((t) => t !== "");
    for (const t of titles) put(schema === "Person" ? "position" : "notes", t, "Title");

    this.mapVessel(f, put, notes, later);
    for (const alt of aliases) {
      const [, , altType = "", altName = "", altRemarks = ""] = alt.fields;
      add(target, ALT_TYPES[altType.toLowerCase()] ?? "alias", altName);
      if (altRemarks) notes.push(`${altName}: ${altRemarks}`);
    }
    for (const a of addresses) {
      const address = this.address(target, a, issue);
      if (address) derived.push(address);
    }

    const provisions: string[] = [];
    const urls: string[] = [];
    for (const clause of clauses) {
      this.mapClause(target, clause, { put, issue, notes, provisions, urls, derived, titles, later });
    }

    add(target, "notes", notes);
    const sanction = sanctionOf(target, {
      authority: AUTHORITY,
      country: "us",
      program: programCodes(program),
      provisions,
    });
    add(sanction, "programUrl", urls);
    yield target;
    yield sanction;
    yield* mergeById(derived);
  }

  /** Company only where the list says so: a company target type, or traded shares. */
  private schemaOf(base: string, clauses: readonly Clause[]): string {
    if (base !== "Organization") return base;
    const company = clauses.some(
      (c) =>
        c.kind === "property" &&
        ((c.props.includes("classification") && /\bcompany\b/i.test(c.value)) || c.props.includes("ticker")),
    );
    const isin = clauses.some((c) => c.kind === "document" && c.props.includes("isinCode"));
    return company || isin ? "Company" : base;
  }

  private mapVessel(
    f: readonly string[],
    put: (prop: string, value: string, field: string) => void,
    notes: string[],
    later: (name: string, relationship: string, required: boolean) => void,
  ): void {
    const [, , , , , callSign = "", vesselType = "", tonnage = "", grt = "", flag = "", owner = ""] = f;
    if (callSign) put("callSign", callSign, "Call_Sign");
    if (vesselType) put("type", vesselType, "Vess_type");
    if (tonnage) put("tonnage", tonnage.replace(/,/g, ""), "Tonnage");
    if (grt) put("grossRegisteredTonnage", grt.replace(/,/g, ""), "GRT");
    if (flag && !NO_VALUE.test(flag)) put("flag", flag, "Vess_flag");
    if (owner) {
      // A name, not an id: said in the notes, and linked when it names a listed entity.
      notes.push(`Vessel owner: ${owner}`);
      later(owner, "Vessel owner", false);
    }
  }

  private address(
    target: Entity,
    row: Row,
    issue: (code: string, message: string, field?: string) => void,
  ): Entity | undefined {
    const [, addNum = "", street = "", city = "", published = "", remarks = ""] = row.fields;
    const country = NO_VALUE.test(published) ? "" : published;
    const region = country.match(/^Region:\s*(.+)$/i)?.[1];
    const code = country && !region ? countryCode(country) : undefined;
    if (country && !region && !code) {
      issue("ofac_invalid_value", `address country: cannot read ${JSON.stringify(country)}`, "Country");
    }
    const full = [street, city, country].filter((p) => p !== "").join(", ");
    return addressOf(
      target,
      { full: full || undefined, street, city, region, country: code, remarks: remarks || undefined },
      Number(addNum),
    );
  }

  private mapClause(
    target: Entity,
    clause: Clause,
    acc: {
      put: (prop: string, value: string, field: string, said?: string) => void;
      issue: (code: string, message: string, field?: string) => void;
      notes: string[];
      provisions: string[];
      urls: string[];
      derived: Entity[];
      titles: readonly string[];
      later: (name: string, relationship: string, required: boolean) => void;
    },
  ): void {
    const { put, issue, notes } = acc;
    const schema = requireSchema(target.schema);
    switch (clause.kind) {
      case "alias":
        add(target, clause.relation === "fka" ? "previousName" : "weakAlias", clause.name);
        return;
      case "property": {
        const prop = clause.props.find((p) => schema.properties.has(p)) ?? clause.props[0]!;
        if (COUNTRY_PROPS.has(prop) && NO_VALUE.test(clause.value)) return;
        put(prop, prop === "birthDate" ? wholeYears(clause.value) : clause.value, "Remarks", clause.raw);
        if (prop === "birthPlace" && schema.properties.has("birthCountry")) {
          const last = clause.value.split(",").pop()?.trim() ?? "";
          const code = countryCode(last);
          if (code) add(target, "birthCountry", code);
        }
        return;
      }
      case "document": {
        const issued = this.docDate(clause.issued, "issued", clause.raw, issue);
        const expires = this.docDate(clause.expires, "expires", clause.raw, issue);
        const summary = [...clause.notes];
        if (clause.issued && !issued) summary.push(`issued ${clause.issued}`);
        if (clause.expires && !expires) summary.push(`expires ${clause.expires}`);
        const doc = documentOf(target, {
          type: clause.label,
          number: clause.number,
          country: clause.country ? countryCode(clause.country) : undefined,
          startDate: issued,
          endDate: expires,
          summary: summary.length ? summary.join("; ") : undefined,
        });
        acc.derived.push(doc);
        const prop = clause.props.find((p) => schema.properties.has(p));
        if (prop && (prop !== "leiCode" || /^[A-Z0-9]{20}$/.test(clause.number)))
          add(target, prop, clause.number);
        return;
      }
      case "linked":
        acc.later(clause.name, "Linked To", true);
        return;
      case "operator":
        notes.push(clause.raw);
        acc.later(clause.name, "Aircraft Operator", false);
        return;
      case "crypto":
        if (!schema.properties.has("cryptoWallets")) {
          put("cryptoWallets", clause.address, "Remarks", clause.raw);
          return;
        }
        add(target, "cryptoWallets", clause.address);
        acc.derived.push(
          documentOf(target, {
            type: `Digital Currency Address - ${clause.currency}`,
            number: clause.address,
            identifiesHolder: false,
          }),
        );
        return;
      case "sanction":
        acc.provisions.push(clause.text);
        if (clause.url) acc.urls.push(clause.url);
        return;
      case "note":
        notes.push(clause.text);
        return;
      case "remark":
        // The Title column repeats in Remarks; it is already the position.
        if (!acc.titles.includes(clause.text)) notes.push(clause.text);
        return;
      case "unknown":
        if (acc.titles.includes(clause.text)) return;
        notes.push(clause.text);
        issue(
          "ofac_unknown_remark",
          `unknown Remarks clause (head ${JSON.stringify(clause.head)}): ${clause.text}`,
        );
        return;
    }
  }

  private docDate(
    text: string | undefined,
    what: string,
    raw: string,
    issue: (code: string, message: string, field?: string) => void,
  ): string | undefined {
    if (!text) return undefined;
    const parsed = parseDate(text);
    if (parsed?.values.length === 1) return parsed.values[0];
    issue(
      "ofac_invalid_value",
      `document ${what} date: cannot read ${JSON.stringify(text)} in ${JSON.stringify(raw)}`,
    );
    return undefined;
  }
}

/**
 * One entity per id: a clause can repeat (the same passport twice, two names of one linked
 * entity), and derived ids are built from what the clause says, so repeats share an id.
 */
function mergeById(entities: readonly Entity[]): Entity[] {
  const byId = new Map<string, Entity>();
  for (const e of entities) {
    const seen = byId.get(e.id);
    if (!seen) byId.set(e.id, e);
    else for (const [prop, values] of Object.entries(e.properties)) addRaw(seen, prop, values);
  }
  return [...byId.values()];
}

/** The row as OFAC publishes it, with its ADD/ALT rows and comments, `-0-` as null. */
function sourceRecord(
  fields: readonly string[],
  addresses: readonly Row[],
  aliases: readonly Row[],
  comment: string | undefined,
): Record<string, unknown> {
  const record = (spec: PartSpec, values: readonly string[], skip = 0): Record<string, string | null> =>
    Object.fromEntries(spec.columns.slice(skip).map((c, i) => [c, values[i + skip] || null]));
  const out: Record<string, unknown> = record(PARTS.main, fields);
  if (addresses.length) out.addresses = addresses.map((a) => record(PARTS.address, a.fields, 1));
  if (aliases.length) out.aliases = aliases.map((a) => record(PARTS.alias, a.fields, 1));
  if (comment) out.comments = comment;
  return out;
}

// ---------------------------------------------------------------- the reader

export const ofacCsvReader: Reader = {
  format: "ofac-csv",
  description:
    "OFAC legacy CSV: SDN.CSV or CONS_PRIM.CSV, with ADD, ALT and COMMENTS files joined on ent_num",
  kind: "full",
  datasets: ["us_ofac_sdn", "us_ofac_cons"],
  detect(file) {
    const c = classify(file.name);
    if (!c || !looksLike(file.head, c.part)) return undefined;
    return { dataset: c.dataset, role: `ofac-csv:${c.dataset}` };
  },
  read: readOfacCsv,
};
