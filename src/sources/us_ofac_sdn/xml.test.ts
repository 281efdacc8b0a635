import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { Entity } from "../../model/entity.js";
import { inputFiles } from "../_input.js";
import { readList, refusal } from "../_testing.js";
import { ofacDateText, sdnXmlReader, spanText } from "./xml.js";

const DATA = "../shared/data";
const EXCERPT = `${DATA}/fixtures/us_ofac_sdn/xml-excerpt/sdn.xml`;
const ZIP = `${DATA}/fixtures/us_ofac_sdn/xml-excerpt/sdn_xml.zip`;
const CONS = `${DATA}/lists/us_ofac_cons/2020-03-17/consolidated.xml`;
const FIX = "src/sources/us_ofac_sdn/fixtures/xml";
const tmp = mkdtempSync(join(tmpdir(), "interdict-ofac-xml-"));
// Memory is measured after collecting garbage, so that what is retained is what counts.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

async function rejects(path: string, pattern: RegExp, where: { line?: number; field?: string } = {}) {
  const e = await refusal(sdnXmlReader, path);
  assert.match(e.message, pattern);
  assert.equal(e.where.file, path);
  if (where.line !== undefined) assert.equal(e.where.line, where.line);
  if (where.field !== undefined) assert.equal(e.where.field, where.field);
}

/** The 1-based line of the n-th line containing `text`. */
function lineOf(path: string, text: string, nth = 1): number {
  const lines = readFileSync(path, "utf8").split("\n");
  let seen = 0;
  const i = lines.findIndex((l) => l.includes(text) && ++seen === nth);
  assert.ok(i >= 0, `${text} not in ${path}`);
  return i + 1;
}

describe("OFAC classic XML: detection", () => {
  const cases: [string, string | undefined | null][] = [
    [EXCERPT, "us_ofac_sdn"],
    [ZIP, "us_ofac_sdn"],
    [CONS, "us_ofac_cons"],
    // OFAC's schema under a name we do not know: the format, but no dataset.
    [`${FIX}/sdn-extra.xml`, undefined],
    [`${DATA}/lists/un_sc_sanctions/2026-02-27/consolidated.xml`, null],
    [`${DATA}/fixtures/us_ofac_sdn/advanced-xml-excerpt/sdn_advanced.xml`, null],
    [`${DATA}/fixtures/us_ofac_sdn/csv-excerpt/SDN.CSV`, null],
  ];
  for (const [path, dataset] of cases) {
    it(`${path.split("/").slice(-2).join("/")} → ${dataset === null ? "not ours" : (dataset ?? "no dataset")}`, async () => {
      const [file] = await inputFiles([path]);
      assert.ok(file);
      const d = sdnXmlReader.detect(file);
      if (dataset === null) assert.equal(d, undefined);
      else assert.deepEqual(d, dataset ? { dataset } : {});
    });
  }
});

describe("OFAC classic XML: the sdn.xml excerpt", () => {
  it("reads 8 entries with their sanctions, addresses and documents", async () => {
    const r = await readList(sdnXmlReader, EXCERPT);
    assert.deepEqual(r.counts, {
      Person: 6,
      Organization: 2,
      Sanction: 8,
      Address: 7,
      Passport: 2,
      Identification: 2,
    });
    assert.deepEqual(
      r.issues.map((i) => [i.code, i.record]),
      [
        ["ofac_count_mismatch", undefined],
        ["ofac_link_unresolved", "15496"],
        ["ofac_link_unresolved", "15497"],
      ],
    );
  });

  it("maps an individual field by field: names, weak aliases, passports, IDs, birth, nationality", async () => {
    const r = await readList(sdnXmlReader, EXCERPT);
    const saeed = r.get("us_ofac_sdn:10689");
    assert.equal(saeed.schema, "Person");
    assert.equal(saeed.target, true);
    assert.deepEqual(saeed.properties.name, ["Muhammad SAEED"]);
    assert.deepEqual(saeed.properties.firstName, ["Muhammad"]);
    assert.deepEqual(saeed.properties.lastName, ["SAEED"]);
    assert.deepEqual(saeed.properties.weakAlias, ["HAFIZ SAHIB", "TATA JI"]);
    assert.equal(saeed.properties.alias?.length, 8);
    assert.ok(saeed.properties.alias?.includes("Hafiz Muhammad SAEED"));
    assert.deepEqual(saeed.properties.passportNumber, ["Booklet A5250088", "BE5978421"]);
    assert.deepEqual(saeed.properties.idNumber, ["23250460642", "3520025509842-7"]);
    assert.deepEqual(saeed.properties.birthDate, ["1950-06-05"]);
    assert.deepEqual(saeed.properties.birthPlace, ["Sargodha, Punjab, Pakistan"]);
    assert.deepEqual(saeed.properties.birthCountry, ["pk"]);
    assert.deepEqual(saeed.properties.nationality, ["pk"]);
    assert.deepEqual(saeed.properties.country, ["pk"]);
    assert.deepEqual(saeed.properties.address, [
      "House No. 116 E, Mohalla Johar, Town: Lahore, Tehsil:, Lahore City, Lahore District, Pakistan",
    ]);
    assert.deepEqual((saeed.source as { uid: string }).uid, "10689");

    const passport = r.get("us_ofac_sdn:10689-doc-passport-be5978421");
    assert.equal(passport.schema, "Passport");
    assert.deepEqual(passport.properties, {
      holder: ["us_ofac_sdn:10689"],
      type: ["Passport"],
      number: ["BE5978421"],
      country: ["pk"],
      startDate: ["2007-11-14"],
      endDate: ["2012-11-12"],
    });
    assert.equal(r.get("us_ofac_sdn:10689-doc-national-id-no-23250460642").schema, "Identification");

    assert.deepEqual(r.get("us_ofac_sdn:10689-sanction").properties, {
      entity: ["us_ofac_sdn:10689"],
      authority: ["Office of Foreign Assets Control"],
      program: ["SDGT"],
      country: ["us"],
      authorityId: ["10689"],
      sourceUrl: ["https://sanctionssearch.ofac.treas.gov/Details.aspx?id=10689"],
    });
  });

  it("reads OFAC's birth-date spans: whole years, ranges of years, months, circa", async () => {
    const r = await readList(sdnXmlReader, EXCERPT);
    const dob = (uid: string) => r.get(`us_ofac_sdn:${uid}`).properties.birthDate;
    // 01 Jan 1976 to 31 Dec 1978, and 01 Jan 1977 to 31 Dec 1979
    assert.deepEqual(dob("18619"), ["1976", "1977", "1978", "1979"]);
    // 1951 to 1953, 1960 to 1962, Apr 1961, 1953
    assert.deepEqual(dob("12057"), ["1951", "1952", "1953", "1960", "1961", "1962", "1961-04"]);
    assert.deepEqual(dob("15496"), ["1929", "1930"]);
    // circa-1951
    assert.deepEqual(dob("12345"), ["1951"]);
  });

  it("maps titles, remarks, gender, every programme and sanction statements", async () => {
    const r = await readList(sdnXmlReader, EXCERPT);
    const naqdi = r.get("us_ofac_sdn:12057");
    assert.deepEqual(naqdi.properties.position, [
      "Brigadier General and Commander of the IRGC Basij Resistance Force",
      "President of the Organization of the Basij of the Oppressed",
      "Chief of the Mobilization of the Oppressed Organization",
    ]);
    assert.deepEqual(naqdi.properties.notes, ["Head of the Basij"]);
    assert.deepEqual(naqdi.properties.gender, ["male"]);
    assert.deepEqual(naqdi.properties.birthPlace, ["Najaf, Iraq", "Tehran, Iran"]);
    const sanction = r.get("us_ofac_sdn:12057-sanction");
    assert.deepEqual(sanction.properties.program, [
      "IFSR",
      "IRGC",
      "NPWMD",
      "IRAN-HR",
      "SDGT",
      "IRAN-EO13876",
    ]);
    // As the CSV's Remarks write it.
    assert.deepEqual(sanction.properties.provisions, [
      "Additional Sanctions Information - Subject to Secondary Sanctions",
    ]);
  });

  it("maps an entity with a tax number and a country-only address", async () => {
    const r = await readList(sdnXmlReader, EXCERPT);
    const troll = r.get("us_ofac_sdn:19187");
    assert.equal(troll.schema, "Organization");
    assert.deepEqual(troll.properties.name, ["TROLL PROPERTIES, INC."]);
    assert.deepEqual(troll.properties.taxNumber, ["991715-1-534344"]);
    assert.deepEqual(troll.properties.country, ["pa"]);
    assert.equal(troll.properties.idNumber, undefined);
    assert.deepEqual(r.get("us_ofac_sdn:19187-addr-1").properties, { full: ["Panama"], country: ["pa"] });
  });

  it("reads the zipped copy to the same entities", async () => {
    const plain = await readList(sdnXmlReader, EXCERPT);
    const zipped = await readList(sdnXmlReader, ZIP);
    assert.deepEqual(zipped.entities, plain.entities);
  });

  it("names entities after the dataset it is read as", async () => {
    const r = await readList(sdnXmlReader, EXCERPT, "my_list");
    assert.ok(r.entities.every((e) => e.id.startsWith("my_list:") && e.datasets[0] === "my_list"));
    assert.equal(r.get("my_list:10689-sanction").properties.entity?.[0], "my_list:10689");
  });
});

describe("OFAC classic XML: hand-written vessel, aircraft and company", () => {
  const EXTRA = `${FIX}/sdn-extra.xml`;

  it("maps a vessel: IMO, MMSI, call sign, flags, tonnage, former name; its owner by name", async () => {
    const r = await readList(sdnXmlReader, EXTRA);
    const vessel = r.get("us_ofac_sdn:900001");
    assert.equal(vessel.schema, "Vessel");
    const p = vessel.properties;
    assert.deepEqual(p.name, ["ADRIAN DARYA 1"]);
    assert.deepEqual(p.previousName, ["GRACE 1"]);
    assert.deepEqual(p.imoNumber, ["IMO9116412"]);
    assert.deepEqual(p.mmsi, ["422345600"]);
    assert.deepEqual(p.callSign, ["9BQI"]);
    assert.deepEqual(p.type, ["Crude Oil Tanker"]);
    assert.deepEqual(p.flag, ["ir"]);
    assert.deepEqual(p.pastFlags, ["pa"]);
    assert.deepEqual(p.buildDate, ["1997"]);
    assert.deepEqual(p.tonnage, ["150000"]);
    assert.deepEqual(p.grossRegisteredTonnage, ["156880"]);
    // The owner is a name: a note, and a link since it is an entry of the list.
    assert.ok(p.notes?.includes("Vessel Owner: IRAN SHIPPING TEST COMPANY"));
    const link = r.get("us_ofac_sdn:900001-link-us-ofac-sdn-900003");
    assert.deepEqual(link.properties.role, ["Linked To", "Vessel Owner"]);
  });

  it("maps an aircraft: serial number, tail number, model, ICAO address, operator", async () => {
    const r = await readList(sdnXmlReader, EXTRA);
    const plane = r.get("us_ofac_sdn:900002");
    assert.equal(plane.schema, "Airplane");
    assert.deepEqual(plane.properties.serialNumber, ["1013409297"]);
    assert.deepEqual(plane.properties.registrationNumber, ["EP-TST"]);
    assert.deepEqual(plane.properties.model, ["IL-76TD"]);
    assert.deepEqual(plane.properties.icaoCode, ["7303E4"]);
    assert.deepEqual(plane.properties.notes, ["Aircraft Operator: IRAN SHIPPING TEST COMPANY"]);
    const link = r.get("us_ofac_sdn:900002-link-us-ofac-sdn-900003");
    assert.deepEqual(link.properties.role, ["Aircraft Operator"]);
  });

  it("makes a Company of an entity with an ISIN; maps email, website, wallet, n.k.a., directives", async () => {
    const r = await readList(sdnXmlReader, EXTRA);
    const co = r.get("us_ofac_sdn:900003");
    assert.equal(co.schema, "Company");
    assert.deepEqual(co.properties.name, ["IRAN SHIPPING TEST COMPANY", "NEW IRAN SHIPPING TEST COMPANY"]);
    assert.deepEqual(co.properties.isinCode, ["RU000A0JP5V6"]);
    assert.deepEqual(co.properties.email, ["info@example.com"]);
    assert.deepEqual(co.properties.website, ["www.example.com"]);
    assert.deepEqual(co.properties.cryptoWallets, ["1AjZPMsnmpdK2Rv9KQNfMurTXinscVro9V"]);
    assert.deepEqual(co.properties.incorporationDate, ["2001-03-14"]);
    assert.deepEqual(co.properties.jurisdiction, ["ir"]);
    assert.deepEqual(co.properties.taxNumber, ["7701234567"]);
    assert.ok(co.properties.notes?.includes("Widget Registry Code: WRC-42"));
    assert.deepEqual(r.get("us_ofac_sdn:900003-sanction").properties.provisions, [
      "Executive Order 13662 Directive Determination - Subject to Directive 2",
    ]);
  });

  it("merges a passport listed twice and keeps weak aliases and citizenship", async () => {
    const r = await readList(sdnXmlReader, EXTRA);
    const karimi = r.get("us_ofac_sdn:900004");
    assert.deepEqual(karimi.properties.weakAlias, ["ABU ALI"]);
    assert.deepEqual(karimi.properties.citizenship, ["iq"]);
    assert.deepEqual(karimi.properties.birthDate, ["1965"]);
    assert.deepEqual(karimi.properties.passportNumber, ["K12345678"]);
    const passports = r.entities.filter((e) => e.schema === "Passport");
    assert.equal(passports.length, 1);
    assert.deepEqual(passports[0]?.properties.country, ["ir", "iq"]);
  });

  it("resolves Linked To by name (surname first for people) and reports the rest", async () => {
    const r = await readList(sdnXmlReader, EXTRA);
    const links = r.entities.filter((e) => e.schema === "UnknownLink").map((e) => e.properties);
    assert.deepEqual(
      links.map((p) => [p.subject?.[0], p.object?.[0], p.role?.[0]]),
      [
        ["us_ofac_sdn:900001", "us_ofac_sdn:900003", "Linked To"],
        ["us_ofac_sdn:900002", "us_ofac_sdn:900003", "Aircraft Operator"],
        ["us_ofac_sdn:900003", "us_ofac_sdn:900004", "Linked To"],
        ["us_ofac_sdn:900004", "us_ofac_sdn:900003", "Linked To"],
      ],
    );
  });

  it("reports what it cannot use, with line, record and field", async () => {
    const r = await readList(sdnXmlReader, EXTRA);
    assert.deepEqual(
      r.issues.map((i) => [i.code, i.record, i.field, i.line]),
      [
        ["ofac_unknown_field", "900003", "Widget Registry Code", lineOf(EXTRA, "<uid>19</uid>") - 1],
        ["ofac_invalid_value", "900003", "address/country", lineOf(EXTRA, "<uid>22</uid>") - 1],
        ["ofac_invalid_value", "900004", "dateOfBirth", lineOf(EXTRA, "<uid>29</uid>") - 1],
        ["ofac_link_unresolved", "900003", undefined, lineOf(EXTRA, "<sdnEntry>", 3)],
      ],
    );
  });
});

/** The consolidated entries again and again under new uids: 375 entries, 0.6 MB, each time. */
function writeCopies(path: string, copies: number): void {
  const text = readFileSync(CONS, "utf8");
  const start = text.indexOf("<sdnEntry>");
  const end = text.lastIndexOf("</sdnEntry>") + "</sdnEntry>".length;
  const parts = [text.slice(0, start)];
  for (let k = 1; k <= copies; k++) {
    const renumbered = (_: string, open: string, uid: string) => `${open}${Number(uid) + k * 1e6}`;
    parts.push(text.slice(start, end).replace(/(<sdnEntry>\s*<uid>)(\d+)/g, renumbered));
  }
  parts.push(text.slice(end));
  writeFileSync(path, parts.join(""));
}

describe("OFAC classic XML: the 2020 consolidated list", () => {
  it("reads all 375 entries as us_ofac_cons", async () => {
    const r = await readList(sdnXmlReader, CONS, "us_ofac_cons");
    assert.deepEqual(r.counts, {
      Person: 82,
      Organization: 293,
      Sanction: 375,
      Address: 407,
      Passport: 3,
      UnknownLink: 276,
    });
    assert.ok(r.entities.every((e) => e.id.startsWith("us_ofac_cons:")));
    // One email OFAC published without its domain's dot.
    assert.deepEqual(
      r.issues.map((i) => [i.code, i.record, i.field]),
      [["ofac_invalid_value", "19468", "Email Address"]],
    );
  });

  it("reads a list 31 times its size in flat memory", async () => {
    const path = join(tmp, "consolidated-x31.xml");
    writeCopies(path, 31);
    gc();
    const base = process.memoryUsage().heapUsed;
    let retained = 0;
    let targets = 0;
    for await (const e of sdnXmlReader.read(await inputFiles([path]), { dataset: "x", issue() {} })) {
      if ((e as Entity).target && ++targets % 3000 === 0) {
        gc();
        retained = Math.max(retained, process.memoryUsage().heapUsed - base);
      }
    }
    assert.equal(targets, 375 * 31);
    // Only copies of the names for "Linked To:" stay; a substring kept as is would hold its
    // chunk of the file, and the file is 19 MB.
    assert.ok(retained < 15e6, `${Math.round(retained / 1e6)} MB retained`);
  });

  it("maps a sectoral-sanctions entity field by field, with its links", async () => {
    const r = await readList(sdnXmlReader, CONS, "us_ofac_cons");
    const gpb = r.get("us_ofac_cons:17016");
    assert.equal(gpb.schema, "Organization");
    const p = gpb.properties;
    assert.deepEqual(p.name, ["GAZPROMBANK OAO"]);
    assert.equal(p.alias?.length, 6);
    assert.deepEqual(p.registrationNumber, ["09807684", "1027700167110"]);
    assert.deepEqual(p.taxNumber, ["7744001497"]);
    assert.deepEqual(p.email, ["mailbox@gazprombank.ru"]);
    assert.deepEqual(p.website, ["www.gazprombank.ru"]);
    assert.deepEqual(p.swiftBic, ["GAZPRUMM"]);
    assert.deepEqual(p.country, ["ru"]);
    assert.equal(p.addressEntity?.length, 2);
    const sanction = r.get("us_ofac_cons:17016-sanction").properties;
    assert.deepEqual(sanction.program, ["UKRAINE-EO13662"]);
    assert.deepEqual(sanction.provisions, [
      "Executive Order 13662 Directive Determination - Subject to Directive 1",
    ]);
    const linked = r.entities.filter(
      (e) => e.schema === "UnknownLink" && e.properties.object?.[0] === gpb.id,
    );
    assert.equal(linked.length, 26);
  });

  it("maps a Palestinian Legislative Council member", async () => {
    const r = await readList(sdnXmlReader, CONS, "us_ofac_cons");
    const haniya = r.get("us_ofac_cons:9639");
    assert.deepEqual(haniya.properties.name, ["Ismail Abdul Salah HANIYA"]);
    assert.deepEqual(haniya.properties.alias, ["Ismail HANIYA", "Ismaeel HANIYYA"]);
    assert.deepEqual(haniya.properties.birthDate, ["1962"]);
    assert.deepEqual(haniya.properties.birthPlace, ["Shati"]);
    assert.deepEqual(r.get("us_ofac_cons:9639-sanction").properties.program, ["NS-PLC"]);
  });
});

describe("OFAC classic XML: bad input", () => {
  it("refuses the list cut in half, naming file and line", async () => {
    const path = join(tmp, "consolidated.xml");
    const bytes = readFileSync(CONS);
    writeFileSync(path, bytes.subarray(0, bytes.length / 2));
    const e = await refusal(sdnXmlReader, path);
    assert.equal(e.where.file, path);
    assert.ok((e.where.line ?? 0) > 5000, `line ${e.where.line}`);
    assert.match(e.message, /truncated|not well-formed/);
  });

  it("refuses a DOCTYPE with an external entity (XXE)", () =>
    rejects(`${FIX}/xxe.xml`, /DOCTYPE/, { line: 2 }));

  // Refused where its DOCTYPE ends, before the root element: nothing is expanded (that would
  // take gigabytes).
  it("refuses a billion-laughs DOCTYPE before expanding anything", () =>
    rejects(`${FIX}/billion-laughs.xml`, /DOCTYPE/, { line: lineOf(`${FIX}/billion-laughs.xml`, "]>") }));

  it("refuses an entry without a uid, naming its line", () =>
    rejects(`${FIX}/no-uid.xml`, /without a <uid>/, {
      line: lineOf(`${FIX}/no-uid.xml`, "<sdnEntry>", 2),
      field: "uid",
    }));

  const entry = (body: string) =>
    `<?xml version="1.0"?>\n<sdnList xmlns="http://tempuri.org/sdnList.xsd">\n  <sdnEntry>\n${body}\n  </sdnEntry>\n</sdnList>\n`;
  const broken: [string, string, RegExp, string, number?][] = [
    ["no-type", "<uid>1</uid><lastName>X</lastName>", /without an <sdnType>/, "sdnType"],
    [
      "bad-type",
      "<uid>1</uid><lastName>X</lastName><sdnType>Robot</sdnType>",
      /unknown sdnType "Robot"/,
      "sdnType",
    ],
    ["no-name", "<uid>1</uid><sdnType>Entity</sdnType>", /without a <lastName>/, "lastName"],
    ["bad-uid", "<uid>1a</uid><lastName>X</lastName><sdnType>Entity</sdnType>", /not a number/, "uid"],
    [
      "twice",
      "<uid>1</uid><lastName>X</lastName><sdnType>Entity</sdnType></sdnEntry>\n<sdnEntry><uid>1</uid><lastName>Y</lastName><sdnType>Entity</sdnType>",
      /uid 1 is listed twice/,
      "uid",
      5,
    ],
  ];
  for (const [name, body, pattern, field, line = 3] of broken) {
    it(`refuses an entry: ${name}`, () => {
      const path = join(tmp, `${name}.xml`);
      writeFileSync(path, entry(body));
      return rejects(path, pattern, { line, field });
    });
  }

  it("refuses an empty file and a file of another list", async () => {
    const empty = join(tmp, "empty.xml");
    writeFileSync(empty, "");
    await rejects(empty, /root element|no XML element/);
    await rejects(`${DATA}/lists/un_sc_sanctions/2018-10-29/consolidated.xml`, /no <sdnEntry>/);
  });

  it("refuses an entry outside the sdnList root", async () => {
    const path = join(tmp, "wrong-root.xml");
    writeFileSync(path, "<list><sdnEntry><uid>1</uid></sdnEntry></list>");
    await rejects(path, /under list, expected sdnList/, { line: 1 });
  });
});

describe("OFAC dates", () => {
  const spans: [string, string, string][] = [
    ["1947-04-19", "1947-04-19", "1947-04-19"],
    ["1991-01-01", "1991-12-31", "1991"],
    ["1976-01-01", "1978-12-31", "1976 to 1978"],
    ["1961-04-01", "1961-04-30", "1961-04"],
    ["1961-04-05", "1961-06-30", "1961-04-05 to 1961-06-30"],
  ];
  for (const [from, to, text] of spans) {
    it(`${from}…${to} → ${text}`, () => assert.equal(spanText(from, to), text));
  }
  const texts: [string, string][] = [
    ["circa-1951", "circa 1951"],
    ["01 Jan 1976 to 31 Dec 1978", "1976 to 1978"],
    ["05 Jun 1950", "05 Jun 1950"],
  ];
  for (const [raw, text] of texts) it(`${raw} → ${text}`, () => assert.equal(ofacDateText(raw), text));
});
