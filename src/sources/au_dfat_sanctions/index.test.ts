import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import ExcelJS from "exceljs";
import { inputFiles } from "../_input.js";
import { type ListRead, readList, refusal } from "../_testing.js";
import { auDfatReader } from "./index.js";
import { countryOf, listingDateOf } from "./map.js";
import { COLUMNS, excelSerialDate } from "./read.js";

const LIST = "../shared/data/lists/au_dfat_sanctions/2024-11-11/regulation8_consolidated.xlsx";

const HEADER = Object.values(COLUMNS);
const date = (y: number, m: number, d: number): Date => new Date(Date.UTC(y, m - 1, d));
type Cell = string | number | Date | null;

/** Writes a workbook the way DFAT does: one sheet, header first, date cells formatted. */
async function writeWorkbook(path: string, rows: readonly (readonly Cell[])[]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Sheet1");
  for (const values of rows) {
    const row = ws.addRow([...values]);
    row.eachCell((cell) => {
      if (cell.value instanceof Date) cell.numFmt = "dd/mm/yyyy";
    });
  }
  await wb.xlsx.writeFile(path);
}

describe("excelSerialDate", () => {
  const cases: [number, string | undefined][] = [
    [1, "1900-01-01"],
    [59, "1900-02-28"],
    [60, undefined], // Excel's 29 February 1900, a day that never was
    [61, "1900-03-01"],
    [18233, "1949-12-01"],
    [20000, "1954-10-03"],
    [25569, "1970-01-01"],
    [41988.75, "2014-12-15"],
    [0, undefined],
    [-5, undefined],
  ];
  for (const [serial, iso] of cases) {
    it(`${serial} → ${iso}`, () => assert.equal(excelSerialDate(serial), iso));
  }
});

describe("listingDateOf", () => {
  const cases: [string, string | undefined][] = [
    ["Listed by UN 1267 Committee on 25 January 2001 (amended on 20 December 2005)", "2001-01-25"],
    ["Listed on: 9 Aug. 2019 (amended on 1 May 2020)", "2019-08-09"],
    ["Listed on 16 June 2017, re-listed 10 Jun 2020", "2017-06-16"],
    [
      "The Minister for Foreign Affairs listed this entity on 21 December 2001 under section 15(1)",
      "2001-12-21",
    ],
    ["Listed by UN (1267 Committee) on 9 July 2009, amended on 11 March 2011", "2009-07-09"],
    ["Designated under the Autonomous Sanctions Regulations 2011 on 2 March 2012.", "2012-03-02"],
    ["Listedon 8 Jun. 2007 (amended on 13 Dec. 2011)", "2007-06-08"],
    ["16 Jul.2020 (amended on 19 Dec. 2023)", "2020-07-16"],
    [
      "Autonomous Sanctions (Designated Persons and Entities and Declared Persons—Thematic Sanctions) Instrument 2022",
      undefined,
    ],
    ["Resolution 1596 (2005), amended 16 December 2008", undefined],
  ];
  for (const [text, iso] of cases) {
    it(text.slice(0, 60), () => assert.equal(listingDateOf(text), iso));
  }
});

describe("countryOf", () => {
  const cases: [string, string | undefined][] = [
    ["Russia", "ru"],
    ["Russian ", "ru"],
    ["Saudi Arabian (this aka only, alt Citizenship Yemeni)", "sa"],
    ["Possibly Ethiopian", "et"],
    ["Democratic People's Republic of Korea", "kp"],
    ["Congolese", undefined], // Congo or the DRC: the word does not say
  ];
  for (const [text, code] of cases) it(text, () => assert.equal(countryOf(text), code));
});

describe("auDfatReader.detect", () => {
  it("takes the DFAT workbook by its name, any other XLSX without a dataset", async () => {
    const [file] = await inputFiles([LIST]);
    assert.ok(file);
    assert.deepEqual(auDfatReader.detect(file), { dataset: "au_dfat_sanctions" });
    assert.deepEqual(auDfatReader.detect({ name: "other.xlsx", head: file.head }), {});
    assert.equal(auDfatReader.detect({ name: "list.csv", head: Buffer.from("Reference,Name\n") }), undefined);
    assert.equal(
      auDfatReader.detect({ name: "regulation8_consolidated.xlsx", head: Buffer.from("no") }),
      undefined,
    );
  });
});

describe("the DFAT list of 2024-11-11", () => {
  let result: ListRead;
  before(async () => {
    result = await readList(auDfatReader, LIST);
  });

  it("has 3,062 subjects, each with one Sanction", () => {
    const subjects = result.entities.filter((e) => e.schema === "Person" || e.schema === "Organization");
    assert.equal(subjects.length, 3062);
    assert.equal(subjects.filter((e) => e.schema === "Person").length, 2316);
    const sanctions = result.entities.filter((e) => e.schema === "Sanction");
    assert.equal(sanctions.length, 3062);
    assert.equal(new Set(result.entities.map((e) => e.id)).size, result.entities.length);
  });

  it("has 103 subjects under the thematic human-rights regime", () => {
    const hr = result.entities.filter(
      (e) =>
        e.schema === "Sanction" && e.properties.program?.includes("Autonomous (Thematic - Human Rights)"),
    );
    assert.equal(hr.length, 103);
  });

  it("reports the few values it cannot read, with file, line and record", () => {
    assert.ok(result.issues.length < 60, `${result.issues.length} issues`);
    const bad = result.issues.find((i) => i.record === "319" && i.field === COLUMNS.dob);
    assert.deepEqual(bad, {
      code: "AU_DFAT_DATE",
      message: 'unreadable date of birth "29-Aprl-1967"',
      file: LIST,
      line: 882,
      record: "319",
      field: "Date of Birth",
    });
  });

  it("maps a thematic human-rights entry (6830, DOB an Excel date cell) field by field", () => {
    const e = result.get("au_dfat_sanctions:6830");
    assert.ok(e);
    assert.equal(e.schema, "Person");
    assert.equal(e.target, true);
    assert.deepEqual(e.datasets, ["au_dfat_sanctions"]);
    assert.deepEqual(e.properties, {
      topics: ["sanction"],
      name: ["Aleksey Vasilyevich ANICHIN"],
      alias: ["Alexei Vasilyevich ANICHIN"],
      birthDate: ["1949-12-01"],
      birthPlace: ["Sevastopol, Ukraine"],
      nationality: ["ru"],
    });
    const source = e.source as { reference: string; rows: Record<string, unknown>[] };
    assert.equal(source.reference, "6830");
    assert.equal(source.rows.length, 2);
    assert.equal(source.rows[0]?.["Date of Birth"], "1949-12-01");
    assert.equal(source.rows[1]?.Reference, "6830a");

    const s = result.get("au_dfat_sanctions:6830-sanction");
    assert.deepEqual(s.properties, {
      entity: ["au_dfat_sanctions:6830"],
      authority: ["Department of Foreign Affairs and Trade"],
      program: ["Autonomous (Thematic - Human Rights)"],
      country: ["au"],
      modifiedAt: ["2022-03-30"],
      summary: [
        "Autonomous Sanctions (Designated Persons and Entities and Declared Persons—Thematic Sanctions) Instrument 2022",
      ],
    });
  });

  it("maps an entry whose DOB is text (2: two approximate year ranges)", () => {
    const e = result.get("au_dfat_sanctions:2");
    assert.ok(e);
    assert.equal(e.schema, "Person");
    assert.deepEqual(e.properties.name, ["MOHAMMAD HASSAN AKHUND"]);
    assert.deepEqual(e.properties.alias, ["محمد حسن أخوند"]);
    assert.deepEqual(e.properties.birthDate, [
      "1955",
      "1956",
      "1957",
      "1958",
      "1945",
      "1946",
      "1947",
      "1948",
      "1949",
      "1950",
    ]);
    assert.deepEqual(e.properties.birthPlace, [
      "Pashmul village, Panjwai District, Kandahar Province, Afghanistan",
    ]);
    assert.deepEqual(e.properties.nationality, ["af"]);
    assert.equal(e.properties.address, undefined); // "NA"
    assert.match(e.properties.notes?.[0] ?? "", /^Title: a\) Mullah b\) Haji\. Designation/);
    const s = result.get("au_dfat_sanctions:2-sanction");
    assert.deepEqual(s.properties.program, ["1988 (Taliban)"]);
    assert.deepEqual(s.properties.listingDate, ["2001-01-25"]);
    assert.deepEqual(s.properties.modifiedAt, ["2014-12-15"]);
  });

  it("maps an entry whose DOB is a bare year number (8) and one with a day-first text date", () => {
    assert.deepEqual(result.get("au_dfat_sanctions:8").properties.birthDate, ["1969"]);
    // 396's date cell, and its "Rahman, Mohamad Iqbal" aliases
    const e = result.get("au_dfat_sanctions:396");
    assert.deepEqual(e.properties.birthDate, ["1957-08-17"]);
    assert.equal(e.properties.alias?.length, 6);
  });

  it("splits text DOBs listed with markers, wide gaps and bracketed dates", () => {
    const dob = (ref: string) => result.get(`au_dfat_sanctions:${ref}`).properties.birthDate;
    assert.deepEqual(dob("6954"), ["1953-06-05", "1953-06-15"]); // "5/06/1953   15/06/1953"
    // "a) 1959 … f) 1965 g) (Aug. 1961) h) (Jul. 1961) i) 1 Jan. 1961 j) (Apr. 1963)"
    assert.deepEqual(dob("3175"), [
      "1959",
      "1960",
      "1961",
      "1963",
      "1964-09-18",
      "1965",
      "1961-08",
      "1961-07",
      "1961-01-01",
      "1963-04",
    ]);
  });

  it("merges a subject's rows that are not adjacent (2940j sits 180 rows below 2940i)", () => {
    const e = result.get("au_dfat_sanctions:2940");
    assert.equal(e.schema, "Organization");
    assert.ok(e.properties.alias?.includes("Chernomorneftegaz CJSC"));
    assert.equal(e.properties.alias?.length, 10);
    assert.deepEqual(result.get("au_dfat_sanctions:2940-sanction").properties.listingDate, ["2017-06-16"]);
    // Two addresses in one cell, each an Address entity
    assert.equal(e.properties.addressEntity?.length, 2);
    assert.ok(result.has("au_dfat_sanctions:2940-addr-2"));
  });

  it("reads an old listing's name as a previous name", () => {
    const e = result.get("au_dfat_sanctions:34");
    assert.ok(e.properties.previousName?.includes("Abdul Jalil Haqqani"));
    assert.deepEqual(e.properties.birthDate, ["1963", "1965", "1955"]);
  });

  it("takes the listing date from a date cell (6257, the Taliban)", () => {
    const s = result.get("au_dfat_sanctions:6257-sanction");
    assert.deepEqual(s.properties.listingDate, ["1999-10-15"]);
  });
});

describe("hand-made workbooks", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "interdict-au-dfat-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("maps cell kinds: date cells, year numbers, unformatted serials, text; groups by base reference", async () => {
    const path = join(dir, "regulation8_consolidated.xlsx");
    const listed = "Listed on 2 Mar. 2016";
    const hr = "Autonomous (Thematic - Human Rights)";
    await writeWorkbook(path, [
      HEADER,
      [
        1,
        "Ivan PETROV",
        "Individual",
        "Primary Name",
        date(1960, 5, 4),
        "Moscow, Russia",
        "Russian and Ukrainian",
        "a) 1 Main St, Moscow, Russia b) Kyiv, Ukraine",
        "Info.",
        listed,
        hr,
        date(2016, 3, 2),
      ],
      [
        "1a",
        "Ivan PETROFF",
        "Individual",
        "aka",
        date(1960, 5, 4),
        "Moscow, Russia",
        "Russian and Ukrainian",
        "a) 1 Main St, Moscow, Russia b) Kyiv, Ukraine",
        "Info.",
        listed,
        hr,
        date(2016, 3, 2),
      ],
      [
        2,
        "ACME TRADING",
        "Entity",
        "Primary Name",
        "na",
        null,
        null,
        "NA",
        null,
        "Listed on 1 Jul. 2022",
        "Autonomous (Russia)",
        date(2022, 7, 1),
      ],
      [
        3,
        "Omar YEAR",
        "Individual",
        "Primary Name",
        1965,
        null,
        "Afghan",
        null,
        null,
        listed,
        hr,
        date(2016, 3, 2),
      ],
      [
        4,
        "Sara SERIAL",
        "Individual",
        "Primary Name",
        20000,
        null,
        null,
        null,
        null,
        listed,
        hr,
        date(2016, 3, 2),
      ],
      [
        5,
        "Tom TEXT",
        "individual ",
        "Primary name",
        "a) 12/03/1960; b) circa 1962",
        null,
        null,
        null,
        null,
        "",
        "1970 (Libya) 1973 (Libya)",
        date(2016, 3, 2),
      ],
      [
        "2b",
        "ACME OLD",
        "Entity",
        "Formerly known as",
        "na",
        null,
        null,
        "NA",
        null,
        "Listed on 1 Jul. 2022",
        "Autonomous (Russia)",
        date(2022, 7, 1),
      ],
      [
        "5a",
        "Том ТЕКСТ",
        "Individual",
        "Original Script",
        "29-Aprl-1967",
        null,
        null,
        null,
        null,
        "",
        "1970 (Libya) 1973 (Libya)",
        date(2016, 3, 2),
      ],
    ]);
    const { get, issues, entities } = await readList(auDfatReader, path, "my_copy");
    assert.equal(entities.filter((e) => e.schema !== "Sanction" && e.schema !== "Address").length, 5);

    const petrov = get("my_copy:1");
    assert.deepEqual(petrov.properties, {
      topics: ["sanction"],
      name: ["Ivan PETROV"],
      alias: ["Ivan PETROFF"],
      birthDate: ["1960-05-04"],
      birthPlace: ["Moscow, Russia"],
      nationality: ["ru", "ua"],
      address: ["1 Main St, Moscow, Russia", "Kyiv, Ukraine"],
      addressEntity: ["my_copy:1-addr-1", "my_copy:1-addr-2"],
      country: ["ru", "ua"],
      notes: ["Info."],
    });
    assert.deepEqual(get("my_copy:1-sanction").properties, {
      entity: ["my_copy:1"],
      authority: ["Department of Foreign Affairs and Trade"],
      program: [hr],
      country: ["au"],
      listingDate: ["2016-03-02"],
      modifiedAt: ["2016-03-02"],
      summary: [listed],
    });
    assert.deepEqual(get("my_copy:1-addr-1").properties, {
      full: ["1 Main St, Moscow, Russia"],
      country: ["ru"],
    });

    const acme = get("my_copy:2");
    assert.equal(acme.schema, "Organization");
    assert.deepEqual(acme.properties.name, ["ACME TRADING"]);
    assert.deepEqual(acme.properties.previousName, ["ACME OLD"]);
    assert.equal(acme.properties.birthDate, undefined);

    assert.deepEqual(get("my_copy:3").properties.birthDate, ["1965"]);
    assert.deepEqual(get("my_copy:3").properties.nationality, ["af"]);
    assert.deepEqual(get("my_copy:4").properties.birthDate, ["1954-10-03"]);

    const tom = get("my_copy:5");
    assert.equal(tom.schema, "Person");
    assert.deepEqual(tom.properties.alias, ["Том ТЕКСТ"]);
    assert.deepEqual(tom.properties.birthDate, ["1960-03-12", "1962"]);
    assert.deepEqual(get("my_copy:5-sanction").properties.program, ["1970 (Libya)", "1973 (Libya)"]);
    assert.deepEqual(issues, [
      {
        code: "AU_DFAT_DATE",
        message: 'unreadable date of birth "29-Aprl-1967"',
        file: path,
        line: 9,
        record: "5",
        field: "Date of Birth",
      },
    ]);
  });

  const failures: [string, () => Promise<string>, RegExp, number | undefined][] = [
    ["an empty file", async () => write("empty.xlsx", Buffer.alloc(0)), /empty file/, undefined],
    [
      "a workbook with an empty sheet",
      async () => {
        const path = join(dir, "blank.xlsx");
        await writeWorkbook(path, []);
        return path;
      },
      /first worksheet is empty/,
      undefined,
    ],
    [
      "a zip that is not a workbook",
      async () => write("notes.xlsx", await zipOf("notes.txt", "hello")),
      /no worksheet/,
      undefined,
    ],
    [
      "a truncated workbook",
      async () => write("cut.xlsx", (await readFile(LIST)).subarray(0, 500_000)),
      /truncated/,
      undefined,
    ],
    [
      "a workbook cut inside its last entries",
      async () => write("cut-late.xlsx", (await readFile(LIST)).subarray(0, 970_000)),
      /truncated/,
      undefined,
    ],
    [
      "another list's workbook",
      async () => {
        const path = join(dir, "other.xlsx");
        await writeWorkbook(path, [
          ["Name", "Country"],
          ["X", "Y"],
        ]);
        return path;
      },
      /header lacks "Reference", "Name of Individual or Entity"/,
      1,
    ],
    [
      "a row with no Reference",
      async () => {
        const path = join(dir, "noref.xlsx");
        await writeWorkbook(path, [
          HEADER,
          [1, "A", "Individual", "Primary Name"],
          [null, "B", "Individual", "aka"],
        ]);
        return path;
      },
      /a row with no Reference/,
      3,
    ],
    [
      "a row with no name",
      async () => {
        const path = join(dir, "noname.xlsx");
        await writeWorkbook(path, [
          HEADER,
          [1, "A", "Individual", "Primary Name"],
          ["1a", null, "Individual", "aka"],
        ]);
        return path;
      },
      /a row with no name/,
      3,
    ],
    [
      "a subject with no type",
      async () => {
        const path = join(dir, "notype.xlsx");
        await writeWorkbook(path, [HEADER, [7, "A", null, "Primary Name"]]);
        return path;
      },
      /no row of this subject gives its Type/,
      2,
    ],
  ];

  async function write(name: string, bytes: Buffer): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, bytes);
    return path;
  }

  for (const [what, make, message, line] of failures) {
    it(`refuses ${what}, naming the file${line ? " and row" : ""}`, async () => {
      const path = await make();
      const e = await refusal(auDfatReader, path);
      assert.equal(e.where.file, path);
      assert.equal(e.where.line, line);
      assert.match(e.message, message);
    });
  }
});

/** A one-entry zip archive, stored (no compression), built by hand. */
async function zipOf(name: string, text: string): Promise<Buffer> {
  const data = Buffer.from(text);
  const fileName = Buffer.from(name);
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  const centralOffset = local.length + fileName.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, fileName, data, central, fileName, end]);
}

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
