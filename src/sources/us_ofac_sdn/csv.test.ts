import assert from "node:assert/strict";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { InterdictError, type Issue } from "../../errors.js";
import type { Entity } from "../../model/entity.js";
import { inputFiles } from "../_input.js";
import type { InputFile } from "../types.js";
import { nameParts, ofacCsvReader, programCodes, wholeYears } from "./csv.js";
import { readers } from "./index.js";

const LISTS = "../shared/data/lists";
const SDN_2024 = `${LISTS}/us_ofac_sdn/2024-05-03`;
const SDN_2021 = `${LISTS}/us_ofac_sdn/2021-07-07`;
const CONS_2025 = `${LISTS}/us_ofac_cons/2025-12-19`;
const EXCERPT = "../shared/data/fixtures/us_ofac_sdn/csv-excerpt";
const CORRUPT = "../shared/data/fixtures/us_ofac_sdn/corrupt";
const MINI = "src/sources/us_ofac_sdn/fixtures/mini";

interface Result {
  entities: Entity[];
  byId: Map<string, Entity>;
  targets: Entity[];
  issues: Issue[];
}

async function ofacFiles(paths: string[]): Promise<InputFile[]> {
  return (await inputFiles(paths)).filter((f) => ofacCsvReader.detect(f));
}

/** Reads a folder as the ingest would: the dataset is the one detection names, unless given. */
async function read(paths: string[], dataset?: string): Promise<Result> {
  const files = await ofacFiles(paths);
  assert.ok(files.length > 0, `no OFAC CSV files in ${paths.join(", ")}`);
  const issues: Issue[] = [];
  const entities: Entity[] = [];
  const ds = dataset ?? ofacCsvReader.detect(files[0]!)?.dataset ?? "";
  for await (const e of ofacCsvReader.read(files, { dataset: ds, issue: (i) => issues.push(i) })) {
    entities.push(e as Entity);
  }
  return {
    entities,
    byId: new Map(entities.map((e) => [e.id, e])),
    targets: entities.filter((e) => e.target),
    issues,
  };
}

const cache = new Map<string, Promise<Result>>();
const readOnce = (path: string): Promise<Result> => {
  let r = cache.get(path);
  if (!r) cache.set(path, (r = read([path])));
  return r;
};

function entity(r: Result, id: string): Entity {
  const e = r.byId.get(id);
  assert.ok(e, `no entity ${id}`);
  return e;
}

/** Checks the listed properties exactly; others are not looked at. */
function assertProps(e: Entity, expected: Record<string, string[]>): void {
  for (const [prop, values] of Object.entries(expected)) {
    assert.deepEqual(e.properties[prop] ?? [], values, `${e.id} ${prop}`);
  }
}

async function expectFormatError(
  files: InputFile[],
  expected: { file: RegExp; line?: number; message?: RegExp; nothingYielded?: boolean },
): Promise<void> {
  let yielded = 0;
  await assert.rejects(
    (async () => {
      for await (const _ of ofacCsvReader.read(files, { dataset: "us_ofac_sdn", issue() {} })) yielded++;
    })(),
    (e: unknown) => {
      assert.ok(e instanceof InterdictError, `not an InterdictError: ${e}`);
      assert.equal(e.code, "INTERDICT_E_LIST_FORMAT");
      assert.match(e.where.file ?? "", expected.file);
      if (expected.line !== undefined) assert.equal(e.where.line, expected.line, e.message);
      if (expected.message) assert.match(e.message, expected.message);
      return true;
    },
  );
  if (expected.nothingYielded) assert.equal(yielded, 0, "a broken companion fails before any entity");
}

describe("detect", () => {
  const csv = Buffer.from(
    '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n',
  );
  const cases: [string, string, Buffer, string | undefined][] = [
    ["SDN.CSV of SDN rows", "SDN.CSV", csv, "us_ofac_sdn"],
    ["lower-case name", "sdn.csv", csv, "us_ofac_sdn"],
    ["CONS_PRIM.CSV of SDN rows", "CONS_PRIM.CSV", csv, "us_ofac_cons"],
    ["ADD.CSV", "ADD.CSV", Buffer.from('36,25,-0- ,"Havana","Cuba",-0- \r\n'), "us_ofac_sdn"],
    [
      "CONS_ALT.CSV",
      "CONS_ALT.CSV",
      Buffer.from('9639,9150,"aka","HANIYA, Ismail",-0- \r\n'),
      "us_ofac_cons",
    ],
    ["SDN_COMMENTS.CSV", "SDN_COMMENTS.CSV", Buffer.from('12300,"Z S.A.S."\r\n'), "us_ofac_sdn"],
    [
      "a companion holding only the end-of-file byte",
      "CONS_COMMENTS.CSV",
      Buffer.from("\x1a"),
      "us_ofac_cons",
    ],
    ["an empty SDN.CSV (read() says why)", "SDN.CSV", Buffer.alloc(0), "us_ofac_sdn"],
    ["SDN.CSV that is XML", "SDN.CSV", Buffer.from('<?xml version="1.0"?>\n<sdnList>'), undefined],
    [
      "SDN.CSV with an unknown SDN_Type",
      "SDN.CSV",
      Buffer.from('1,"X","company","P",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'),
      undefined,
    ],
    ["ALT.CSV with SDN.CSV's shape", "ALT.CSV", csv, undefined],
    ["ALT.CSV with an unknown alt_type", "ALT.CSV", Buffer.from('1,2,"alias","X",-0- \n'), undefined],
    ["SDN rows under another name", "list.csv", csv, undefined],
    [
      "a header row",
      "SDN.CSV",
      Buffer.from(
        "ent_num,SDN_Name,SDN_Type,Program,Title,Call_Sign,Vess_type,Tonnage,GRT,Vess_flag,Vess_owner,Remarks\n",
      ),
      undefined,
    ],
  ];
  for (const [what, name, head, dataset] of cases) {
    it(what, () => assert.equal(ofacCsvReader.detect({ name, head })?.dataset, dataset));
  }
  it("gives the files of one set one group key", () => {
    const roles = ["SDN.CSV", "ADD.CSV"].map(
      (name) => ofacCsvReader.detect({ name, head: Buffer.alloc(0) })?.role,
    );
    assert.equal(roles[0], roles[1]);
    assert.notEqual(roles[0], ofacCsvReader.detect({ name: "CONS_ADD.CSV", head: Buffer.alloc(0) })?.role);
  });
  it("is exported from the folder's index", () => assert.ok(readers.includes(ofacCsvReader)));
});

describe("helpers", () => {
  it("splits OFAC names into parts", () => {
    assert.deepEqual(nameParts("KARPOV, Pavel"), {
      lastName: "KARPOV",
      firstName: "Pavel",
      suffix: undefined,
    });
    assert.deepEqual(nameParts("DELOS REYES, Feliciano Semborio, Jr."), {
      lastName: "DELOS REYES",
      firstName: "Feliciano Semborio",
      suffix: "Jr.",
    });
    assert.deepEqual(nameParts("MNANGAGWA, JR., Emmerson Dambudzo"), {
      lastName: "MNANGAGWA",
      firstName: "Emmerson Dambudzo",
      suffix: "JR.",
    });
    assert.equal(nameParts("SANTOSO"), undefined);
  });
  it("reads the Program column", () => {
    assert.deepEqual(programCodes("NPWMD] [IFSR] [IRAN-CON-ARMS-EO"), ["NPWMD", "IFSR", "IRAN-CON-ARMS-EO"]);
    assert.deepEqual(programCodes("MAGNIT"), ["MAGNIT"]);
    assert.deepEqual(programCodes("[SDGT] [IRGC]"), ["SDGT", "IRGC"]);
  });
  it("reads a day range over whole years as years", () => {
    assert.equal(wholeYears("01 Jan 1973 to 31 Dec 1973"), "1973");
    assert.equal(wholeYears("01 Jan 1961 to 31 Dec 1963"), "1961 to 1963");
    assert.equal(wholeYears("27 Aug 1977"), "27 Aug 1977");
  });
});

describe("us_ofac_sdn 2024-05-03 (SDN.CSV alone)", () => {
  it("reads all 14,965 entries, one Sanction each", async () => {
    const r = await readOnce(SDN_2024);
    assert.equal(r.targets.length, 14965);
    const sanctions = r.entities.filter((e) => e.schema === "Sanction");
    assert.equal(sanctions.length, 14965);
    const count = (p: string) => sanctions.filter((s) => s.properties.program?.includes(p)).length;
    assert.equal(count("MAGNIT"), 64);
    assert.equal(count("GLOMAG"), 694);
  });

  it("maps KARPOV, Pavel (15880) field by field", async () => {
    const r = await readOnce(SDN_2024);
    const p = entity(r, "us_ofac_sdn:15880");
    assert.equal(p.schema, "Person");
    assert.equal(p.target, true);
    assert.deepEqual(p.datasets, ["us_ofac_sdn"]);
    assert.deepEqual(p.properties, {
      topics: ["sanction"],
      name: ["KARPOV, Pavel"],
      lastName: ["KARPOV"],
      firstName: ["Pavel"],
      birthDate: ["1977-08-27"],
      birthPlace: ["Moscow, Russia"],
      birthCountry: ["ru"],
    });
    assert.deepEqual(entity(r, "us_ofac_sdn:15880-sanction").properties, {
      entity: ["us_ofac_sdn:15880"],
      authority: ["Office of Foreign Assets Control"],
      program: ["MAGNIT"],
      country: ["us"],
    });
    assert.deepEqual(p.source, {
      ent_num: "15880",
      SDN_Name: "KARPOV, Pavel",
      SDN_Type: "individual",
      Program: "MAGNIT",
      Title: null,
      Call_Sign: null,
      Vess_type: null,
      Tonnage: null,
      GRT: null,
      Vess_flag: null,
      Vess_owner: null,
      Remarks: "DOB 27 Aug 1977; POB Moscow, Russia.",
    });
  });

  it("maps a vessel with an IMO number (IRIS MAKRAN, 40716)", async () => {
    const r = await readOnce(SDN_2024);
    const v = entity(r, "us_ofac_sdn:40716");
    assert.equal(v.schema, "Vessel");
    assertProps(v, {
      name: ["IRIS MAKRAN"],
      type: ["Naval Auxiliary Vessel"],
      flag: ["ir"],
      imoNumber: ["IMO9486910"],
      weakAlias: ["MAKRAN"],
    });
    assertProps(entity(r, "us_ofac_sdn:40716-sanction"), {
      program: ["IRAN"],
      provisions: ["Additional Sanctions Information - Subject to Secondary Sanctions"],
    });
  });

  it("maps a vessel's columns and links it (NS LEADER, 47371)", async () => {
    const r = await readOnce(SDN_2024);
    assertProps(entity(r, "us_ofac_sdn:47371"), {
      callSign: ["A8LU7"],
      type: ["Crude Oil Tanker"],
      flag: ["ga"],
      imoNumber: ["IMO9339301"],
      mmsi: ["636013272"],
    });
    assertProps(entity(r, "us_ofac_sdn:47371-link-us-ofac-sdn-47370"), {
      subject: ["us_ofac_sdn:47371"],
      object: ["us_ofac_sdn:47370"],
      role: ["Linked To"],
    });
    assertProps(entity(r, "us_ofac_sdn:47370"), { name: ["NS LEADER SHIPPING INCORPORATED"] });
  });

  it("maps passports and weak aliases (SAEED, Muhammad, 10689)", async () => {
    const r = await readOnce(SDN_2024);
    assertProps(entity(r, "us_ofac_sdn:10689"), {
      birthDate: ["1950-06-05"],
      birthPlace: ["Sargodha, Punjab, Pakistan"],
      birthCountry: ["pk"],
      nationality: ["pk"],
      passportNumber: ["BE5978421", "A5250088"],
      idNumber: ["3520025509842-7", "23250460642"],
      weakAlias: ["HAFIZ SAHIB", "TATA JI"],
      alias: [],
    });
    const passport = entity(r, "us_ofac_sdn:10689-doc-passport-be5978421");
    assert.equal(passport.schema, "Passport");
    assertProps(passport, {
      holder: ["us_ofac_sdn:10689"],
      type: ["Passport"],
      number: ["BE5978421"],
      country: ["pk"],
      startDate: ["2007-11-14"],
      endDate: ["2012-11-12"],
    });
    assertProps(entity(r, "us_ofac_sdn:10689-doc-national-id-no-3520025509842-7"), {
      type: ["National ID No."],
      country: ["pk"],
    });
  });

  it("resolves Linked To by name: a person to a company (MORENO, Daniel, 15102)", async () => {
    const r = await readOnce(SDN_2024);
    assertProps(entity(r, "us_ofac_sdn:15102"), { passportNumber: ["0291622"] });
    const link = entity(r, "us_ofac_sdn:15102-link-us-ofac-sdn-15113");
    assert.equal(link.schema, "UnknownLink");
    assertProps(link, { subject: ["us_ofac_sdn:15102"], object: ["us_ofac_sdn:15113"] });
  });

  it("links two persons as associates (MALKEVICH → PRIGOZHIN)", async () => {
    const r = await readOnce(SDN_2024);
    const link = entity(r, "us_ofac_sdn:26235-link-us-ofac-sdn-21171");
    assert.equal(link.schema, "Associate");
    assertProps(link, {
      person: ["us_ofac_sdn:26235"],
      associate: ["us_ofac_sdn:21171"],
      relationship: ["Linked To"],
    });
  });

  it("reports what it could not read, and little of it", async () => {
    const r = await readOnce(SDN_2024);
    const codes = (code: string) => r.issues.filter((i) => i.code === code);
    assert.ok(
      codes("ofac_unknown_remark").length <= 30,
      `${codes("ofac_unknown_remark").length} unknown clauses`,
    );
    const cut = codes("ofac_remarks_truncated");
    assert.equal(cut.length, 16);
    const tian = cut.find((i) => i.record === "28263");
    assert.ok(tian);
    assert.match(tian.file ?? "", /SDN\.CSV$/);
    assert.ok(tian.line && tian.line > 1);
    // The cut-off clause stays a note, not a wrong alias.
    assert.ok(!entity(r, "us_ofac_sdn:28263").properties.weakAlias?.includes("snowsjo"));
    assert.ok(entity(r, "us_ofac_sdn:28263").properties.notes?.includes("a.k.a. 'snowsjo"));
    for (const i of r.issues) assert.ok(i.file && i.line && i.record, JSON.stringify(i));
  });

  it("keeps derived entity ids unique", async () => {
    const r = await readOnce(SDN_2024);
    assert.equal(r.byId.size, r.entities.length);
  });

  it("reads the whole list in flat memory", async () => {
    // Timing is measured outside the unit tests (a loaded machine makes it flaky); memory is not.
    const files = await ofacFiles([SDN_2024]);
    const expected = (await readOnce(SDN_2024)).entities.length;
    const base = process.memoryUsage().heapUsed;
    let maxHeap = base;
    let n = 0;
    for await (const _ of ofacCsvReader.read(files, { dataset: "us_ofac_sdn", issue() {} })) {
      if (++n % 2000 === 0) maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed);
    }
    assert.equal(n, expected);
    // The name index and the companions are all it holds: far less than the entities it yields.
    assert.ok(maxHeap - base < 150e6, `heap grew ${Math.round((maxHeap - base) / 1e6)} MB`);
  });
});

describe("us_ofac_sdn 2021-07-07 (the full CSV set)", () => {
  it("reads 8,976 entries and all 11,910 aliases of ALT.CSV as strong names", async () => {
    const r = await readOnce(SDN_2021);
    assert.equal(r.targets.length, 8976);
    let alts = 0;
    for (const t of r.targets) {
      const rows = (t.source as { aliases?: { alt_type: string; alt_name: string }[] }).aliases ?? [];
      alts += rows.length;
      for (const a of rows) {
        const prop = a.alt_type === "fka" ? "previousName" : "alias";
        const name = a.alt_name.replace(/\s+/g, " ");
        assert.ok(t.properties[prop]?.includes(name), `${t.id} ${prop} ${name}`);
      }
    }
    assert.equal(alts, 11910);
    assert.equal(r.issues.filter((i) => i.code === "ofac_orphan_row").length, 0);
  });

  it("joins addresses", async () => {
    const r = await readOnce(SDN_2021);
    const addr = entity(r, "us_ofac_sdn:173-addr-129");
    assertProps(addr, {
      full: ["Ibex House, The Minories, London EC3N 1DY, United Kingdom"],
      street: ["Ibex House, The Minories"],
      city: ["London EC3N 1DY"],
      country: ["gb"],
    });
    assertProps(entity(r, "us_ofac_sdn:173"), {
      addressEntity: ["us_ofac_sdn:173-addr-129"],
      country: ["gb"],
      alias: ["AVIA IMPORT"],
    });
  });

  it("appends SDN_COMMENTS.CSV to the Remarks it continues (TIAN, Yinyin, 28263)", async () => {
    const r = await readOnce(SDN_2021);
    const tian = entity(r, "us_ofac_sdn:28263");
    assert.ok(tian.properties.weakAlias?.includes("snowsjohn"));
    assert.ok(r.byId.has("us_ofac_sdn:28263-link-us-ofac-sdn-27307"), "Linked To: LAZARUS GROUP");
    assert.equal(r.issues.filter((i) => i.code === "ofac_remarks_truncated").length, 0);
    assert.match(String((tian.source as { comments: string }).comments), /^hn'; Linked To: LAZARUS GROUP\.$/);
  });
});

describe("us_ofac_cons 2025-12-19", () => {
  it("reads 442 entries under us_ofac_cons", async () => {
    const r = await readOnce(CONS_2025);
    assert.equal(r.targets.length, 442);
    assert.ok(r.targets.every((t) => t.id.startsWith("us_ofac_cons:") && t.datasets[0] === "us_ofac_cons"));
    const p = entity(r, "us_ofac_cons:9639");
    assert.equal(p.schema, "Person");
    assertProps(p, {
      name: ["HANIYA, Ismail Abdul Salah"],
      alias: ["HANIYA, Ismail", "HANIYYA, Ismaeel"],
      birthDate: ["1962"],
      birthPlace: ["Shati"],
      birthCountry: [],
    });
    assertProps(entity(r, "us_ofac_cons:9639-sanction"), { program: ["NS-PLC"] });
  });
});

describe("csv-excerpt fixture", () => {
  it("reads its 17 entries, reporting the rows that refer to entries it does not hold", async () => {
    const r = await readOnce(EXCERPT);
    assert.equal(r.targets.length, 17);
    const orphans = r.issues.filter((i) => i.code === "ofac_orphan_row");
    assert.equal(orphans.length, 9);
    assert.ok(orphans.some((i) => i.record === "10416" && /ALT\.CSV$/.test(i.file ?? "")));
    assertProps(entity(r, "us_ofac_sdn:33151"), { weakAlias: ["SUCCESSFUL EXCHANGE"] });
    assertProps(entity(r, "us_ofac_sdn:48727"), { buildDate: ["1992"], serialNumber: ["1023409321"] });
  });

  it("builds ids from the dataset it is read as", async () => {
    const r = await read([EXCERPT], "my_copy");
    assert.ok(r.targets.every((t) => t.id.startsWith("my_copy:")));
    assert.ok(r.entities.every((e) => e.datasets[0] === "my_copy"));
  });
});

describe("every us_ofac_sdn version", async () => {
  const versions = (await readdir(`${LISTS}/us_ofac_sdn`)).sort();
  for (const v of versions) {
    it(`${v} reads without error, one entity per row`, async () => {
      const text = await readFile(`${LISTS}/us_ofac_sdn/${v}/SDN.CSV`, "latin1");
      const rows = text.split("\n").filter((l) => /^\d+,/.test(l)).length;
      const r = await readOnce(`${LISTS}/us_ofac_sdn/${v}`);
      assert.equal(r.targets.length, rows);
    });
  }
});

describe("mini fixture (hand-written)", () => {
  it("maps every part of the set", async () => {
    const r = await read([MINI]);
    const p = entity(r, "us_ofac_sdn:100");
    assertProps(p, {
      name: ["DOE, John Q."],
      lastName: ["DOE"],
      firstName: ["John Q."],
      position: ["Minister of Examples", "Former Governor"],
      alias: ["DOE, Johnny"],
      weakAlias: ["JD; THE EXAMPLE", "JOHNNY"],
      birthDate: ["1960-02-01", "1961"],
      birthCountry: ["ua"],
      nationality: ["ua"],
      citizenship: ["ru"],
      gender: ["male"],
      passportNumber: ["AB123456"],
      idNumber: ["1234567890"],
      notes: [],
    });
    assertProps(entity(r, "us_ofac_sdn:100-sanction"), { program: ["MAGNIT", "GLOMAG"] });
    // Two names of one listed company give one link.
    assert.equal(r.entities.filter((e) => e.id === "us_ofac_sdn:100-link-us-ofac-sdn-101").length, 1);

    const c = entity(r, "us_ofac_sdn:101");
    assert.equal(c.schema, "Company");
    assertProps(c, {
      previousName: ["OLD EXAMPLE LLC"],
      incorporationDate: ["2001-03-12"],
      taxNumber: ["7701234567"],
      website: ["www.example.ru"],
      email: ["info@example.ru"],
      notes: ["Unexplained Thing 42"],
    });
    assertProps(entity(r, "us_ofac_sdn:101-addr-2"), {
      city: ["Moscow"],
      remarks: ["Head office"],
      country: ["ru"],
    });

    assertProps(entity(r, "us_ofac_sdn:102"), {
      tonnage: ["100000"],
      grossRegisteredTonnage: ["55123"],
      flag: ["pa"],
      pastFlags: ["mt"],
      notes: ["Vessel owner: EXAMPLE TRADING LLC"],
    });
    assertProps(entity(r, "us_ofac_sdn:102-link-us-ofac-sdn-101"), {
      subject: ["us_ofac_sdn:102"],
      object: ["us_ofac_sdn:101"],
      role: ["Vessel owner"],
    });
    const plane = entity(r, "us_ofac_sdn:103");
    assert.equal(plane.schema, "Airplane");
    assertProps(plane, {
      model: ["Ilyushin IL-76TD"],
      registrationNumber: ["EP-XYZ"],
      notes: ["Aircraft Operator EXAMPLE TRADING LLC"],
    });
    assertProps(entity(r, "us_ofac_sdn:103-link-us-ofac-sdn-101"), { role: ["Aircraft Operator"] });
    assert.ok(
      !r.entities.some((e) => e.properties.object?.includes("NOBODY")),
      "unresolved names link nothing",
    );
    const org = entity(r, "us_ofac_sdn:104");
    assert.equal(org.schema, "Organization");
    assertProps(org, { alias: ["NEW EXAMPLE FOUNDATION"] });
    assertProps(entity(r, "us_ofac_sdn:104-addr-3"), { region: ["Crimea"], country: [] });
    assert.ok(!r.byId.has("us_ofac_sdn:104-addr-4"), "an address row of -0- only is no address");

    assert.deepEqual(
      r.issues.map((i) => [i.code, i.record, i.line]),
      [
        ["ofac_unknown_remark", "101", 2],
        ["ofac_link_unresolved", "103", 4],
      ],
    );
  });
});

describe("bad input", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "ofac-csv-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A copy of the mini set in its own folder, with some files replaced. */
  async function variant(name: string, replace: Record<string, string | Buffer>): Promise<InputFile[]> {
    const to = join(dir, name);
    await mkdir(to);
    for (const f of await readdir(MINI)) await copyFile(join(MINI, f), join(to, f));
    for (const [f, content] of Object.entries(replace)) await writeFile(join(to, f), content);
    return inputFiles([to]);
  }

  it("fails on the corrupt fixture at its first junk row, before yielding anything", async () => {
    // The companions are read first (every main row needs its own rows of them), and ADD.CSV
    // is also the first file of the folder: its junk row is the first one met.
    await expectFormatError(await inputFiles([CORRUPT]), {
      file: /corrupt\/ADD\.CSV$/,
      line: 11697,
      message: /expected 6 columns.*"\|\|\|\|"/,
      nothingYielded: true,
    });
  });

  it("fails on the corrupt fixture's SDN.CSV at its junk row", async () => {
    await expectFormatError(await inputFiles([`${CORRUPT}/SDN.CSV`]), {
      file: /corrupt\/SDN\.CSV$/,
      line: 7380,
      message: /expected 12 columns.*"\|\|\|\|"/,
    });
  });

  it("fails on junk in a companion file before yielding anything", async () => {
    const add = await readFile(join(MINI, "ADD.CSV"), "latin1");
    const lines = add.split("\r\n");
    lines.splice(1, 0, "||||");
    await expectFormatError(await variant("junk-add", { "ADD.CSV": lines.join("\r\n") }), {
      file: /ADD\.CSV$/,
      line: 2,
      nothingYielded: true,
    });
  });

  const sdn = (rows: string[]) => `${rows.join("\r\n")}\r\n\x1a`;
  const ROW = '100,"DOE, John","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ';
  const faults: [string, string | Buffer, number | undefined, RegExp][] = [
    ["an empty SDN.CSV", "", undefined, /empty/],
    ["an SDN.CSV holding only the end-of-file byte", "\x1a", undefined, /empty/],
    ["ent_num not an integer", sdn([ROW, ROW.replace("100,", "1O1,")]), 2, /ent_num must be an integer/],
    ["unknown SDN_Type", sdn([ROW.replace('"individual"', '"company"')]), 1, /SDN_Type/],
    [
      "a row of 11 columns",
      sdn([ROW, ROW.replace(",-0- ,-0- ", ",-0- ").replace("100", "101")]),
      2,
      /expected 12 columns/,
    ],
    ["ent_num listed twice", sdn([ROW, ROW]), 2, /listed twice/],
    ["an empty name", sdn([ROW.replace('"DOE, John"', "-0- ")]), 1, /no name/],
    ["rows after the end-of-file byte", `${sdn([ROW])}\r\n${ROW}\r\n`, 3, /after the end-of-file/],
    ["an unclosed quote at the end", `${ROW}\r\n101,"CUT OFF`, 2, /never closes/],
  ];
  for (const [what, content, line, message] of faults) {
    it(`fails on ${what}`, async () => {
      const files = await variant(what.replace(/\W+/g, "-"), { "SDN.CSV": content });
      await expectFormatError(files, { file: /SDN\.CSV$/, line, message });
    });
  }

  it("fails on an unknown alt_type", async () => {
    const files = await variant("alt-type", { "ALT.CSV": '100,10,"alias","X",-0- \r\n\x1a' });
    await expectFormatError(files, { file: /ALT\.CSV$/, line: 1, message: /alt_type/, nothingYielded: true });
  });

  it("fails on a real list cut mid-row, inside a quoted field", async () => {
    const text = await readFile(join(SDN_2024, "SDN.CSV"));
    const cut = text.subarray(0, Math.floor(text.length / 2));
    const to = join(dir, "cut-quoted");
    await mkdir(to);
    // Cut inside the Remarks of a row: back up to its opening quote, keep a few characters.
    const at = cut.lastIndexOf(',"') + 5;
    await writeFile(join(to, "SDN.CSV"), cut.subarray(0, at));
    const lines = cut.subarray(0, at).toString("latin1").split("\n").length;
    await expectFormatError(await inputFiles([to]), {
      file: /SDN\.CSV$/,
      line: lines,
      message: /never closes/,
    });
  });

  it("fails on a real list cut mid-row, between fields", async () => {
    const text = await readFile(join(SDN_2024, "SDN.CSV"));
    const lineStart = text.indexOf("\n15880,") + 1;
    const to = join(dir, "cut-fields");
    await mkdir(to);
    await writeFile(
      join(to, "SDN.CSV"),
      text.subarray(0, lineStart + '15880,"KARPOV, Pavel","individual",'.length),
    );
    const lines = text.subarray(0, lineStart).toString("latin1").split("\n").length;
    await expectFormatError(await inputFiles([to]), {
      file: /SDN\.CSV$/,
      line: lines,
      message: /expected 12 columns/,
    });
  });

  it("refuses a file of another format named SDN.CSV", async () => {
    const to = join(dir, "xml");
    await mkdir(to);
    await copyFile("../shared/data/fixtures/us_ofac_sdn/xml-excerpt/sdn.xml", join(to, "SDN.CSV"));
    const files = await inputFiles([to]);
    assert.equal(ofacCsvReader.detect(files[0]!), undefined);
    await expectFormatError(files, { file: /SDN\.CSV$/, line: 1 });
  });

  it("fails on a set without its main file", async () => {
    const files = (await inputFiles([MINI])).filter((f) => f.name !== "SDN.CSV");
    await expectFormatError(files, { file: /\.CSV$/, message: /no main file/ });
  });

  it("fails on SDN and consolidated files mixed", async () => {
    const files = [...(await inputFiles([MINI])), ...(await inputFiles([`${CONS_2025}/CONS_ALT.CSV`]))];
    await expectFormatError(files, { file: /CONS_ALT\.CSV$/, message: /cannot be read as one list/ });
  });
});
