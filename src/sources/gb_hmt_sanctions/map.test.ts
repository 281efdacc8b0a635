import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readList } from "../_testing.js";
import { hmtCsvReader } from "./index.js";
import { AUTHORITY } from "./map.js";

const EXCERPT = "../shared/data/fixtures/gb_hmt_sanctions/excerpt/ConList.csv";
const OWN = "src/sources/gb_hmt_sanctions/fixtures";

describe("gb_hmt_sanctions: the excerpt, field by field", async () => {
  const { entities, issues, get } = await readList(hmtCsvReader, EXCERPT);

  it("gives 6 persons, 6 sanctions, SAEED's address and national ID", () => {
    const schemata = entities.map((e) => e.schema).sort();
    assert.deepEqual(schemata, [
      "Address",
      "Identification",
      ...Array(6).fill("Person"),
      ...Array(6).fill("Sanction"),
    ]);
    assert.deepEqual(issues, []);
  });

  it("SO Sang Kuk (11039): primary name, its AKA spelling and seven years of birth", () => {
    const so = get("gb_hmt_sanctions:11039");
    assert.equal(so.schema, "Person");
    assert.equal(so.target, true);
    assert.deepEqual(so.properties.name, ["Sang-kuk SO"]);
    assert.deepEqual(so.properties.alias, ["Sang Kuk SO"]);
    assert.deepEqual(so.properties.firstName, ["Sang-kuk"]);
    assert.deepEqual(so.properties.lastName, ["SO"]);
    assert.deepEqual(so.properties.birthDate?.slice().sort(), [
      "1932",
      "1933",
      "1934",
      "1935",
      "1936",
      "1937",
      "1938",
    ]);
    assert.deepEqual(so.properties.position, [
      "Head of the Department of Nuclear Physics, Kim Il Sung University",
    ]);
    assert.deepEqual(so.properties.notes, ["Annex XV. EU listing. Not UN."]);
    assert.deepEqual(so.properties.program, ["North Korea (Democratic People's Republic of Korea)"]);
    assert.deepEqual(so.properties.createdAt, ["2009-12-30"]);
    assert.deepEqual(so.properties.modifiedAt, ["2017-09-15"]);
    const source = so.source as { "Group ID": string; rows: Record<string, string>[] };
    assert.equal(source["Group ID"], "11039");
    assert.equal(source.rows.length, 14);
    assert.equal(source.rows[0]?.["Alias Type"], "AKA");
  });

  it("SO Sang Kuk's Sanction", () => {
    const s = get("gb_hmt_sanctions:11039-sanction");
    assert.deepEqual(s.properties, {
      entity: ["gb_hmt_sanctions:11039"],
      authority: [AUTHORITY],
      program: ["North Korea (Democratic People's Republic of Korea)"],
      country: ["gb"],
      authorityId: ["11039"],
      listingDate: ["2009-12-30"],
      modifiedAt: ["2017-09-15"],
    });
  });

  it("HUBARIEVA (13063): only AKA rows, so the first is the name; dates with 00 parts", () => {
    const h = get("gb_hmt_sanctions:13063");
    assert.deepEqual(h.properties.name, ["Kateryna Yuriyivna HUBARIEVA"]);
    assert.equal(h.properties.alias, undefined);
    assert.deepEqual(h.properties.middleName, ["Yuriyivna"]);
    assert.deepEqual(h.properties.birthDate, ["1983-07-05", "1983", "1984-04"]);
    assert.deepEqual(h.properties.birthPlace, ["Kakhovka, Kherson Oblast"]);
    assert.deepEqual(h.properties.birthCountry, ["ua"]);
  });

  it("PLOTNITSKII (13017): the Cyrillic name is an alias", () => {
    const p = get("gb_hmt_sanctions:13017");
    assert.deepEqual(p.properties.name, ["Igor Venediktovich PLOTNITSKII"]);
    assert.deepEqual(p.properties.alias, ["Игорь Венедиктович ПЛОТНИЦКИЙ"]);
    assert.deepEqual(p.properties.birthDate, ["1964-06-24", "1964-06-25", "1964-06-26"]);
  });

  it("HOJATI (9053): Persian name, UN reference from Other Information", () => {
    const h = get("gb_hmt_sanctions:9053");
    assert.deepEqual(h.properties.name, ["Mohsen HOJATI"]);
    assert.deepEqual(h.properties.alias, ["محسن حجتی"]);
    assert.deepEqual(h.properties.birthDate, ["1955-09-28"]);
    assert.deepEqual(get("gb_hmt_sanctions:9053-sanction").properties.unscId, ["IRi.018"]);
  });

  it("SAEED (9215): nationality, national ID, address, UK and UN references", () => {
    const s = get("gb_hmt_sanctions:9215");
    assert.deepEqual(s.properties.nationality, ["pk"]);
    assert.deepEqual(s.properties.birthCountry, ["pk"]);
    assert.deepEqual(s.properties.idNumber, ["3520025509842-7"]);
    assert.deepEqual(s.properties.country, ["pk"]);
    const full =
      "House No 116E, Mohalla Johar, Lahore, Tehsil, Lahore City, Lahore District, 123321, Pakistan (location as at May 2008)";
    assert.deepEqual(s.properties.address, [full]);
    assert.deepEqual(s.properties.addressEntity, ["gb_hmt_sanctions:9215-addr-1"]);
    const a = get("gb_hmt_sanctions:9215-addr-1");
    assert.deepEqual(a.properties, { full: [full], postalCode: ["123321"], country: ["pk"] });
    const id = get("gb_hmt_sanctions:9215-doc-national-id-3520025509842-7");
    assert.equal(id.schema, "Identification");
    assert.deepEqual(id.properties.holder, ["gb_hmt_sanctions:9215"]);
    assert.deepEqual(id.properties.number, ["3520025509842-7"]);
    assert.deepEqual(id.properties.country, ["pk"]);
    const sanction = get("gb_hmt_sanctions:9215-sanction");
    assert.deepEqual(sanction.properties.authorityId, ["9215", "AQD0183"]);
    assert.deepEqual(sanction.properties.unscId, ["QDi.263"]);
    assert.deepEqual(sanction.properties.program, ["ISIL (Da'esh) and Al-Qaida"]);
  });

  it("uses the dataset it is read under", async () => {
    const other = await readList(hmtCsvReader, EXCERPT, "uk_test");
    assert.ok(other.entities.every((e) => e.id.startsWith("uk_test:") && e.datasets[0] === "uk_test"));
  });
});

describe("gb_hmt_sanctions: the later layout, groups interleaved", () => {
  for (const encoding of ["cp1252", "utf8"]) {
    it(`${encoding}: groups gathered, alias types and qualities mapped`, async () => {
      const { issues, get } = await readList(hmtCsvReader, `${OWN}/interleaved-${encoding}.csv`);
      const p = get("gb_hmt_sanctions:2001");
      assert.equal(p.schema, "Person");
      assert.deepEqual(p.properties.name, ["José Luis MÜLLER-GARCÍA"]);
      assert.deepEqual(p.properties.alias, [
        ...(encoding === "utf8" ? ["Хосе Мюллер"] : ["JOSE-CYR"]),
        "Jose MULLER GARCIA",
        "Pepe GARCIA",
      ]);
      assert.deepEqual(p.properties.weakAlias, ["EL PROFESOR"]);
      assert.deepEqual(p.properties.previousName, ["José MÜLLER"]);
      assert.deepEqual(p.properties.title, ["Dr"]);
      assert.deepEqual(p.properties.birthDate, ["1961-07-14", "1962"]);
      assert.deepEqual(p.properties.birthPlace, ["Zürich"]);
      assert.deepEqual(p.properties.birthCountry, ["ch"]);
      assert.deepEqual(p.properties.nationality, ["es", "de"]);
      assert.deepEqual(p.properties.passportNumber, ["X1234567"]);
      assert.deepEqual(p.properties.idNumber, ["12345678Z"]);
      assert.deepEqual(p.properties.address, ["Bahnhofstrasse 1, Zürich, 8001, Switzerland"]);
      assert.match(p.properties.notes?.[0] ?? "", /‘dangerous’ – fictitious/);
      const passport = get("gb_hmt_sanctions:2001-doc-passport-x1234567");
      assert.equal(passport.schema, "Passport");
      assert.deepEqual(passport.properties.summary, ["Spanish passport, issued in Madrid on 3 March 2010"]);
      const s = get("gb_hmt_sanctions:2001-sanction");
      assert.deepEqual(s.properties.authorityId, ["2001", "SYR0999"]);
      assert.deepEqual(s.properties.unscId, ["QDi.999"]);
      assert.deepEqual(s.properties.startDate, ["2020-12-31"]);
      assert.deepEqual(s.properties.modifiedAt, ["2022-02-14"]);

      const ship = get("gb_hmt_sanctions:2002");
      assert.equal(ship.schema, "Vessel");
      assert.deepEqual(ship.properties.name, ["SEA STAR"]);
      assert.deepEqual(ship.properties.alias, ["OCEAN STAR"]);
      assert.deepEqual(ship.properties.imoNumber, ["9123456"]);

      const org = get("gb_hmt_sanctions:2003");
      assert.equal(org.schema, "Organization");
      assert.deepEqual(org.properties.country, ["sy"]);
      assert.equal(org.properties.address, undefined);
      assert.deepEqual(get("gb_hmt_sanctions:2003-sanction").properties.program, [
        "Syria",
        "Chemical Weapons",
      ]);
      assert.deepEqual(issues, []);
    });
  }
});
