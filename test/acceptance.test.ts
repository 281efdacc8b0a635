// The foundation's acceptance on real lists: every list version in ../shared/data/lists
// ingests with the counts its publisher's file holds, and a real update diffs as it happened.

import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ingest } from "../src/ingest/ingest.js";
import { getSchema } from "../src/model/schema.js";
import { SqliteStore } from "../src/store/sqlite.js";
import type { Change } from "../src/store/store.js";

const LISTS = "../shared/data/lists";

/** Listed subjects (the target schemata) in the newest version of each dataset. */
const SUBJECTS: Record<string, number> = {
  us_ofac_sdn: 14965,
  us_ofac_cons: 442,
  un_sc_sanctions: 1003,
  gb_hmt_sanctions: 2114,
  gb_fcdo_sanctions: 6349,
  eu_fsf: 5860,
  ca_dfatd_sema_sanctions: 5690,
  au_dfat_sanctions: 3062,
  opensanctions: 5600,
};
const TARGETS = ["Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane"];

describe("acceptance: every list version ingests", () => {
  const store = new SqliteStore(":memory:");
  after(() => store.close());

  for (const dataset of readdirSync(LISTS).sort()) {
    const versions = readdirSync(join(LISTS, dataset)).sort();
    for (const version of versions) {
      it(`${dataset} ${version}`, async () => {
        const [r] = await ingest(store, [join(LISTS, dataset, version)], { force: true });
        assert.equal(r?.dataset, dataset);
        assert.equal(r?.version.version, version);
        if (version === versions.at(-1)) {
          const subjects = TARGETS.reduce((n, s) => n + (r?.version.counts[s] ?? 0), 0);
          assert.equal(subjects, SUBJECTS[dataset], JSON.stringify(r?.version.counts));
          assert.ok((r?.version.counts.Sanction ?? 0) >= subjects, "a Sanction for every listed subject");
        }
      });
    }
  }

  it("no entity refers to one its version does not hold", async () => {
    const dangling: string[] = [];
    for (const { name } of await store.datasets()) {
      const ids = new Set<string>();
      const refs: [string, string][] = [];
      for await (const e of store.entities(name)) {
        ids.add(e.id);
        const schema = getSchema(e.schema);
        for (const [prop, values] of Object.entries(e.properties)) {
          if (schema?.properties.get(prop)?.type !== "entity") continue;
          for (const v of values) refs.push([`${e.id}.${prop}`, v]);
        }
      }
      for (const [from, to] of refs) if (!ids.has(to)) dangling.push(`${from} → ${to}`);
    }
    assert.deepEqual(dangling.slice(0, 10), []);
  });

  it("us_ofac_sdn:15880 is Pavel Karpov under MAGNIT", async () => {
    const karpov = await store.getEntity("us_ofac_sdn:15880");
    assert.equal(karpov?.schema, "Person");
    assert.deepEqual(karpov?.properties.name, ["KARPOV, Pavel"]);
    assert.deepEqual(karpov?.properties.birthDate, ["1977-08-27"]);
    assert.match(karpov?.properties.birthPlace?.[0] ?? "", /^Moscow/);
    const sanction = await store.getEntity("us_ofac_sdn:15880-sanction");
    assert.deepEqual(sanction?.properties.program, ["MAGNIT"]);
    assert.deepEqual(sanction?.properties.entity, ["us_ofac_sdn:15880"]);
  });
});

describe("acceptance: every real excerpt in fixtures/ ingests", () => {
  const FIXTURES = "../shared/data/fixtures";
  const cases: [string, string, string, number][] = [
    ["us_ofac_sdn/csv-excerpt", "us_ofac_sdn", "ofac-csv", 17],
    ["us_ofac_sdn/xml-excerpt/sdn.xml", "us_ofac_sdn", "ofac-xml", 8],
    ["us_ofac_sdn/xml-excerpt/sdn_xml.zip", "us_ofac_sdn", "ofac-xml", 8],
    ["us_ofac_sdn/advanced-xml-excerpt", "us_ofac_sdn", "ofac-advanced-xml", 4],
    ["un_sc_sanctions/excerpt-2024", "un_sc_sanctions", "un-xml", 7],
    ["un_sc_sanctions/excerpt-2026", "un_sc_sanctions", "un-xml", 7],
    ["gb_hmt_sanctions/excerpt", "gb_hmt_sanctions", "gb-hmt-csv", 6],
    ["gb_fcdo_sanctions/excerpt", "gb_fcdo_sanctions", "gb-fcdo-xml", 5],
    // Seven records, two with the same logicalId (a planted test entry): merged into one.
    ["eu_fsf/excerpt-2020-04-15", "eu_fsf", "eu-fsf-xml", 6],
    ["eu_fsf/excerpt-2020-04-24", "eu_fsf", "eu-fsf-xml", 7],
    ["eu_fsf/excerpt-2026", "eu_fsf", "eu-fsf-xml", 5],
    ["opensanctions/ftm/t1", "opensanctions", "ftm-json", 6],
    ["opensanctions/ftm/zala", "opensanctions", "ftm-json", 17],
  ];
  for (const [path, dataset, format, subjects] of cases) {
    it(`${path}: ${subjects} listed subjects, dataset and format from the content`, async () => {
      const store = new SqliteStore(":memory:");
      const [r] = await ingest(store, [join(FIXTURES, path)]);
      await store.close();
      assert.equal(r?.dataset, dataset);
      assert.equal(r?.format, format);
      const count = TARGETS.reduce((n, s) => n + (r?.version.counts[s] ?? 0), 0);
      assert.equal(count, subjects, JSON.stringify(r?.version.counts));
    });
  }
});

describe("acceptance: the March 2022 Russia designations", () => {
  const store = new SqliteStore(":memory:");
  let changes: Change[] = [];
  before(async () => {
    const [a] = await ingest(store, [`${LISTS}/us_ofac_sdn/2022-02-17`]);
    const [b] = await ingest(store, [`${LISTS}/us_ofac_sdn/2022-03-15`]);
    for await (const c of store.diff(a?.version.id ?? 0, b?.version.id ?? 0)) changes.push(c);
    changes = changes.filter((c) => TARGETS.includes(c.schema));
  });
  after(() => store.close());

  it("adds 321 entries (9,056 → 9,377), removes none", () => {
    assert.equal(changes.filter((c) => c.change === "added").length, 321);
    assert.equal(changes.filter((c) => c.change === "removed").length, 0);
  });

  it("the additions are the real ones: Putin, Lavrov, Usmanov, VTB Bank", async () => {
    const added = new Set(changes.filter((c) => c.change === "added").map((c) => c.id));
    for (const [id, name] of [
      ["us_ofac_sdn:35096", "PUTIN, Vladimir Vladimirovich"],
      ["us_ofac_sdn:35233", "LAVROV, Sergei Viktorovich"],
      ["us_ofac_sdn:35283", "USMANOV, Alisher Burhanovich"],
      ["us_ofac_sdn:17013", "VTB BANK PUBLIC JOINT STOCK COMPANY"],
    ]) {
      assert.ok(added.has(id ?? ""), `${id} added`);
      assert.equal((await store.getEntity(id ?? ""))?.properties.name?.[0], name);
    }
  });

  it("entries designated before and amended in March are changed, not added", () => {
    const rotenberg = changes.find((c) => c.id === "us_ofac_sdn:16669");
    assert.equal(rotenberg?.change, "changed");
  });
});
