// Public exports of a registry list version: FtM JSON lines, an OFAC-style legacy CSV set
// (SDN.CSV, ADD.CSV, ALT.CSV, shaped like Treasury's files so OFAC readers — ours included —
// read them) and XML in the classic sdn.xml schema. The classified annex is never written: its
// entities are enforced in screening but left out here, and so are their Sanctions.

import { createRequire } from "node:module";
import { captionOf, type Entity } from "../model/entity.js";
import { toFtmLine } from "../model/ftm.js";
import { isClassified } from "./publish.js";

const countries = createRequire(import.meta.url)("i18n-iso-countries") as {
  getName(code: string, lang: string): string | undefined;
};
const countryName = (code: string): string =>
  countries.getName(code.toUpperCase(), "en") ?? code.toUpperCase();

/** The public part of a version: classified entities and everything pointing at them dropped. */
export function publicEntities(entities: readonly Entity[]): Entity[] {
  const hidden = new Set(entities.filter(isClassified).map((e) => e.id));
  return entities.filter(
    (e) =>
      !hidden.has(e.id) &&
      !["entity", "owner", "asset"].some((p) => (e.properties[p] ?? []).some((id) => hidden.has(id))),
  );
}

export function toFtmLines(entities: readonly Entity[]): string {
  return publicEntities(entities)
    .map((e) => `${toFtmLine({ ...e, source: undefined })}\n`)
    .join("");
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** OFAC writes dates `27 Aug 1977`, `Aug 1977` or `1977`. */
function ofacDate(iso: string): string {
  const [y, m, d] = iso.split("-");
  if (d && m) return `${Number(d)} ${MONTHS[Number(m) - 1]} ${y}`;
  if (m) return `${MONTHS[Number(m) - 1]} ${y}`;
  return y ?? iso;
}

interface Row {
  readonly num: number;
  readonly entity: Entity;
  readonly programs: string[];
}

/** Targets with an ent_num each (cases keep their number, 50 % derivations count from 900001). */
function rows(entities: readonly Entity[]): Row[] {
  const pub = publicEntities(entities);
  const programs = new Map<string, string[]>();
  for (const e of pub) {
    if (e.schema !== "Sanction") continue;
    for (const id of e.properties.entity ?? [])
      programs.set(id, [...(programs.get(id) ?? []), ...(e.properties.program ?? [])]);
  }
  let derived = 900_000;
  return pub
    .filter((e) => programs.has(e.id))
    .map((e) => {
      const m = /:D-(\d+)$/.exec(e.id);
      return { num: m ? Number(m[1]) : ++derived, entity: e, programs: programs.get(e.id) ?? [] };
    })
    .sort((a, b) => a.num - b.num);
}

/** `LAST, First` for persons (as OFAC writes them), the name as is otherwise. */
function ofacName(e: Entity, name = captionOf(e)): string {
  if (e.schema !== "Person") return name.toUpperCase();
  const last = e.properties.lastName?.[0];
  const first = e.properties.firstName?.[0];
  if (last && first && name === e.properties.name?.[0]) return `${last.toUpperCase()}, ${first}`;
  const parts = name.trim().split(/\s+/);
  if (parts.length < 2) return name.toUpperCase();
  return `${(parts.pop() as string).toUpperCase()}, ${parts.join(" ")}`;
}

function remarks(e: Entity): string {
  const p = e.properties;
  const out: string[] = [];
  for (const d of p.birthDate ?? []) out.push(`DOB ${ofacDate(d)}`);
  for (const place of p.birthPlace ?? []) out.push(`POB ${place}`);
  for (const c of p.nationality ?? []) out.push(`nationality ${countryName(c)}`);
  for (const n of p.passportNumber ?? []) out.push(`Passport ${n}`);
  for (const g of p.gender ?? []) out.push(`Gender ${g === "male" ? "Male" : g === "female" ? "Female" : g}`);
  for (const pos of p.position ?? []) out.push(`Position ${pos}`);
  return out.length ? `${out.join("; ")}.` : "";
}

const q = (v: string | number | undefined): string =>
  v === undefined || v === "" ? "-0- " : typeof v === "number" ? String(v) : `"${v.replace(/"/g, "'")}"`;

/** SDN.CSV, ADD.CSV and ALT.CSV as Treasury writes them: no header, `-0- ` for empty. */
export function toOfacCsv(entities: readonly Entity[]): {
  "SDN.CSV": string;
  "ADD.CSV": string;
  "ALT.CSV": string;
} {
  let sdn = "";
  let add = "";
  let alt = "";
  let addNum = 0;
  let altNum = 0;
  for (const { num, entity: e, programs } of rows(entities)) {
    const type =
      e.schema === "Person"
        ? "individual"
        : e.schema === "Vessel"
          ? "vessel"
          : e.schema === "Airplane"
            ? "aircraft"
            : undefined;
    const title = e.properties.position?.[0];
    sdn += `${[num, q(ofacName(e)), q(type), q([...new Set(programs)].join("] [")), q(title), q(undefined), q(undefined), q(undefined), q(undefined), q(undefined), q(undefined), q(remarks(e))].join(",")}\n`;
    for (const a of e.properties.address ?? []) {
      add += `${[num, ++addNum, q(a), q(undefined), q(e.properties.country?.[0] ? countryName(e.properties.country[0]) : undefined), q(undefined)].join(",")}\n`;
    }
    for (const n of [...(e.properties.alias ?? []), ...(e.properties.name ?? []).slice(1)]) {
      alt += `${[num, ++altNum, q("aka"), q(ofacName(e, n)), q(undefined)].join(",")}\n`;
    }
    for (const n of e.properties.weakAlias ?? []) {
      alt += `${[num, ++altNum, q("aka"), q(ofacName(e, n)), q("weak")].join(",")}\n`;
    }
  }
  return { "SDN.CSV": sdn, "ADD.CSV": add, "ALT.CSV": alt };
}

const x = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const el = (tag: string, value: string | number | undefined, indent: string): string =>
  value === undefined || value === "" ? "" : `${indent}<${tag}>${x(String(value))}</${tag}>\n`;

/** The classic sdn.xml schema (namespace http://tempuri.org/sdnList.xsd). */
export function toSdnXml(entities: readonly Entity[], publishDate: string): string {
  const list = rows(entities);
  const [y, m, d] = publishDate.slice(0, 10).split("-");
  let out = `<?xml version="1.0" encoding="utf-8"?>\n<sdnList xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://tempuri.org/sdnList.xsd">\n`;
  out += `  <publshInformation>\n    <Publish_Date>${m}/${d}/${y}</Publish_Date>\n    <Record_Count>${list.length}</Record_Count>\n  </publshInformation>\n`;
  let uid = 0;
  for (const { num, entity: e, programs } of list) {
    const p = e.properties;
    const i = "    ";
    const person = e.schema === "Person";
    const [last, first] = person ? splitName(e) : [captionOf(e), undefined];
    out += "  <sdnEntry>\n";
    out +=
      el("uid", num, i) +
      el("firstName", first, i) +
      el("lastName", last, i) +
      el("title", p.position?.[0], i);
    out += el(
      "sdnType",
      person
        ? "Individual"
        : e.schema === "Vessel"
          ? "Vessel"
          : e.schema === "Airplane"
            ? "Aircraft"
            : "Entity",
      i,
    );
    out += el("remarks", p.notes?.join("; "), i);
    out += `${i}<programList>\n${[...new Set(programs)].map((pr) => el("program", pr, `${i}  `)).join("")}${i}</programList>\n`;
    const ids = (p.passportNumber ?? []).map((n) => ({ type: "Passport", n }));
    if (ids.length) {
      out += `${i}<idList>\n${ids.map((id) => `${i}  <id>\n${el("uid", ++uid, `${i}    `)}${el("idType", id.type, `${i}    `)}${el("idNumber", id.n, `${i}    `)}${i}  </id>\n`).join("")}${i}</idList>\n`;
    }
    const akas = [...(p.alias ?? []), ...(p.name ?? []).slice(1)];
    if (akas.length) {
      out += `${i}<akaList>\n`;
      for (const a of akas) {
        const [al, af] = person ? splitText(a) : [a, undefined];
        out += `${i}  <aka>\n${el("uid", ++uid, `${i}    `)}${el("type", "a.k.a.", `${i}    `)}${el("category", "strong", `${i}    `)}${el("lastName", al, `${i}    `)}${el("firstName", af, `${i}    `)}${i}  </aka>\n`;
      }
      out += `${i}</akaList>\n`;
    }
    if (p.address?.length) {
      out += `${i}<addressList>\n${p.address.map((a) => `${i}  <address>\n${el("uid", ++uid, `${i}    `)}${el("address1", a, `${i}    `)}${el("country", p.country?.[0] ? countryName(p.country[0]) : undefined, `${i}    `)}${i}  </address>\n`).join("")}${i}</addressList>\n`;
    }
    if (p.nationality?.length) {
      out += `${i}<nationalityList>\n${p.nationality.map((c, n) => `${i}  <nationality>\n${el("uid", ++uid, `${i}    `)}${el("country", countryName(c), `${i}    `)}${el("mainEntry", n === 0 ? "true" : "false", `${i}    `)}${i}  </nationality>\n`).join("")}${i}</nationalityList>\n`;
    }
    if (p.birthDate?.length) {
      out += `${i}<dateOfBirthList>\n${p.birthDate.map((b, n) => `${i}  <dateOfBirthItem>\n${el("uid", ++uid, `${i}    `)}${el("dateOfBirth", ofacDate(b), `${i}    `)}${el("mainEntry", n === 0 ? "true" : "false", `${i}    `)}${i}  </dateOfBirthItem>\n`).join("")}${i}</dateOfBirthList>\n`;
    }
    out += "  </sdnEntry>\n";
  }
  return `${out}</sdnList>\n`;
}

function splitText(name: string): [string, string | undefined] {
  const parts = name.trim().split(/\s+/);
  if (parts.length < 2) return [name, undefined];
  const last = parts.pop() as string;
  return [last, parts.join(" ")];
}

function splitName(e: Entity): [string, string | undefined] {
  const last = e.properties.lastName?.[0];
  const first = e.properties.firstName?.[0];
  return last && first ? [last, first] : splitText(captionOf(e));
}
