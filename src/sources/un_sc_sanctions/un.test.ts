import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { inputFiles } from "../_input.js";
import { type ListRead, readList, refusal } from "../_testing.js";
import { readers } from "./index.js";
import { splitNames } from "./map.js";

const reader = readers[0]!;
const LISTS = "../shared/data/lists/un_sc_sanctions";
const FIXTURES = "../shared/data/fixtures/un_sc_sanctions";
const OWN = "src/sources/un_sc_sanctions/fixtures";

const props = (r: ListRead, id: string): Record<string, string[]> => r.get(id).properties;

describe("UN consolidated list: detection", () => {
  const cases: [string, string | undefined][] = [
    [`${LISTS}/2026-02-27/consolidated.xml`, "un_sc_sanctions"],
    [`${LISTS}/2018-10-29/consolidated.xml`, "un_sc_sanctions"],
    [`${FIXTURES}/excerpt-2024/consolidated.xml`, "un_sc_sanctions"],
    // OFAC publishes a consolidated.xml too, with root sdnList: not ours.
    ["../shared/data/lists/us_ofac_cons/2020-03-17/consolidated.xml", undefined],
    ["../shared/data/fixtures/eu_fsf/excerpt-2026/sanctions.xml", undefined],
    ["../shared/data/lists/gb_hmt_sanctions/2020-04-27/ConList.csv", undefined],
  ];
  for (const [path, dataset] of cases) {
    it(`${path} → ${dataset ?? "not ours"}`, async () => {
      const [file] = await inputFiles([path]);
      assert.deepEqual(reader.detect(file!)?.dataset, dataset);
    });
  }
});

describe("UN consolidated list: excerpt-2026", () => {
  let r: ListRead;
  before(async () => {
    r = await readList(reader, `${FIXTURES}/excerpt-2026/consolidated.xml`);
  });

  it("has 4 individuals and 3 entities, each with one Sanction", () => {
    assert.equal(r.counts.Person, 4);
    assert.equal(r.counts.Organization, 3);
    assert.equal(r.counts.Sanction, 7);
    assert.deepEqual(r.issues, []);
  });

  it("maps QDi.335 field by field", () => {
    const p = props(r, "un_sc_sanctions:QDi.335");
    assert.equal(r.get("un_sc_sanctions:QDi.335").schema, "Person");
    assert.deepEqual(p.name, ["‘ABD AL-RAHMAN KHALAF ‘UBAYD JUDAY’ AL-‘ANIZI"]);
    assert.deepEqual(p.firstName, ["‘ABD AL-RAHMAN"]);
    assert.deepEqual(p.secondName, ["KHALAF"]);
    assert.deepEqual(p.middleName, ["‘UBAYD JUDAY’"]);
    assert.deepEqual(p.lastName, ["AL-‘ANIZI"]);
    assert.deepEqual(p.alias, ["‘Abd al-Rahman Khalaf al-Anizi", "‘Abd al-Rahman Khalaf al-‘Anzi"]);
    assert.deepEqual(p.weakAlias, [
      "Abu Usamah al-Rahman",
      "Abu Shaima’ Kuwaiti",
      "Abu Usamah al-Kuwaiti",
      "Abu Usama",
      "Yusuf",
    ]);
    assert.deepEqual(p.nationality, ["kw"]);
    assert.deepEqual(p.birthDate, ["1973-03-06"]);
    assert.equal(p.birthPlace, undefined);
    assert.deepEqual(p.country, ["sy"]);
    assert.deepEqual(p.idNumber, ["273030601222"]);
    assert.deepEqual(p.program, ["Al-Qaida"]);
    assert.deepEqual(p.createdAt, ["2014-09-23"]);
    assert.deepEqual(p.modifiedAt, ["2023-02-02"]);
    assert.deepEqual(p.topics, ["sanction"]);
    assert.match(p.notes?.[0] ?? "", /^A sentence of imprisonment for 15 years/);
    assert.equal(r.get("un_sc_sanctions:QDi.335").target, true);

    const s = props(r, "un_sc_sanctions:QDi.335-sanction");
    assert.deepEqual(s.entity, ["un_sc_sanctions:QDi.335"]);
    assert.deepEqual(s.authority, ["United Nations Security Council"]);
    assert.deepEqual(s.program, ["Al-Qaida"]);
    assert.deepEqual(s.unscId, ["QDi.335"]);
    assert.deepEqual(s.authorityId, ["QDi.335"]);
    assert.deepEqual(s.listingDate, ["2014-09-23"]);
    assert.deepEqual(s.modifiedAt, ["2023-02-02"]);
    assert.deepEqual(s.recordId, ["6908399"]);

    const doc = props(r, "un_sc_sanctions:QDi.335-doc-national-identification-number-273030601222");
    assert.equal(
      r.get("un_sc_sanctions:QDi.335-doc-national-identification-number-273030601222").schema,
      "Identification",
    );
    assert.deepEqual(doc.holder, ["un_sc_sanctions:QDi.335"]);
    assert.deepEqual(doc.number, ["273030601222"]);
    assert.deepEqual(doc.country, ["kw"]);
  });

  it("maps a year range, the original-script name and city addresses (QDi.314)", () => {
    const p = props(r, "un_sc_sanctions:QDi.314");
    assert.deepEqual(p.name, ["ABDERRAHMANE OULD EL AMAR"]);
    assert.deepEqual(p.alias?.[0], "عبد الرحمن ولد العامر");
    assert.deepEqual(p.birthDate, ["1977", "1978", "1979", "1980", "1981", "1982"]);
    assert.deepEqual(p.birthPlace, ["Tabankort, Mali"]);
    assert.deepEqual(p.birthCountry, ["ml"]);
    assert.deepEqual(p.address, ["Gao, Mali", "Tabankort, Mali", "In Khalil, Mali", "Al Moustarat, Mali"]);
    assert.equal(p.addressEntity?.length, 4);
    const a = props(r, "un_sc_sanctions:QDi.314-addr-1");
    assert.deepEqual(a.city, ["Gao"]);
    assert.deepEqual(a.country, ["ml"]);
  });

  it("maps gender, place of birth and a passport with its issue date (QDi.356)", () => {
    const p = props(r, "un_sc_sanctions:QDi.356");
    assert.deepEqual(p.gender, ["female"]);
    assert.deepEqual(p.nationality, ["gb"]);
    assert.deepEqual(p.birthPlace, [
      "Glasgow, Scotland, United Kingdom of Great Britain and Northern Ireland",
    ]);
    assert.deepEqual(p.passportNumber, ["720134834"]);
    assert.deepEqual(p.country, ["sy", "gb"]);
    const doc = r.get("un_sc_sanctions:QDi.356-doc-passport-720134834");
    assert.equal(doc.schema, "Passport");
    assert.deepEqual(doc.properties.startDate, ["2012-06-27"]);
    assert.deepEqual(doc.properties.summary, ["expires on 27 Jun. 2022"]);
  });

  it("maps title, designation and an approximate year (TAi.019)", () => {
    const p = props(r, "un_sc_sanctions:TAi.019");
    assert.deepEqual(p.title, ["Maulavi"]);
    assert.deepEqual(p.position, ["Deputy Minister of Commerce under the Taliban regime"]);
    assert.deepEqual(p.birthDate, ["1957"]);
    assert.deepEqual(p.alias, ["نیک محمد دوست محمد", "Nik Mohammad"]);
    assert.deepEqual(props(r, "un_sc_sanctions:TAi.019-sanction").program, ["Taliban"]);
  });

  it("maps entities: a.k.a. aliases, a described location, a trimmed reference", () => {
    assert.equal(r.get("un_sc_sanctions:QDe.144").schema, "Organization");
    const e = props(r, "un_sc_sanctions:QDe.144");
    assert.deepEqual(e.name, ["ABDALLAH AZZAM BRIGADES (AAB)"]);
    assert.equal(e.alias?.length, 3);
    assert.equal(e.notes?.[1], "Operates in Lebanon, Syria and the Arabian Peninsula");
    assert.equal(e.address, undefined);
    const k = props(r, "un_sc_sanctions:KPe.033");
    assert.deepEqual(k.name, ["KOREA UNITED DEVELOPMENT BANK"]);
    assert.deepEqual(k.address, ["Pyongyang, Democratic People's Republic of Korea"]);
    assert.deepEqual(k.country, ["kp"]);
    assert.deepEqual(props(r, "un_sc_sanctions:KPe.033-sanction").program, ["DPRK"]);
    assert.deepEqual(props(r, "un_sc_sanctions:IRe.001").name, ["7TH OF TIR"]);
  });

  it("keeps the source record", () => {
    const source = r.get("un_sc_sanctions:QDi.335").source as Record<string, unknown>;
    assert.equal(source.DATAID, "6908399");
    assert.equal((source.INDIVIDUAL_ALIAS as unknown[]).length, 7);
    assert.deepEqual(source.NATIONALITY, { VALUE: "Kuwait" });
  });
});

describe("UN consolidated list: excerpt-2024", () => {
  let r: ListRead;
  before(async () => {
    r = await readList(reader, `${FIXTURES}/excerpt-2024/consolidated.xml`);
  });

  it("has 7 individuals", () => {
    assert.equal(r.counts.Person, 7);
    assert.equal(r.counts.Sanction, 7);
    assert.equal(r.counts.Organization, undefined);
  });

  it("maps QDi.237 (the ARCHITECTURE.md example id) with its documents", () => {
    const p = props(r, "un_sc_sanctions:QDi.237");
    assert.deepEqual(p.name, ["JABER ABDALLAH JABER AHMAD AL-JALAHMAH"]);
    assert.deepEqual(p.lastName, ["AHMAD AL-JALAHMAH"]);
    assert.deepEqual(p.weakAlias, ["Abdul-Ghani", "Abu Muhammad"]);
    assert.equal(p.alias?.length, 6);
    assert.deepEqual(p.birthDate, ["1959-09-24"]);
    assert.deepEqual(p.birthPlace, ["Al-Khitan area, Kuwait"]);
    assert.deepEqual(p.passportNumber, ["101423404", "2541451", "002327881"]);
    assert.deepEqual(p.idNumber, ["259092401188"]);
    assert.equal(p.modifiedAt, undefined);
    assert.deepEqual(props(r, "un_sc_sanctions:QDi.237-doc-passport-2541451").summary, [
      "valid until 16 Feb. 2017",
    ]);
  });

  const table: [string, string, string[], string[]][] = [
    ["TAi.013", "MOHAMMAD NAIM BARICH KHUDAIDAD", ["1975"], ["Mullah"]],
    ["TAi.023", "FAZL MOHAMMAD MAZLOOM", ["1963", "1964", "1965", "1966", "1967", "1968"], ["Mullah"]],
    ["TAi.028", "SAID AHMED SHAHIDKHEL", ["1975"], ["Maulavi"]],
    ["TAi.031", "MOHAMMAD AHMADI", ["1963"], ["Mullah", "Haji"]],
    ["TAi.033", "ABDUL RAHMAN ZAHED", ["1963"], ["Mullah"]],
    ["TAi.036", "FAIZ", ["1969"], ["Maulavi"]],
  ];
  for (const [ref, name, birthDate, title] of table) {
    it(`maps ${ref}: ${name}`, () => {
      const p = props(r, `un_sc_sanctions:${ref}`);
      assert.deepEqual(p.name, [name]);
      assert.deepEqual(p.birthDate, birthDate);
      assert.deepEqual(p.title, title);
      assert.deepEqual(p.nationality, ["af"]);
      assert.deepEqual(props(r, `un_sc_sanctions:${ref}-sanction`).program, ["Taliban"]);
    });
  }
});

describe("UN consolidated list: full versions", () => {
  it("2026-02-27: 730 individuals and 273 entities", async () => {
    const r = await readList(reader, `${LISTS}/2026-02-27/consolidated.xml`);
    assert.equal(r.counts.Person, 730);
    assert.equal(r.counts.Organization, 273);
    assert.equal(r.counts.Sanction, 1003);
    const ids = r.entities.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length, "ids are unique");
    // Every reference is a sanction with an unscId, every person has a name.
    for (const e of r.entities) {
      if (e.schema === "Sanction") assert.equal(e.properties.unscId?.length, 1, e.id);
      if (e.schema === "Person" || e.schema === "Organization")
        assert.equal(e.properties.name?.length, 1, e.id);
    }
    // The one Hijri date of birth is reported with its place in the file.
    const hijri = r.issues.find((i) => i.code === "un_hijri_date");
    assert.equal(hijri?.record, "QDi.291");
    assert.equal(hijri?.file, `${LISTS}/2026-02-27/consolidated.xml`);
    assert.ok((hijri?.line ?? 0) > 0);
    assert.equal(r.issues.filter((i) => i.code === "un_document_without_number").length, 14);
  });

  it("2018-10-29: 703 individuals and 390 entities", async () => {
    const r = await readList(reader, `${LISTS}/2018-10-29/consolidated.xml`);
    assert.equal(r.counts.Person, 703);
    assert.equal(r.counts.Organization, 390);
    assert.equal(r.counts.Sanction, 1093);
    const qualified = r.issues.find((i) => i.record === "QDi.391" && i.field === "NATIONALITY/VALUE");
    assert.match(qualified?.message ?? "", /"Bahrain \(citizenship revoked in Jan\. 2015\)"/);
  });

  it("uses the dataset it is given for ids", async () => {
    const r = await readList(reader, `${FIXTURES}/excerpt-2026/consolidated.xml`, "un_test");
    assert.ok(r.has("un_test:QDi.335"));
    assert.deepEqual(props(r, "un_test:QDi.335-sanction").entity, ["un_test:QDi.335"]);
    assert.ok(r.entities.every((e) => e.datasets[0] === "un_test"));
  });
});

describe("UN consolidated list: oddities the real list has shown", () => {
  let r: ListRead;
  before(async () => {
    r = await readList(reader, `${OWN}/oddities.xml`);
  });

  it("splits multi-name aliases and takes original-script names from notes", () => {
    const p = props(r, "un_sc_sanctions:QDi.900");
    assert.deepEqual(p.alias, [
      "Azim Adhajani",
      "Azim Agha-Jani",
      "حسن غول",
      "Hassan Ghul",
      "Hassan Gul",
      "Jin Tiesan",
      "金铁三",
      "Mystery Name",
    ]);
    assert.deepEqual(p.weakAlias, ["Amir Khazmat", "Амир Хазмат"]);
    const e = props(r, "un_sc_sanctions:QDe.900");
    assert.deepEqual(e.alias, ["Hay’at Tahrir al-Sham (HTS)", "هيئة تحرير الشام", "Tahrir al-Sham Hay’at"]);
    assert.deepEqual(e.previousName, ["Old Front"]);
    assert.deepEqual(e.notes, ["An armed group.", "Operates in Syria"]);
  });

  it("reads dates from notes, zoned xs:dates and alias birth details", () => {
    const p = props(r, "un_sc_sanctions:QDi.900");
    assert.deepEqual(p.name, ["TEST PERSON"]);
    assert.deepEqual(p.nationality, ["ye", "ir"]);
    assert.deepEqual(p.birthDate, ["1979-12-31", "1973-11", "1958-09", "1955", "1956", "1957"]);
    assert.deepEqual(p.birthPlace, ["Baghdad, Iraq", "possibly Sabratha, Talil neighbourhood"]);
    assert.deepEqual(p.createdAt, ["2015-07-01"]);
    assert.deepEqual(p.modifiedAt, ["2019-05-01"]);
    assert.equal(p.gender, undefined);
    const s = props(r, "un_sc_sanctions:QDi.900-sanction");
    assert.deepEqual(s.listingDate, ["2015-07-01"]);
    assert.deepEqual(s.endDate, ["2024-03-01"]);
  });

  it("moves a place name out of ZIP_CODE and treats French passport types as passports", () => {
    const a = props(r, "un_sc_sanctions:QDi.900-addr-1");
    assert.deepEqual(a.region, ["Chaman, Baluchistan Province"]);
    assert.equal(a.postalCode, undefined);
    assert.deepEqual(a.remarks, ["as at 2010"]);
    const doc = r.get("un_sc_sanctions:QDi.900-doc-passport-p-12345");
    assert.equal(doc.schema, "Passport");
    assert.deepEqual(doc.properties.country, ["fr"]);
    assert.deepEqual(doc.properties.summary, ["issued in Paris"]);
    assert.deepEqual(props(r, "un_sc_sanctions:QDi.900").passportNumber, ["P 12345"]);
  });

  it("reports what it cannot use, with file, line, record and field", () => {
    const got = r.issues.map((i) => [i.code, i.line, i.record, i.field]);
    assert.deepEqual(got, [
      ["un_alias_quality", 49, "QDi.900", "INDIVIDUAL_ALIAS/QUALITY"],
      ["value_rejected", 18, "QDi.900", "NATIONALITY/VALUE"],
      ["un_hijri_date", 75, "QDi.900", "INDIVIDUAL_DATE_OF_BIRTH/NOTE"],
      ["value_rejected", 79, "QDi.900", "INDIVIDUAL_DATE_OF_BIRTH/NOTE"],
      ["value_rejected", 63, "QDi.900", "INDIVIDUAL_ADDRESS/COUNTRY"],
      ["value_rejected", 99, "QDi.900", "INDIVIDUAL_DOCUMENT/ISSUING_COUNTRY"],
      ["un_document_without_number", 105, "QDi.900", "INDIVIDUAL_DOCUMENT/NUMBER"],
    ]);
    assert.ok(r.issues.every((i) => i.file === `${OWN}/oddities.xml`));
  });

  const names: [string, string[]][] = [
    ["Abdul Rehman; Abd Ur-Rehman; Abdur Rahman", ["Abdul Rehman", "Abd Ur-Rehman", "Abdur Rahman"]],
    [
      "Mohammed Sabet; Mohammad Sabet b) M. Javad Sabet",
      ["Mohammed Sabet", "Mohammad Sabet", "M. Javad Sabet"],
    ],
    ["أبو شيماء (Abu-Shaima; Abu- Shayma)", ["أبو شيماء", "Abu-Shaima", "Abu- Shayma"]],
    ["Akhter Mohmad (اختر محمد ),", ["Akhter Mohmad", "اختر محمد"]],
    [") Abdelrahman Juhan", ["Abdelrahman Juhan"]],
    ["Lord’s Resistance Movement (LRM)", ["Lord’s Resistance Movement (LRM)"]],
    ["Amir Khazmat (original script: Амир Хазмат)", ["Amir Khazmat", "Амир Хазмат"]],
  ];
  for (const [raw, want] of names) {
    it(`splits ${JSON.stringify(raw)}`, () => assert.deepEqual(splitNames(raw), want));
  }
});

describe("UN consolidated list: bad input is refused", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "interdict-un-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("refuses the 2024-10-16 copy with unescaped & at the first one's line", async () => {
    const path = `${FIXTURES}/malformed-2024-10-16/consolidated.xml`;
    const e = await refusal(reader, path);
    assert.equal(e.where.file, path);
    assert.equal(e.where.line, 39788);
    assert.match(e.message, /unescaped "&"/);
  });

  it("refuses a list cut in half, naming the file and the last line", async () => {
    const whole = await readFile(`${LISTS}/2026-02-27/consolidated.xml`);
    const half = whole.subarray(0, Math.floor(whole.length / 2));
    const path = join(dir, "consolidated.xml");
    await writeFile(path, half);
    const e = await refusal(reader, path);
    assert.equal(e.where.file, path);
    const lines = half.toString("utf8").split("\n").length;
    assert.equal(e.where.line, lines);
  });

  it("refuses an empty file", async () => {
    const path = join(dir, "empty.xml");
    await writeFile(path, "");
    const e = await refusal(reader, path);
    assert.equal(e.where.file, path);
  });

  it("refuses XML that is not the UN list", async () => {
    const e = await refusal(reader, "../shared/data/lists/us_ofac_cons/2020-03-17/consolidated.xml");
    assert.match(e.message, /not a UN consolidated list/);
  });

  it("refuses a record without REFERENCE_NUMBER, naming record and field", async () => {
    const e = await refusal(reader, `${OWN}/missing-reference.xml`);
    assert.deepEqual(e.where, {
      file: `${OWN}/missing-reference.xml`,
      line: 12,
      record: "2",
      field: "REFERENCE_NUMBER",
    });
  });

  it("refuses a record in the wrong place", async () => {
    const e = await refusal(reader, `${OWN}/misplaced.xml`);
    assert.equal(e.where.line, 6);
    assert.match(e.message, /CONSOLIDATED_LIST\/ENTITIES/);
  });

  it("refuses a DOCTYPE (XXE)", async () => {
    const e = await refusal(reader, `${OWN}/doctype.xml`);
    assert.match(e.message, /DOCTYPE/);
  });
});
