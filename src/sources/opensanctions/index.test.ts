import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { inputFiles } from "../_input.js";
import { type ListRead, readList, refusal } from "../_testing.js";
import { openSanctionsSimpleReader as reader } from "./index.js";
import { splitCell } from "./read.js";

const LIST = "../shared/data/lists/opensanctions/2026-03-13/targets.simple.csv";
const FIXTURES = "src/sources/opensanctions/fixtures";

const TARGETS = new Set(["Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane"]);

describe("splitCell", () => {
  const cases: [string, string[] | undefined][] = [
    ["", []],
    ['""', [""]],
    ["ru;ua", ["ru", "ua"]],
    ['"PETROV; Ivan";Иван', ["PETROV; Ivan", "Иван"]],
    ['"say ""hi""";x', ['say "hi"', "x"]],
    ['"two\nlines"', ["two\nlines"]],
    ['a;"b"', ["a", "b"]],
    ['"open', undefined],
    ['"closed"junk', undefined],
    ['bare"quote', undefined],
  ];
  for (const [cell, values] of cases)
    it(JSON.stringify(cell), () => assert.deepEqual(splitCell(cell), values));
});

describe("openSanctionsSimpleReader.detect", () => {
  it("takes a file by its exact header line", async () => {
    const [file] = await inputFiles([LIST]);
    assert.ok(file);
    assert.deepEqual(reader.detect(file), { dataset: "opensanctions" });
    const unquoted = Buffer.from(
      "\uFEFFid,schema,name,aliases,birth_date,countries,addresses,identifiers,sanctions,phones,emails,program_ids,dataset,first_seen,last_seen,last_change\r\n",
    );
    assert.deepEqual(reader.detect({ name: "x.csv", head: unquoted }), { dataset: "opensanctions" });
    const [old] = await inputFiles([`${FIXTURES}/bad-header/targets.simple.csv`]);
    assert.ok(old);
    assert.equal(reader.detect(old), undefined);
    assert.equal(reader.detect({ name: "targets.simple.csv", head: Buffer.from("id,name\n") }), undefined);
  });
});

describe("the OpenSanctions targets.simple.csv of 2026-03-13", () => {
  let result: ListRead;
  before(async () => {
    result = await readList(reader, LIST);
  });

  it("has 5,600 targets, with their Sanctions and Addresses and no issues", () => {
    const count = (schema: string) => result.entities.filter((e) => e.schema === schema).length;
    assert.equal(result.entities.filter((e) => TARGETS.has(e.schema)).length, 5600);
    assert.deepEqual(
      ["Person", "Company", "LegalEntity", "Vessel", "Sanction", "Address"].map(count),
      [1543, 1524, 1193, 1340, 5734, 1322],
    );
    assert.equal(new Set(result.entities.map((e) => e.id)).size, result.entities.length);
    assert.deepEqual(result.issues, []);
  });

  it("maps a vessel (CENTURION) field by field, its identifiers by kind", () => {
    const e = result.get("opensanctions:NK-2BqYpcHUPgg5MQnG9kYAkB");
    assert.ok(e);
    assert.equal(e.schema, "Vessel");
    assert.equal(e.target, true);
    assert.deepEqual(e.datasets, ["opensanctions"]);
    assert.equal(e.first_seen, "2025-10-06T14:15:21");
    assert.equal(e.last_seen, "2026-03-13T05:41:01");
    assert.equal(e.last_change, "2026-02-16T18:52:25");
    assert.deepEqual(e.properties, {
      topics: ["sanction"],
      name: ["CENTURION"],
      alias: ["Nippon Princess"],
      country: ["bb", "ck", "gr", "mh", "sl"],
      programId: ["UA-WS-MARE"],
      mmsi: ["667001255"],
      callSign: ["9LU2058"],
      imoNumber: ["IMO9380673"],
    });
    assert.equal((e.source as Record<string, string>).identifiers, "667001255;9LU2058;IMO9380673");
    // The sanctions cell is `""`: one sanction with nothing more to say.
    assert.deepEqual(result.get(`${e.id}-sanction`).properties, {
      entity: [e.id],
      authority: ["Ukraine War and Sanctions"],
      programId: ["UA-WS-MARE"],
    });
  });

  it("maps a person with two birth dates and Cyrillic aliases (ZAVALISHINA)", () => {
    const e = result.get("opensanctions:NK-kZjqDJTdUY8C8SabCkBFEq");
    assert.ok(e);
    assert.equal(e.schema, "Person");
    assert.deepEqual(e.properties.name, ["ZAVALISHINA Oksana Pavlovna"]);
    assert.deepEqual(e.properties.alias, ["ЗАВАЛИШИНА Оксана Павловна", "ЗАВАЛИШИНА Оксана Павлівна"]);
    assert.deepEqual(e.properties.birthDate, ["1973-06-23", "1974-06-23"]);
    assert.deepEqual(e.properties.country, ["ru", "ua"]);
    assert.deepEqual(e.properties.idNumber, ["2720216023"]);
    assert.deepEqual(e.properties.programId, ["UA-WS-KIDNAPPERS"]);
    const reason = result.get(`${e.id}-sanction`).properties.reason?.[0] ?? "";
    assert.match(reason, /^An employee of the occupation structures\.\nFacilitates the russian government/);
  });

  it("maps a legal entity with quoted aliases, two programmes, two sanctions, two addresses", () => {
    const e = result.get("opensanctions:NK-65wCrdkg2yjGRKrjzAav5T");
    assert.ok(e);
    assert.equal(e.schema, "LegalEntity");
    assert.deepEqual(e.properties.name, ["TIKHIYE KRYLIA LLC"]);
    assert.ok(e.properties.alias?.includes('LIMITED LIABILITY COMPANY "TIKHIYE KRYLIA GROUP OF COMPANIES"'));
    assert.deepEqual(e.properties.registrationNumber, ["1207800024662", "7802703755"]);
    assert.deepEqual(e.properties.programId, ["UA-WS-MILIND", "UA-WS-UAVS"]);
    assert.equal(e.properties.addressEntity?.length, 2);
    const first = result.get(`${e.id}-sanction`);
    const second = result.get(`${e.id}-sanction-2`);
    assert.match(first.properties.reason?.[0] ?? "", /^A russian manufacturer of unmanned aerial systems/);
    assert.match(second.properties.reason?.[0] ?? "", /^Developer of the Legioner and Alfa-E UAVs/);
    assert.deepEqual(second.properties.programId, ["UA-WS-MILIND", "UA-WS-UAVS"]);
  });

  it("keeps a reason whose text has many `;` inside its quotes whole", () => {
    const id = "opensanctions:NK-CPRWCRubEPnM35hyimD6p6";
    assert.ok(result.has(`${id}-sanction`));
    assert.equal(result.has(`${id}-sanction-2`), false);
    assert.match(result.get(`${id}-sanction`).properties.reason?.[0] ?? "", /fasteners.*6-16-Ц; 6-20-Ц;/s);
  });
});

describe("the hand-written fixture", () => {
  let result: ListRead;
  before(async () => {
    result = await readList(reader, `${FIXTURES}/targets.simple.csv`, "my_os");
  });
  const file = `${FIXTURES}/targets.simple.csv`;

  it("has 6 targets under the dataset it was read as", () => {
    assert.equal(result.entities.filter((e) => TARGETS.has(e.schema)).length, 6);
    assert.ok(result.entities.every((e) => e.id.startsWith("my_os:") && e.datasets[0] === "my_os"));
  });

  it("maps a person's every column, and splits sanction texts into reason and start date", () => {
    const e = result.get("my_os:t-person");
    assert.deepEqual(e.properties, {
      topics: ["sanction"],
      name: ["Ivan PETROV"],
      alias: ["PETROV; Ivan", "Иван ПЕТРОВ"],
      birthDate: ["1960-05-04", "1961"],
      country: ["ru", "ua"],
      phone: ["+7 495 123 45 67"],
      email: ["ivan@example.org"],
      programId: ["EU-UKR", "UA-WS-EXECUTIVES"],
      idNumber: ["7701234567"],
      address: ["1 Main St, Moscow"],
      addressEntity: ["my_os:t-person-addr-1"],
    });
    assert.equal(e.last_change, "2025-06-07T08:09:10");
    assert.deepEqual(result.get("my_os:t-person-sanction").properties, {
      entity: ["my_os:t-person"],
      authority: ["Test Sanctions List"],
      programId: ["EU-UKR", "UA-WS-EXECUTIVES"],
      startDate: ["2022-03-15"],
      reason: ["EU Russia regime - Supports the war; funds it"],
    });
    assert.deepEqual(result.get("my_os:t-person-sanction-2").properties.reason, ["Plain reason"]);
  });

  it("maps an airplane and a company; a company with no sanctions has no Sanction", () => {
    const plane = result.get("my_os:t-plane");
    assert.equal(plane.schema, "Airplane");
    assert.deepEqual(plane.properties.registrationNumber, ["RA-12345"]);
    assert.deepEqual(plane.properties.country, ["ru"]);
    assert.equal(plane.properties.imoNumber, undefined); // an Airplane has none: reported
    const company = result.get("my_os:t-company");
    assert.equal(company.schema, "Company");
    assert.deepEqual(company.properties.name, ['ACME "TRADING" LLC']);
    assert.deepEqual(company.properties.address, ["a) Office 1, Kazan", "Office 2, Omsk"]);
    assert.equal(result.has("my_os:t-company-sanction"), false);
  });

  it("maps a vessel's IMO, MMSI, call sign and register number", () => {
    assert.deepEqual(result.get("my_os:t-vessel").properties, {
      topics: ["sanction"],
      name: ["SEA STAR"],
      alias: ["Old Star"],
      country: ["pa", "lr"],
      programId: ["UA-WS-MARE"],
      imoNumber: ["IMO9253325"],
      mmsi: ["667001255"],
      callSign: ["9LU2058"],
      registrationNumber: ["RS 150443"],
    });
  });

  it("reports what it cannot map, with file, line, record and column", () => {
    const at = (record: string, line: number, field: string) => ({ file, line, record, field });
    assert.deepEqual(result.issues, [
      {
        code: "OS_SIMPLE_PROPERTY",
        message: "Airplane has no imoNumber; kept in the source only",
        ...at("t-plane", 3, "identifiers"),
      },
      {
        code: "OS_SIMPLE_SCHEMA",
        message: 'schema "CryptoWallet" is not one this reader maps; read as LegalEntity',
        ...at("t-wallet", 4, "schema"),
      },
      {
        code: "OS_SIMPLE_PROPERTY",
        message: "Vessel has no birthDate; kept in the source only",
        ...at("t-vessel", 5, "birth_date"),
      },
      {
        code: "OS_SIMPLE_PROPERTY",
        message: "Vessel has no email; kept in the source only",
        ...at("t-vessel", 5, "emails"),
      },
      {
        code: "OS_SIMPLE_VALUE",
        message: 'not a valid email: "not-an-email"',
        ...at("t-company", 6, "emails"),
      },
      {
        code: "OS_SIMPLE_VALUE",
        message: 'not a valid birthDate: "sometime in the 60s"',
        ...at("t-undated", 7, "birth_date"),
      },
    ]);
    assert.equal(result.get("my_os:t-wallet").schema, "LegalEntity");
  });
});

describe("bad input", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "interdict-os-simple-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const cases: [string, () => Promise<string>, RegExp, number | undefined][] = [
    [
      "a wrong header (an older export without program_ids)",
      async () => `${FIXTURES}/bad-header/targets.simple.csv`,
      /not an OpenSanctions targets\.simple\.csv header/,
      1,
    ],
    [
      "a row with the wrong number of fields",
      async () => `${FIXTURES}/wrong-fields/targets.simple.csv`,
      /expected 16 fields, found 15/,
      4,
    ],
    [
      "a truncated file (ends inside a quoted field)",
      async () => `${FIXTURES}/truncated/targets.simple.csv`,
      /not valid CSV: Quote Not Closed/,
      4,
    ],
    ["a row with no id", async () => `${FIXTURES}/no-id/targets.simple.csv`, /a row with no id/, 3],
    [
      "an empty file",
      async () => {
        const path = join(dir, "targets.simple.csv");
        await writeFile(path, "");
        return path;
      },
      /empty file/,
      undefined,
    ],
  ];

  for (const [what, make, message, line] of cases) {
    it(`refuses ${what}, naming the file${line ? " and line" : ""}`, async () => {
      const path = await make();
      const e = await refusal(reader, path);
      assert.equal(e.where.file, path);
      assert.equal(e.where.line, line);
      assert.match(e.message, message);
    });
  }
});
