// End to end through `ingest` with a real SQLite store: good lists become versions; bad input
// of every kind is refused with a message naming the file, and the current version survives.

import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { InterdictError } from "../src/errors.js";
import { ingest } from "../src/ingest/ingest.js";
import { SqliteStore } from "../src/store/sqlite.js";
import { makeZip } from "./_zip.js";

const DATA = "../shared/data";
const EU = `${DATA}/lists/eu_fsf/2026-05-01/entities.ftm.json`;
const T1 = `${DATA}/fixtures/opensanctions/ftm/t1/entities.ftm.json`;
const tmp = mkdtempSync(join(tmpdir(), "interdict-ingest-"));

async function rejects(p: Promise<unknown>, code: string, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof InterdictError, `expected InterdictError, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.match(e.message, pattern);
    return true;
  });
}

describe("ingest: good lists", () => {
  let store: SqliteStore;
  before(() => {
    store = new SqliteStore(":memory:");
  });
  after(() => store.close());

  it("reads a full FtM list, infers the dataset from its ids, keeps the version label from the folder", async () => {
    const [r] = await ingest(store, [EU]);
    assert.equal(r?.dataset, "eu_fsf");
    assert.equal(r?.version.version, "2026-05-01");
    assert.deepEqual(r?.version.counts, { Sanction: 5860, Person: 4341, Organization: 1519 });
    const hr = await store.getEntity("eu_fsf:13");
    assert.equal(hr?.properties.name?.[0], "Saddam Hussein Al-Tikriti");
    assert.equal(r?.version.meta.format, "ftm-json");
    const files = r?.version.meta.files as { sha256: string }[];
    assert.match(files[0]?.sha256 ?? "", /^[0-9a-f]{64}$/);
  });

  it("--dataset names the dataset whatever the format", async () => {
    const [r] = await ingest(store, [T1], { dataset: "my_list" });
    assert.equal(r?.dataset, "my_list");
    assert.equal(r?.version.entityCount, 7);
    assert.ok(await store.getEntity("my_list:NK-2GdmHtZTeNXjNVrBGEXZNj"));
  });

  it("applies OpenSanctions delta files in order, one version each", async () => {
    await ingest(store, [T1]);
    const dir = `${DATA}/fixtures/opensanctions/ftm/t2`;
    const deltas = [
      "20240527134702-zbn",
      "20240527194702-wnk",
      "20240528014702-pfh",
      "20240528074703-npf",
      "20240528134729-3iv",
    ].map((v) => `${dir}/${v}/entities.delta.json`);
    const results = await ingest(store, deltas);
    const viaIndex = await ingest(store, [dir], { dataset: "opensanctions" });
    assert.deepEqual(
      viaIndex.map((r) => r.version.version),
      deltas.map((d) => d.split("/").at(-2)),
      "a folder with only delta.json applies the versions it lists, in order",
    );
    assert.deepEqual(
      results.map((r) => [r.version.version, r.summary.added, r.summary.removed, r.summary.changed]),
      [
        ["20240527134702-zbn", 0, 0, 0],
        ["20240527194702-wnk", 2, 0, 0],
        ["20240528014702-pfh", 1, 0, 1],
        ["20240528074703-npf", 0, 1, 0],
        ["20240528134729-3iv", 1, 0, 0],
      ],
    );
    assert.equal(await store.getEntity("opensanctions:NK-500Poltergeist"), undefined, "deleted by npf");
    assert.ok(await store.getEntity("opensanctions:Q4365364"), "added by 3iv");
  });
});

describe("ingest: bad input is refused and the current version survives", () => {
  let store: SqliteStore;
  let currentId: number;
  before(async () => {
    store = new SqliteStore(":memory:");
    const [r] = await ingest(store, [EU]);
    currentId = r?.version.id ?? -1;
  });
  after(() => store.close());

  const file = (name: string, content: string | Buffer): string => {
    const dir = mkdtempSync(join(tmp, "case-"));
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };

  const cases: [string, () => string, string, RegExp][] = [
    ["an empty file", () => file("empty.json", ""), "INTERDICT_E_LIST_FORMAT", /empty\.json: empty file/],
    [
      "a file of no list format",
      () => file("notes.txt", "Dear colleagues, please find attached…"),
      "INTERDICT_E_UNKNOWN_FORMAT",
      /notes\.txt: not a list format Interdict reads/,
    ],
    [
      "a truncated FtM file (cut mid-line)",
      () => {
        const text = readFileSync(EU, "utf8");
        return file("entities.ftm.json", text.slice(0, Math.floor(text.length / 2)));
      },
      "INTERDICT_E_LIST_FORMAT",
      /entities\.ftm\.json:\d+: not a JSON object/,
    ],
    [
      "an entity without a schema",
      () =>
        file(
          "entities.ftm.json",
          '{"id": "eu_fsf:1", "schema": "Person", "properties": {}}\n{"id": "eu_fsf:2", "properties": {}}\n',
        ),
      "INTERDICT_E_LIST_FORMAT",
      /entities\.ftm\.json:2, record eu_fsf:2: entity has no schema/,
    ],
    [
      "a zip entry declaring an absurd inflated size (zip bomb)",
      () =>
        file("bomb.zip", makeZip([{ name: "sdn.xml", data: Buffer.from("<a/>"), declaredSize: 0xfffffff0 }])),
      "INTERDICT_E_LIMIT",
      /bomb\.zip!sdn\.xml: archive entry inflates to \d+ bytes/,
    ],
    [
      "a zip entry compressed a thousand to one (zip bomb)",
      () => file("bomb.zip", makeZip([{ name: "sdn.xml", data: Buffer.alloc(20 * 1024 * 1024, 0x20) }])),
      "INTERDICT_E_LIMIT",
      /bomb\.zip!sdn\.xml: archive entry compresses \d+:1/,
    ],
    [
      "OFAC's 2019 CSV set with junk rows injected",
      () => `${DATA}/fixtures/us_ofac_sdn/corrupt`,
      "INTERDICT_E_LIST_FORMAT",
      /corrupt\/ADD\.CSV:11697: /,
    ],
    [
      "a UN list with 6 unescaped &",
      () => `${DATA}/fixtures/un_sc_sanctions/malformed-2024-10-16/consolidated.xml`,
      "INTERDICT_E_LIST_FORMAT",
      /consolidated\.xml:39788: not well-formed XML: unescaped "&"/,
    ],
    [
      "a truncated UN list",
      () => {
        const text = readFileSync(`${DATA}/lists/un_sc_sanctions/2026-02-27/consolidated.xml`, "utf8");
        return file("consolidated.xml", text.slice(0, Math.floor(text.length / 2)));
      },
      "INTERDICT_E_LIST_FORMAT",
      /consolidated\.xml:\d+: .*(truncated|ends inside)/,
    ],
    [
      "XML with an external entity (XXE)",
      () =>
        file(
          "consolidated.xml",
          '<?xml version="1.0"?>\n<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&xxe;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>\n',
        ),
      "INTERDICT_E_LIST_FORMAT",
      /consolidated\.xml:\d+: XML with a DOCTYPE is refused/,
    ],
    [
      "XML with a billion laughs",
      () =>
        file(
          "sdn.xml",
          `<?xml version="1.0"?>\n<!DOCTYPE sdnList [<!ENTITY a "lol">${[..."bcdefghij"].map((c, i) => `<!ENTITY ${c} "${`&${"abcdefghij"[i]};`.repeat(10)}">`).join("")}]>\n<sdnList xmlns="http://tempuri.org/sdnList.xsd"><sdnEntry><uid>1</uid><lastName>&j;</lastName></sdnEntry></sdnList>\n`,
        ),
      "INTERDICT_E_LIST_FORMAT",
      /sdn\.xml:\d+: XML with a DOCTYPE is refused/,
    ],
    [
      "a zip that is not a zip",
      () => file("broken.zip", Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100)])),
      "INTERDICT_E_LIST_FORMAT",
      /broken\.zip: not a readable zip archive/,
    ],
  ];
  for (const [what, make, code, pattern] of cases) {
    it(`${what}: ${code}`, async () => {
      await rejects(ingest(store, [make()], { dataset: "eu_fsf" }), code, pattern);
      assert.equal((await store.currentVersion("eu_fsf"))?.id, currentId);
      assert.equal((await store.currentVersion("eu_fsf"))?.entityCount, 11720);
    });
  }

  it("a version that would remove over 20 % is held back unless --force", async () => {
    const lines = readFileSync(EU, "utf8").split("\n");
    const truncated = file("entities.ftm.json", lines.slice(0, Math.floor(lines.length / 2)).join("\n"));
    await rejects(
      ingest(store, [truncated], { dataset: "eu_fsf" }),
      "INTERDICT_E_SUSPECT_VERSION",
      /held back as suspect: it would remove 5860 of 11720 entities \(50\.0 %/,
    );
    assert.equal((await store.currentVersion("eu_fsf"))?.id, currentId);
    const held = (await store.versions("eu_fsf")).filter((v) => v.status === "held");
    assert.equal(held.length, 1);
    const [r] = await ingest(store, [truncated], { dataset: "eu_fsf", force: true });
    assert.equal(r?.version.entityCount, 5860);
    assert.equal((await store.currentVersion("eu_fsf"))?.id, r?.version.id);
  });

  it("a delta with nothing to apply to is refused", async () => {
    const delta = `${DATA}/fixtures/opensanctions/ftm/t2/20240527194702-wnk/entities.delta.json`;
    await rejects(
      ingest(store, [delta], { dataset: "fresh" }),
      "INTERDICT_E_USAGE",
      /ingest a full export first/,
    );
  });

  it("an unknown dataset name shape is refused", async () => {
    await rejects(
      ingest(store, [EU], { dataset: "Bad Name" }),
      "INTERDICT_E_UNKNOWN_DATASET",
      /not a dataset name/,
    );
  });

  it("a folder of files in two formats for one dataset is refused", async () => {
    const dir = mkdtempSync(join(tmp, "mixed-"));
    mkdirSync(dir, { recursive: true });
    copyFileSync(T1, join(dir, "entities.ftm.json"));
    copyFileSync(
      `${DATA}/fixtures/opensanctions/ftm/t2/20240527194702-wnk/entities.delta.json`,
      join(dir, "entities.delta.json"),
    );
    await rejects(ingest(store, [dir], { dataset: "opensanctions" }), "INTERDICT_E_USAGE", /several formats/);
  });
});
