import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { inputFiles } from "../_input.js";
import { readList, refusal } from "../_testing.js";
import { fcdoXmlReader } from "./index.js";

const EXCERPT = "../shared/data/fixtures/gb_fcdo_sanctions/excerpt/UK_Sanctions_List.xml";
const OWN = "src/sources/gb_fcdo_sanctions/fixtures";

describe("gb_fcdo_sanctions: detection", () => {
  const cases: [string, string | undefined][] = [
    [EXCERPT, "gb_fcdo_sanctions"],
    [`${OWN}/links.xml`, "gb_fcdo_sanctions"],
    [`${OWN}/doctype.xml`, "gb_fcdo_sanctions"],
    [`${OWN}/wrong-root.xml`, undefined],
    [`${OWN}/empty.xml`, undefined],
    ["../shared/data/fixtures/un_sc_sanctions/excerpt-2026/consolidated.xml", undefined],
    ["../shared/data/fixtures/gb_hmt_sanctions/excerpt/ConList.csv", undefined],
  ];
  for (const [path, dataset] of cases) {
    it(`${path.split("/").slice(-2).join("/")} → ${dataset}`, async () => {
      const [file] = await inputFiles([path]);
      assert.equal(fcdoXmlReader.detect(file!)?.dataset, dataset);
    });
  }
});

describe("gb_fcdo_sanctions: broken files", () => {
  const cases: [string, number | undefined, RegExp][] = [
    ["truncated.xml", 19, /truncated|not well-formed/],
    ["doctype.xml", 2, /DOCTYPE is refused/],
    ["no-unique-id.xml", 29, /Designation without a UniqueID/],
    ["duplicate-unique-id.xml", 40, /TST0001 appears twice/],
    ["no-name.xml", 29, /Designation without a name/],
    ["wrong-root.xml", 5, /not <Designations>/],
    ["empty.xml", undefined, /root element/],
    ["no-designations.xml", undefined, /no <Designation>/],
  ];
  for (const [name, line, message] of cases) {
    it(`${name} fails with file${line ? ` and line ${line}` : ""}`, async () => {
      const e = await refusal(fcdoXmlReader, `${OWN}/${name}`);
      assert.equal(e.where.file, `${OWN}/${name}`);
      if (line) assert.equal(e.where.line, line);
      assert.match(e.message, message);
    });
  }
});

describe("gb_fcdo_sanctions: a list of full size", () => {
  it("reads 6,349 designations (the size of the 2026 list)", async () => {
    // No official XML of the full list is in the shared data (only an FtM conversion), so the
    // excerpt's five designations are repeated under new UniqueIDs to the list's size.
    const text = readFileSync(EXCERPT, "utf8");
    const designations = text.match(/<Designation>[\s\S]*?<\/Designation>/g) ?? [];
    assert.equal(designations.length, 5);
    const parts: string[] = ['<?xml version="1.0" encoding="utf-8"?>\n<Designations>\n'];
    for (let i = 0; i < 6349; i++) {
      const d = designations[i % 5] ?? "";
      parts.push(d.replace(/<UniqueID>[^<]*<\/UniqueID>/, `<UniqueID>SYN${i}</UniqueID>`), "\n");
    }
    parts.push("</Designations>\n");
    const path = join(mkdtempSync(join(tmpdir(), "interdict-fcdo-")), "UK_Sanctions_List.xml");
    writeFileSync(path, parts.join(""));

    const { entities } = await readList(fcdoXmlReader, path);
    assert.equal(entities.filter((e) => e.target).length, 6349);
    // Each subject with its Sanction, addresses and documents; the repeated parents and owners
    // name no listed subject, so there is no Ownership link.
    assert.equal(entities.length, 20318);
  });
});
