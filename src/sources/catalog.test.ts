import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InterdictError } from "../errors.js";
import { CATALOG, datasetInfo, officialFiles } from "./catalog.js";

const SUPPORTED = [
  "us_ofac_sdn",
  "us_ofac_cons",
  "un_sc_sanctions",
  "gb_hmt_sanctions",
  "gb_fcdo_sanctions",
  "eu_fsf",
  "ca_dfatd_sema_sanctions",
  "au_dfat_sanctions",
  "opensanctions",
];

describe("catalog", () => {
  it("has one entry per supported dataset, in order", () => {
    assert.deepEqual(
      CATALOG.map((d) => d.name),
      SUPPORTED,
    );
  });

  for (const d of CATALOG) {
    it(`${d.name}: describes publisher, terms, cadence and https files`, () => {
      for (const field of ["title", "publisher", "authority", "homepage", "licence"] as const) {
        assert.ok(d[field].trim().length > 0, `${d.name}.${field}`);
      }
      assert.match(d.country, /^[a-z]{2}$/);
      assert.ok(["daily", "weekly", "as needed"].includes(d.cadence));
      assert.ok(d.distributions.length > 0);
      assert.equal(new Set(d.distributions.map((x) => x.id)).size, d.distributions.length);
      for (const dist of d.distributions) {
        assert.ok(dist.files.length > 0);
        for (const f of officialFiles(d, dist.id)) {
          assert.equal(new URL(f.url).protocol, "https:", f.url);
          assert.match(f.name, /^[\w.-]+$/);
        }
      }
    });
  }

  it("names the official files", () => {
    const table: [string, string | undefined, string[]][] = [
      ["us_ofac_sdn", undefined, ["SDN.CSV", "ADD.CSV", "ALT.CSV", "SDN_COMMENTS.CSV"]],
      ["us_ofac_sdn", "xml", ["sdn.xml"]],
      ["us_ofac_sdn", "advanced-xml", ["sdn_advanced.xml"]],
      ["us_ofac_cons", undefined, ["CONS_PRIM.CSV", "CONS_ADD.CSV", "CONS_ALT.CSV", "CONS_COMMENTS.CSV"]],
      ["un_sc_sanctions", undefined, ["consolidated.xml"]],
      ["gb_hmt_sanctions", undefined, ["ConList.csv"]],
      ["au_dfat_sanctions", undefined, ["regulation8_consolidated.xlsx"]],
      ["opensanctions", undefined, ["targets.simple.csv"]],
      ["opensanctions", "ftm", ["entities.ftm.json"]],
    ];
    for (const [name, dist, files] of table) {
      assert.deepEqual(
        officialFiles(datasetInfo(name), dist).map((f) => f.name),
        files,
        `${name} ${dist ?? ""}`,
      );
    }
    assert.equal(
      officialFiles(datasetInfo("us_ofac_sdn"))[0]?.url,
      "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.CSV",
    );
    assert.equal(
      officialFiles(datasetInfo("un_sc_sanctions"))[0]?.url,
      "https://scsanctions.un.org/resources/xml/en/consolidated.xml",
    );
  });

  it("fills URL parameters: the EU token and the OpenSanctions collection", () => {
    const eu = datasetInfo("eu_fsf");
    assert.match(officialFiles(eu)[0]!.url, /xmlFullSanctionsList_1_1\/content\?token=dG9rZW4tMjAxNw$/);
    assert.match(officialFiles(eu, undefined, { token: "mine" })[0]!.url, /token=mine$/);
    const os = datasetInfo("opensanctions");
    assert.equal(
      officialFiles(os, "ftm", { collection: "ua_war_sanctions" })[0]?.url,
      "https://data.opensanctions.org/datasets/latest/ua_war_sanctions/entities.ftm.json",
    );
  });

  it("marks the retired OFSI list", () => {
    assert.equal(datasetInfo("gb_hmt_sanctions").retired, "2026-01-28");
    assert.equal(datasetInfo("gb_fcdo_sanctions").retired, undefined);
  });

  it("refuses an unknown dataset, naming the known ones", () => {
    assert.throws(
      () => datasetInfo("us_ofac_xyz"),
      (e: unknown) =>
        e instanceof InterdictError &&
        e.code === "INTERDICT_E_UNKNOWN_DATASET" &&
        e.message.includes("us_ofac_xyz") &&
        SUPPORTED.every((n) => e.message.includes(n)),
    );
  });

  it("refuses an unknown distribution", () => {
    assert.throws(
      () => officialFiles(datasetInfo("un_sc_sanctions"), "csv"),
      (e: unknown) =>
        e instanceof InterdictError && e.code === "INTERDICT_E_USAGE" && /has xml/.test(e.message),
    );
  });
});
