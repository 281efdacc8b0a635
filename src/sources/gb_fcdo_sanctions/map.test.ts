import assert from "node:assert/strict";
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { describe, it } from "node:test";
import { readList } from "../_testing.js";
import { fcdoXmlReader } from "./index.js";
import { AUTHORITY, validImo } from "./map.js";

const EXCERPT = "../shared/data/fixtures/gb_fcdo_sanctions/excerpt/UK_Sanctions_List.xml";
const FTM = "../shared/data/lists/gb_fcdo_sanctions/2026-08-22/entities.ftm.json";
const OWN = "src/sources/gb_fcdo_sanctions/fixtures";

describe("gb_fcdo_sanctions: the excerpt, field by field", async () => {
  const { entities, issues, get } = await readList(fcdoXmlReader, EXCERPT);

  it("gives 5 subjects, each with a Sanction, and no issues", () => {
    const subjects = entities.filter((e) => e.target);
    assert.deepEqual(
      subjects.map((e) => [e.id, e.schema]),
      [
        ["gb_fcdo_sanctions:AFG0001", "Organization"],
        ["gb_fcdo_sanctions:AFG0006", "Person"],
        ["gb_fcdo_sanctions:BEL0107", "Company"],
        ["gb_fcdo_sanctions:DPR0075", "Vessel"],
        ["gb_fcdo_sanctions:AQD0195", "Person"],
      ],
    );
    for (const s of subjects) assert.equal(get(`${s.id}-sanction`).properties.entity?.[0], s.id);
    assert.equal(entities.filter((e) => e.schema === "Sanction").length, 5);
    assert.deepEqual(issues, []);
  });

  it("AFG0001, an entity: names, Persian name, addresses, contacts, UN reference", () => {
    const e = get("gb_fcdo_sanctions:AFG0001");
    assert.deepEqual(e.properties.name, ["HAJI KHAIRULLAH MONEY EXCHANGE"]);
    assert.deepEqual(e.properties.alias, ["Haji Alim Hawala", "حاجی خيرالله صرافی"]);
    assert.deepEqual(e.properties.address, [
      "Ansari Market, 2nd Floor, Nimroz Province, Afghanistan",
      "Branch Office 14, Dubai, United Arab Emirates",
    ]);
    assert.deepEqual(e.properties.country, ["af", "ae"]);
    assert.deepEqual(e.properties.phone, ["0202-104748"]);
    assert.deepEqual(e.properties.email, ["helmand_exchange_msp@yahoo.com"]);
    assert.equal(e.properties.notes?.[1], "UN Ref TAe.010");
    assert.deepEqual(get("gb_fcdo_sanctions:AFG0001-addr-2").properties, {
      full: ["Branch Office 14, Dubai, United Arab Emirates"],
      country: ["ae"],
    });
    const source = e.source as Record<string, unknown>;
    assert.equal(source.UniqueID, "AFG0001");
    assert.equal(source.OFSIGroupID, "12703");
  });

  it("AFG0006, an individual: the three DOB forms, the non-Latin name, passports, ID", () => {
    const p = get("gb_fcdo_sanctions:AFG0006");
    assert.deepEqual(p.properties.name, ["MOHAMMAD HASSAN AKHUND"]);
    assert.deepEqual(p.properties.alias, ["Mohammad Akhwand", "محمد حسن آخوند"]);
    assert.deepEqual(p.properties.firstName, ["MOHAMMAD", "Mohammad"]);
    assert.deepEqual(p.properties.middleName, ["HASSAN"]);
    assert.deepEqual(p.properties.lastName, ["AKHUND", "Akhwand"]);
    assert.deepEqual(p.properties.title, ["Mullah", "Haji"]);
    // 12/05/1958 (day first), dd/mm/1945 (unknown day and month), 1946 (a year).
    assert.deepEqual(p.properties.birthDate, ["1958-05-12", "1945", "1946"]);
    assert.deepEqual(p.properties.nationality, ["af"]);
    assert.deepEqual(p.properties.gender, ["male"]);
    assert.deepEqual(p.properties.position, ["Deputy Minister of Agriculture under the Taliban regime"]);
    assert.deepEqual(p.properties.birthPlace, ["Pashmul village, Panjwai District"]);
    assert.deepEqual(p.properties.birthCountry, ["af"]);
    assert.deepEqual(p.properties.passportNumber, ["P04581926"]);
    assert.deepEqual(p.properties.idNumber, ["2132370"]);
    // The passport is listed twice: one Passport entity.
    const passports = entities.filter((e) => e.schema === "Passport");
    assert.equal(passports.length, 1);
    assert.deepEqual(get("gb_fcdo_sanctions:AFG0006-doc-passport-p04581926").properties, {
      holder: ["gb_fcdo_sanctions:AFG0006"],
      type: ["Passport"],
      number: ["P04581926"],
      country: ["af"],
      summary: ["Afghanistan passport number P04581926, issued in Kandahar (expires 7 August 2034)"],
    });
    const id = get("gb_fcdo_sanctions:AFG0006-doc-national-id-2132370");
    assert.equal(id.schema, "Identification");
    assert.deepEqual(id.properties.summary, ["Afghan national identification card (tazkira) number"]);
    assert.deepEqual(get("gb_fcdo_sanctions:AFG0006-sanction").properties, {
      entity: ["gb_fcdo_sanctions:AFG0006"],
      authority: [AUTHORITY],
      program: ["The Afghanistan (Sanctions) (EU Exit) Regulations 2020"],
      country: ["gb"],
      authorityId: ["AFG0006"],
      unscId: ["TAi.002"],
      listingDate: ["2001-01-25"],
      provisions: ["Asset freeze", "Travel Ban"],
      description: ["Designation source: UK|UN; OFSI group ID: 7172"],
    });
  });

  it("AQD0195: a name without Name6, a dd/mm/yyyy DOB", () => {
    const p = get("gb_fcdo_sanctions:AQD0195");
    assert.deepEqual(p.properties.name, ["Fadhil Harun"]);
    assert.equal(p.properties.firstName, undefined);
    assert.deepEqual(p.properties.birthDate, ["1972"]);
    assert.deepEqual(p.properties.nationality, ["km"]);
    assert.deepEqual(p.properties.birthPlace, ["Moroni"]);
  });

  it("BEL0107, a company: weak alias, registration number, parents kept as text", () => {
    const c = get("gb_fcdo_sanctions:BEL0107");
    assert.deepEqual(c.properties.name, ["BNK (UK) Ltd"]);
    assert.deepEqual(c.properties.alias, ["BNK UK Limited"]);
    assert.deepEqual(c.properties.weakAlias, ["BNK"]);
    assert.deepEqual(c.properties.legalForm, ["Oil trading company"]);
    assert.deepEqual(c.properties.registrationNumber, ["06527449"]);
    assert.deepEqual(c.properties.website, ["http://www.belnaft.co.uk/"]);
    assert.deepEqual(c.properties.address, [
      "Salatin House, 19 Cedar Road, Sutton, Surrey, SM2 5DA, United Kingdom",
    ]);
    assert.deepEqual(get("gb_fcdo_sanctions:BEL0107-addr-1").properties.postalCode, ["SM2 5DA"]);
    assert.deepEqual(c.properties.notes, [
      "The Director Disqualification Sanction was imposed on 09/04/2025.",
      "Parent company: CJSC Belarusian Oil Company",
      "Parent company: Belneftekhim",
      "Subsidiary: BNK (Deutschland) GmbH",
    ]);
    // Neither parent is listed in the excerpt: no links.
    assert.equal(entities.filter((e) => e.schema === "Ownership").length, 0);
    const s = get("gb_fcdo_sanctions:BEL0107-sanction");
    assert.deepEqual(s.properties.provisions, ["Asset freeze", "Director Disqualification Sanction"]);
    assert.deepEqual(s.properties.reason, [
      "BNK (UK) Ltd is controlled by CJSC Belarusian Oil Company, the state exporter of oil products.",
    ]);
  });

  it("DPR0075, a ship: IMO number, flags, type, tonnage, owner as text", () => {
    const v = get("gb_fcdo_sanctions:DPR0075");
    assert.deepEqual(v.properties.name, ["Petrel 8"]);
    assert.deepEqual(v.properties.alias, ["Tian Tai 36"]);
    assert.deepEqual(v.properties.imoNumber, ["9562233"]);
    assert.deepEqual(v.properties.flag, ["km"]);
    assert.deepEqual(v.properties.pastFlags, ["in"]);
    assert.deepEqual(v.properties.type, ["Bulk Carrier"]);
    assert.deepEqual(v.properties.tonnage, ["7078"]);
    assert.ok(v.properties.notes?.includes("Current owner/operator: Global United Shipping India"));
    assert.deepEqual(get("gb_fcdo_sanctions:DPR0075-sanction").properties.unscId, ["KPv.001"]);
  });

  it("agrees with the FtM copy of the list on ids, schemata and property names", async () => {
    // The excerpt's AQD0195 was cut down by hand (one name, no address): only its id and schema
    // can agree. The other four keep what the copy has of them.
    const full = ["AFG0001", "AFG0006", "BEL0107", "DPR0075"].flatMap((id) => [
      `gb_fcdo_sanctions:${id}`,
      `gb_fcdo_sanctions:${id}-sanction`,
    ]);
    const ours = new Map(entities.map((e) => [e.id, e]));
    const lines = createInterface({ input: createReadStream(FTM), crlfDelay: Number.POSITIVE_INFINITY });
    const compared: string[] = [];
    for await (const line of lines) {
      const theirs = JSON.parse(line) as { id: string; schema: string; properties: Record<string, string[]> };
      const mine = ours.get(theirs.id);
      if (!mine) continue;
      compared.push(theirs.id);
      // The copy knows no entity types, so it has no Company: ours is a kind of Organization.
      assert.equal(mine.schema === "Company" ? "Organization" : mine.schema, theirs.schema, theirs.id);
      if (!full.includes(theirs.id)) continue;
      const missing = Object.keys(theirs.properties).filter((p) => !(p in mine.properties));
      assert.deepEqual(missing, [], theirs.id);
      // Values were hand-edited in the excerpt; these were not.
      for (const prop of ["authority", "authorityId", "program"]) {
        if (theirs.schema === "Sanction")
          assert.deepEqual(mine.properties[prop], theirs.properties[prop], prop);
      }
    }
    assert.deepEqual(
      compared.sort(),
      [...full, "gb_fcdo_sanctions:AQD0195", "gb_fcdo_sanctions:AQD0195-sanction"].sort(),
    );
  });
});

describe("gb_fcdo_sanctions: related parties", async () => {
  const { entities, issues, get } = await readList(fcdoXmlReader, `${OWN}/links.xml`);

  it("links parents, subsidiaries and ship owners that are listed; keeps the rest as text", () => {
    const links = entities
      .filter((e) => e.schema === "Ownership")
      .map((e) => [e.properties.owner?.[0], e.properties.asset?.[0], e.properties.role?.join("; ")]);
    assert.deepEqual(links, [
      ["gb_fcdo_sanctions:TST0002", "gb_fcdo_sanctions:TST0001", "Parent company"],
      ["gb_fcdo_sanctions:TST0001", "gb_fcdo_sanctions:TST0003", "Parent company"],
      ["gb_fcdo_sanctions:TST0003", "gb_fcdo_sanctions:TST0004", "Current owner/operator"],
    ]);
    assert.ok(
      get("gb_fcdo_sanctions:TST0001").properties.notes?.includes("Parent company: Unlisted Parent Ltd"),
    );
    assert.deepEqual(issues, []);
  });

  it("reads registration numbers, company types and ships named by IMO number", () => {
    const c = get("gb_fcdo_sanctions:TST0001");
    assert.equal(c.schema, "Company");
    assert.deepEqual(c.properties.registrationNumber, ["1027700000000"]);
    assert.equal(get("gb_fcdo_sanctions:TST0002").schema, "Organization");
    const ship = get("gb_fcdo_sanctions:TST0004");
    assert.deepEqual(ship.properties.name, ['IMO 9058713 ("AVAX")']);
    assert.deepEqual(ship.properties.alias, ["AVAX"]);
    assert.deepEqual(ship.properties.imoNumber, ["9058713"]);
    assert.deepEqual(ship.properties.buildDate, ["1993"]);
  });

  it("checks IMO check digits", () => {
    const cases: [string, boolean][] = [
      ["9058713", true],
      ["9562233", true],
      ["9562234", false],
      ["956223", false],
    ];
    for (const [imo, valid] of cases) assert.equal(validImo(imo), valid, imo);
  });

  it("uses the dataset it is read under, in links too", async () => {
    const other = await readList(fcdoXmlReader, `${OWN}/links.xml`, "uk_test");
    for (const e of other.entities) assert.ok(e.id.startsWith("uk_test:") && e.datasets[0] === "uk_test");
    const link = other.entities.find((e) => e.schema === "Ownership");
    assert.ok(link?.properties.owner?.[0]?.startsWith("uk_test:"));
  });
});
