import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { inputFiles } from "../_input.js";
import { readList, refusal } from "../_testing.js";
import { advancedXmlReader } from "./advanced.js";

const DATA = "../shared/data";
const EXCERPT = `${DATA}/fixtures/us_ofac_sdn/advanced-xml-excerpt/sdn_advanced.xml`;
const HAND = "src/sources/us_ofac_sdn/fixtures/xml/sdn_advanced.xml";
const tmp = mkdtempSync(join(tmpdir(), "interdict-ofac-advanced-"));
// Memory is measured after collecting garbage, so that what is retained is what counts.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

async function rejects(path: string, pattern: RegExp, line?: number) {
  const e = await refusal(advancedXmlReader, path);
  assert.match(e.message, pattern);
  assert.equal(e.where.file, path);
  if (line !== undefined) assert.equal(e.where.line, line);
}

function write(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

describe("OFAC advanced XML: detection", () => {
  const cons = join(tmp, "cons_advanced.xml");
  const other = join(tmp, "export.xml");
  copyFileSync(EXCERPT, cons);
  copyFileSync(EXCERPT, other);
  const cases: [string, string | undefined | null][] = [
    [EXCERPT, "us_ofac_sdn"],
    [HAND, "us_ofac_sdn"],
    [cons, "us_ofac_cons"],
    [other, undefined],
    [`${DATA}/fixtures/us_ofac_sdn/xml-excerpt/sdn.xml`, null],
    [`${DATA}/lists/un_sc_sanctions/2026-02-27/consolidated.xml`, null],
    [`${DATA}/fixtures/us_ofac_sdn/csv-excerpt/SDN.CSV`, null],
  ];
  for (const [path, dataset] of cases) {
    it(`${path.split("/").slice(-2).join("/")} → ${dataset === null ? "not ours" : (dataset ?? "no dataset")}`, async () => {
      const [file] = await inputFiles([path]);
      assert.ok(file);
      const d = advancedXmlReader.detect(file);
      if (dataset === null) assert.equal(d, undefined);
      else assert.deepEqual(d, dataset ? { dataset } : {});
    });
  }
});

describe("OFAC advanced XML: the real excerpt", () => {
  it("reads the 4 parties with their sanctions and addresses", async () => {
    const r = await readList(advancedXmlReader, EXCERPT);
    assert.deepEqual(r.counts, {
      Organization: 1,
      Address: 2,
      Person: 1,
      Vessel: 1,
      Airplane: 1,
      Sanction: 4,
    });
    assert.deepEqual(r.issues, []);
  });

  it("maps the individual with Latin and Arabic names field by field", async () => {
    const r = await readList(advancedXmlReader, EXCERPT);
    const p = r.get("us_ofac_sdn:2677");
    assert.equal(p.schema, "Person");
    assert.equal(p.target, true);
    assert.deepEqual(p.properties.name, ["Abboud Abdul Latif Hassan Al-Zomor"]);
    assert.deepEqual(p.properties.firstName, ["Abboud Abdul Latif Hassan"]);
    assert.deepEqual(p.properties.lastName, ["Al-Zomor"]);
    assert.deepEqual(p.properties.alias, [
      "Abbud ZUMAR",
      "عبود عبداللطيف حسن الزمر",
      "Abbud AL-Zumar",
      "Aboud Abdul Latif Hasan El-Zomor",
      "Abood Abdul Latif Hassan Al-Zumur",
      "Abboud Abdul Latif Hassan Al-Zamur",
    ]);
    assert.equal(p.properties.alias?.filter((n) => /\p{Script=Arabic}/u.test(n)).length, 1);
    assert.deepEqual(p.properties.birthDate, ["1947-04-19"]);
    assert.deepEqual(p.properties.birthPlace, ["Nahia, Giza, Egypt"]);
    assert.deepEqual(p.properties.birthCountry, ["eg"]);
    assert.deepEqual(p.properties.nationality, ["eg"]);
    assert.deepEqual(p.properties.gender, ["male"]);
    assert.deepEqual(p.properties.country, ["eg"]);
    const source = p.source as { "@FixedRef": string; Profile: unknown[] };
    assert.equal(source["@FixedRef"], "2677");
    assert.equal(source.Profile.length, 1);

    assert.deepEqual(r.get("us_ofac_sdn:2677-sanction").properties, {
      entity: ["us_ofac_sdn:2677"],
      authority: ["Office of Foreign Assets Control"],
      program: ["SDGT"],
      country: ["us"],
      authorityId: ["2677"],
      listingDate: ["1995-01-23"],
      startDate: ["1995-01-23"],
      reason: ["Executive Order 13224 (Terrorism)"],
      provisions: [
        "Block",
        "Secondary sanctions risk: section 1(b) of Executive Order 13224, as amended by Executive Order 13886",
      ],
      sourceUrl: ["https://sanctionssearch.ofac.treas.gov/Details.aspx?id=2677"],
      summary: ["SDN List"],
    });
  });

  it("maps the entity: a.k.a. and its Havana address", async () => {
    const r = await readList(advancedXmlReader, EXCERPT);
    const org = r.get("us_ofac_sdn:36");
    assert.equal(org.schema, "Organization");
    assert.deepEqual(org.properties.name, ["AEROCARIBBEAN AIRLINES"]);
    assert.deepEqual(org.properties.alias, ["AERO-CARIBBEAN"]);
    assert.deepEqual(r.get("us_ofac_sdn:36-addr-1").properties, {
      full: ["Havana, Cuba"],
      city: ["Havana"],
      country: ["cu"],
    });
    const sanction = r.get("us_ofac_sdn:36-sanction").properties;
    assert.deepEqual(sanction.program, ["CUBA"]);
    assert.deepEqual(sanction.listingDate, ["1986-12-10"]);
  });

  it("maps the vessel: call sign, flag, type, tonnage, owner's name", async () => {
    const r = await readList(advancedXmlReader, EXCERPT);
    const v = r.get("us_ofac_sdn:4238");
    assert.equal(v.schema, "Vessel");
    assert.deepEqual(v.properties.name, ["MAR AZUL"]);
    assert.deepEqual(v.properties.callSign, ["CL2192"]);
    assert.deepEqual(v.properties.flag, ["cu"]);
    assert.deepEqual(v.properties.type, ["Tug"]);
    assert.deepEqual(v.properties.grossRegisteredTonnage, ["212"]);
    // This vessel has no IMO number in the list; the hand-written fixture has one.
    assert.equal(v.properties.imoNumber, undefined);
    // Not an entry of the list: only a note.
    assert.deepEqual(v.properties.notes, ["Vessel Owner: Samir de Navegacion S.A."]);
  });

  it("maps the aircraft: serial numbers, build year, model, operator's name", async () => {
    const r = await readList(advancedXmlReader, EXCERPT);
    const a = r.get("us_ofac_sdn:15432");
    assert.equal(a.schema, "Airplane");
    assert.deepEqual(a.properties.name, ["EP-GOL"]);
    assert.deepEqual(a.properties.serialNumber, ["8305", "1013409297"]);
    // A DatePeriod from 1 Jan to 31 Dec 1991.
    assert.deepEqual(a.properties.buildDate, ["1991"]);
    assert.deepEqual(a.properties.model, ["IL-76TD"]);
    assert.deepEqual(a.properties.notes, ["Aircraft Operator: YAS AIR"]);
    assert.deepEqual(r.get("us_ofac_sdn:15432-sanction").properties.listingDate, ["2012-09-19"]);
  });
});

describe("OFAC advanced XML: hand-written documents, names and relationships", () => {
  it("reads every party, link and sanction, and reports what does not fit", async () => {
    const r = await readList(advancedXmlReader, HAND);
    assert.deepEqual(r.counts, {
      Person: 2,
      Passport: 1,
      Identification: 1,
      Address: 1,
      Organization: 1,
      Vessel: 1,
      Airplane: 1,
      Ownership: 1,
      Family: 1,
      Directorship: 1,
      UnknownLink: 2,
      Sanction: 5,
    });
    assert.deepEqual(
      r.issues.map((i) => [i.code, i.record]),
      [
        ["ofac_link_unresolved", "60005"],
        ["ofac_missing_sanction", "90005"],
      ],
    );
  });

  it("maps a person: name parts, Cyrillic name, weak alias, former name, documents", async () => {
    const r = await readList(advancedXmlReader, HAND);
    const p = r.get("us_ofac_sdn:90001").properties;
    assert.deepEqual(p.name, ["Ivan Ivanovich PETROV"]);
    assert.deepEqual(p.firstName, ["Ivan"]);
    assert.deepEqual(p.fatherName, ["Ivanovich"]);
    assert.deepEqual(p.lastName, ["PETROV"]);
    assert.deepEqual(p.alias, ["Иван Иванович ПЕТРОВ"]);
    assert.deepEqual(p.weakAlias, ["VANYA"]);
    assert.deepEqual(p.previousName, ["Ivan SIDOROV"]);
    // 1 Jan 1960 to 31 Dec 1962; the 1955 date OFAC marks false is left out.
    assert.deepEqual(p.birthDate, ["1960", "1961", "1962"]);
    assert.deepEqual(p.birthPlace, ["Leningrad, USSR"]);
    assert.deepEqual(p.nationality, ["ru"]);
    assert.deepEqual(p.gender, ["male"]);
    assert.deepEqual(p.email, ["ivan.petrov@example.ru"]);
    assert.deepEqual(p.notes, ["Born in the Soviet Union."]);
    assert.deepEqual(p.passportNumber, ["753123456"]);
    assert.deepEqual(p.address, ["Tverskaya Street 1, Moscow, 125009, Russia"]);
    assert.deepEqual(r.get("us_ofac_sdn:90001-doc-passport-753123456").properties, {
      holder: ["us_ofac_sdn:90001"],
      type: ["Passport"],
      number: ["753123456"],
      country: ["ru"],
      authority: ["FMS 77001"],
      startDate: ["2015-06-02"],
      endDate: ["2025-06-02"],
    });
    assert.deepEqual(r.get("us_ofac_sdn:90001-doc-national-id-no-4509-123456").properties.summary, [
      "issued under a false name; Fraudulent",
    ]);
  });

  it("maps the vessel's IMO number and MMSI from its registration documents", async () => {
    const r = await readList(advancedXmlReader, HAND);
    const v = r.get("us_ofac_sdn:90003");
    assert.equal(v.schema, "Vessel");
    assert.deepEqual(v.properties.imoNumber, ["IMO9187629"]);
    assert.deepEqual(v.properties.mmsi, ["572469210"]);
    assert.deepEqual(v.properties.flag, ["pa"]);
    assert.deepEqual(v.properties.pastFlags, ["ir"]);
    assert.deepEqual(v.properties.type, ["Crude Oil Tanker"]);
    assert.deepEqual(v.properties.previousName, ["SEA QUEEN"]);
    // The owner OFAC names (by the name the company is now known as) is a party of the list.
    assert.deepEqual(v.properties.notes, ["Vessel Owner: NEW PETROV TRADING LLC"]);
    assert.deepEqual(r.get("us_ofac_sdn:90003-link-us-ofac-sdn-90002").properties, {
      subject: ["us_ofac_sdn:90003"],
      object: ["us_ofac_sdn:90002"],
      role: ["Vessel Owner"],
    });
    // Its only location is "undetermined".
    assert.equal(v.properties.address, undefined);
    assert.deepEqual(r.get("us_ofac_sdn:90004").properties.registrationNumber, ["EP-TST"]);
  });

  it("maps an entity's N.K.A. name, tax number, wallet and directive dates", async () => {
    const r = await readList(advancedXmlReader, HAND);
    const o = r.get("us_ofac_sdn:90002");
    assert.equal(o.schema, "Organization");
    assert.deepEqual(o.properties.name, ["PETROV TRADING LLC", "NEW PETROV TRADING LLC"]);
    assert.deepEqual(o.properties.taxNumber, ["7701234567"]);
    assert.deepEqual(o.properties.cryptoWallets, ["1AjZPMsnmpdK2Rv9KQNfMurTXinscVro9V"]);
    assert.deepEqual(r.get("us_ofac_sdn:90002-sanction").properties.provisions, [
      "Listing Date (EO 14024 Directive 2): 2022-02-24",
    ]);
  });

  it("maps relationships to ownership, family, directorship (either way round) and links", async () => {
    const r = await readList(advancedXmlReader, HAND);
    const rel = (id: string) => {
      const e = r.get(id);
      return [e.schema, e.properties];
    };
    assert.deepEqual(rel("us_ofac_sdn:90003-rel-60001"), [
      "Ownership",
      { asset: ["us_ofac_sdn:90003"], owner: ["us_ofac_sdn:90002"], role: ["Owned or Controlled By"] },
    ]);
    assert.deepEqual(rel("us_ofac_sdn:90005-rel-60002"), [
      "Family",
      { person: ["us_ofac_sdn:90005"], relative: ["us_ofac_sdn:90001"], relationship: ["Family member of"] },
    ]);
    assert.deepEqual(rel("us_ofac_sdn:90002-rel-60003"), [
      "Directorship",
      {
        director: ["us_ofac_sdn:90001"],
        organization: ["us_ofac_sdn:90002"],
        role: ["Leader or official of"],
        summary: ["Director until 2020", "former relationship"],
      },
    ]);
    assert.deepEqual(rel("us_ofac_sdn:90002-rel-60004"), [
      "UnknownLink",
      { subject: ["us_ofac_sdn:90002"], object: ["us_ofac_sdn:90001"], role: ["Associate Of"] },
    ]);
  });

  it("gives a party listed in two entries two sanctions, with programmes and listing dates", async () => {
    const r = await readList(advancedXmlReader, HAND);
    const first = r.get("us_ofac_sdn:90001-sanction").properties;
    assert.deepEqual(first.program, ["RUSSIA-EO14024", "UKRAINE-EO13661"]);
    assert.deepEqual(first.listingDate, ["2022-03-11"]);
    assert.deepEqual(first.reason, ["Executive Order 14024 (Russia)"]);
    const second = r.get("us_ofac_sdn:90001-sanction-90006").properties;
    assert.deepEqual(second.program, ["UKRAINE-EO13660"]);
    assert.deepEqual(second.listingDate, ["2014-04-28"]);
  });
});

/** The excerpt's parties and sanctions entries again and again under new ids. */
function writeCopies(path: string, copies: number): void {
  const text = readFileSync(EXCERPT, "utf8");
  const cut = (open: string, close: string) =>
    [text.indexOf(open) + open.length, text.indexOf(close)] as const;
  const [p0, p1] = cut("<DistinctParties>", "</DistinctParties>");
  const [s0, s1] = cut("<SanctionsEntries>", "</SanctionsEntries>");
  const renumber = (block: string, k: number) =>
    block.replace(
      /((?:FixedRef|<Profile ID|ProfileID)=")(\d+)"/g,
      (_, attr, id) => `${attr}${Number(id) + k * 1e6}"`,
    );
  const parts = [text.slice(0, p0)];
  for (let k = 0; k < copies; k++) parts.push(renumber(text.slice(p0, p1), k));
  parts.push(text.slice(p1, s0));
  for (let k = 0; k < copies; k++) parts.push(renumber(text.slice(s0, s1), k));
  parts.push(text.slice(s1));
  writeFileSync(path, parts.join(""));
}

describe("OFAC advanced XML: a large list", () => {
  it("reads 1,000 copies of the excerpt's parties (22 MB) in flat memory", async () => {
    const path = join(tmp, "sdn_advanced.xml");
    writeCopies(path, 1000);
    gc();
    const base = process.memoryUsage().heapUsed;
    let retained = 0;
    let n = 0;
    let issues = 0;
    const ctx = { dataset: "us_ofac_sdn", issue: () => issues++ };
    for await (const _ of advancedXmlReader.read(await inputFiles([path]), ctx)) {
      if (++n % 2000 === 0) {
        gc();
        retained = Math.max(retained, process.memoryUsage().heapUsed - base);
      }
    }
    assert.equal(n, 10 * 1000);
    assert.equal(issues, 0);
    // Per party only copies of its id, schema and names stay until the end; a substring kept as
    // is would hold its chunk of the file, and the file (with Arabic) is 44 MB as UTF-16.
    assert.ok(retained < 20e6, `${Math.round(retained / 1e6)} MB retained`);
  });
});

describe("OFAC advanced XML: bad input", () => {
  const refs =
    readFileSync(HAND, "utf8").match(/<ReferenceValueSets>[\s\S]*<\/ReferenceValueSets>/)?.[0] ?? "";
  const party = (attrs: string, sub = "4") =>
    `<DistinctParty ${attrs}><Profile ID="1" PartySubTypeID="${sub}"><Identity ID="1" FixedRef="1" Primary="true" False="false">` +
    `<Alias FixedRef="1" AliasTypeID="1403" Primary="true" LowQuality="false"><DocumentedName ID="1" FixedRef="1" DocNameStatusID="1">` +
    `<DocumentedNamePart><NamePartValue NamePartGroupID="1" ScriptID="215" ScriptStatusID="1" Acronym="false">X</NamePartValue></DocumentedNamePart>` +
    `</DocumentedName></Alias><NamePartGroups><MasterNamePartGroup><NamePartGroup ID="1" NamePartTypeID="1520" /></MasterNamePartGroup></NamePartGroups>` +
    "</Identity></Profile></DistinctParty>";
  const doc = (body: string) =>
    `<?xml version="1.0"?>\n<Sanctions xmlns="http://www.un.org/sanctions/1.0" Version="3">\n${body}\n</Sanctions>\n`;

  it("refuses the excerpt cut in half, naming file and line", async () => {
    const bytes = readFileSync(EXCERPT);
    const path = write("half.xml", bytes.subarray(0, bytes.length / 2).toString("latin1"));
    const e = await refusal(advancedXmlReader, path);
    assert.equal(e.where.file, path);
    assert.ok((e.where.line ?? 0) > 700, `line ${e.where.line}`);
  });

  it("refuses a DOCTYPE (XXE)", () =>
    rejects(
      write(
        "xxe.xml",
        `<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n${doc("&e;")}`,
      ),
      /DOCTYPE/,
      2,
    ));

  // The body starts on line 3; what follows the reference values starts on the line after them.
  const after = 3 + refs.split("\n").length;
  const broken: [string, string, RegExp, number][] = [
    [
      "party before the reference values",
      `<DistinctParties>${party('FixedRef="1"')}</DistinctParties>`,
      /before the ReferenceValueSets/,
      3,
    ],
    [
      "party without FixedRef",
      `${refs}\n<DistinctParties>${party("")}</DistinctParties>`,
      /without a FixedRef/,
      after,
    ],
    [
      "unknown party subtype",
      `${refs}\n<DistinctParties>${party('FixedRef="1"', "77")}</DistinctParties>`,
      /PartySubType "77", which the file does not declare/,
      after,
    ],
    [
      "location after the parties",
      `${refs}\n<DistinctParties>${party('FixedRef="1"')}</DistinctParties>\n<Locations><Location ID="1" /></Locations>`,
      /out of schema order/,
      after + 1,
    ],
    ["no parties at all", refs, /no <DistinctParty>/, 0],
    [
      "a profile twice",
      `${refs}\n<DistinctParties>${party('FixedRef="1"')}\n${party('FixedRef="1"')}</DistinctParties>`,
      /profile 1 is listed twice/,
      after + 1,
    ],
  ];
  for (const [name, body, pattern, line] of broken) {
    it(`refuses ${name}`, () =>
      rejects(write(`${name.replace(/ /g, "-")}.xml`, doc(body)), pattern, line || undefined));
  }

  it("refuses OFAC's classic XML given as advanced", () =>
    rejects(`${DATA}/fixtures/us_ofac_sdn/xml-excerpt/sdn.xml`, /no <DistinctParty>/));
});
