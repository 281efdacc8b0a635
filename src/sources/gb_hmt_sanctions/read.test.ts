import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InterdictError } from "../../errors.js";
import type { Entity } from "../../model/entity.js";
import { inputFiles } from "../_input.js";
import { readList } from "../_testing.js";
import { hmtCsvReader } from "./index.js";
import { type Group, readGroups } from "./read.js";

const FULL = "../shared/data/lists/gb_hmt_sanctions/2020-04-27/ConList.csv";
const EXCERPT = "../shared/data/fixtures/gb_hmt_sanctions/excerpt/ConList.csv";
const OWN = "src/sources/gb_hmt_sanctions/fixtures";

async function groupsOf(path: string, maxBufferedRows?: number): Promise<Group[]> {
  const [file] = await inputFiles([path]);
  const out: Group[] = [];
  for await (const g of readGroups(file!, () => undefined, maxBufferedRows ? { maxBufferedRows } : {})) {
    out.push(g);
  }
  return out;
}

describe("gb_hmt_sanctions: detection", () => {
  const cases: [string, string | undefined][] = [
    [FULL, "gb_hmt_sanctions"],
    [EXCERPT, "gb_hmt_sanctions"],
    [`${OWN}/interleaved-cp1252.csv`, "gb_hmt_sanctions"],
    [`${OWN}/empty.csv`, undefined],
    ["../shared/data/fixtures/gb_fcdo_sanctions/excerpt/UK_Sanctions_List.xml", undefined],
  ];
  for (const [path, dataset] of cases) {
    it(`${path.split("/").slice(-2).join("/")} → ${dataset}`, async () => {
      const [file] = await inputFiles([path]);
      assert.equal(hmtCsvReader.detect(file!)?.dataset, dataset);
    });
  }
  it("wants the header, not just a CSV", () => {
    const head = Buffer.from("Last Updated,27/04/2020\r\nName,Other,ID\r\n");
    assert.equal(hmtCsvReader.detect({ name: "ConList.csv", head }), undefined);
  });
});

describe("gb_hmt_sanctions: the full 2020-04-27 list", () => {
  it("has 9,492 names in 2,114 groups", async () => {
    const groups = await groupsOf(FULL);
    assert.equal(
      groups.reduce((n, g) => n + g.rows.length, 0),
      9492,
    );
    assert.equal(new Set(groups.map((g) => g.id)).size, 2114);
    assert.equal(groups.length, 2114);
  });

  it("maps 2,114 subjects with one Sanction each, under 30 regimes", async () => {
    const { entities } = await readList(hmtCsvReader, FULL);
    const count = (schema: string): number => entities.filter((e) => e.schema === schema).length;
    assert.equal(count("Person") + count("Organization") + count("Vessel"), 2114);
    assert.equal(count("Person"), 1523);
    assert.equal(count("Organization"), 591);
    const sanctions = entities.filter((e) => e.schema === "Sanction");
    assert.equal(sanctions.length, 2114);
    assert.equal(new Set(sanctions.flatMap((s) => s.properties.program ?? [])).size, 30);
    assert.equal(new Set(entities.map((e) => e.id)).size, entities.length);
    // Windows-1252 decoded: accented names, no replacement characters.
    const names = entities.flatMap((e) => [...(e.properties.name ?? []), ...(e.properties.alias ?? [])]);
    assert.ok(!names.some((n) => n.includes("\uFFFD")));
    assert.ok(names.some((n) => /[À-ÿ]/.test(n)));
  });

  it("groups the same rows whatever the memory budget (rows of a group are not adjacent)", async () => {
    const key = (gs: Group[]): string[] =>
      gs.map((g) => `${g.id}:${g.rows.map((r) => r.line).join(",")}`).sort();
    const whole = await groupsOf(FULL);
    const small = await groupsOf(FULL, 3000);
    assert.deepEqual(key(small), key(whole));
  });
});

describe("gb_hmt_sanctions: the excerpt", () => {
  it("has 23 rows in 6 groups", async () => {
    const groups = await groupsOf(EXCERPT);
    assert.equal(groups.length, 6);
    assert.equal(
      groups.reduce((n, g) => n + g.rows.length, 0),
      23,
    );
    assert.deepEqual(
      groups.map((g) => g.id),
      ["9053", "13063", "13754", "11039", "13017", "9215"],
    );
  });
});

describe("gb_hmt_sanctions: broken files", () => {
  const cases: [string, number | undefined, RegExp][] = [
    ["bad-group-id.csv", 4, /Group ID "12a4" is not a number/],
    ["missing-group-id.csv", 3, /no Group ID/],
    ["wrong-columns.csv", 4, /28 columns, the header 29/],
    ["truncated.csv", 5, /ends in the middle of a row/],
    ["truncated-group-id.csv", 5, /ends in the middle of a row/],
    ["unclosed-quote.csv", undefined, /not valid CSV/],
    ["empty.csv", undefined, /empty file/],
    ["no-rows.csv", undefined, /no rows/],
  ];
  for (const [name, line, message] of cases) {
    it(`${name} fails with file${line ? ` and line ${line}` : ""}, before any entity`, async () => {
      const files = await inputFiles([`${OWN}/${name}`]);
      const seen: Entity[] = [];
      await assert.rejects(
        (async () => {
          for await (const e of hmtCsvReader.read(files, {
            dataset: "gb_hmt_sanctions",
            issue: () => undefined,
          })) {
            seen.push(e as Entity);
          }
        })(),
        (e: unknown) => {
          assert.ok(e instanceof InterdictError);
          assert.equal(e.code, "INTERDICT_E_LIST_FORMAT");
          assert.equal(e.where.file, `${OWN}/${name}`);
          if (line) assert.equal(e.where.line, line);
          assert.match(e.message, message);
          return true;
        },
      );
      assert.equal(seen.length, 0);
    });
  }
});
