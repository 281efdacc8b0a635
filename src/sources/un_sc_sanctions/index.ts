// The UN Security Council consolidated list (dataset `un_sc_sanctions`), in its XML form
// (`consolidated.xml`, root CONSOLIDATED_LIST). Ids are `<dataset>:<REFERENCE_NUMBER>`.

import { rootElement } from "../_xml.js";
import type { Reader } from "../types.js";
import { mapRecord } from "./map.js";
import { ROOT, unRecords } from "./read.js";

export const unXmlReader: Reader = {
  format: "un-xml",
  description: "UN Security Council consolidated list XML (sc-sanctions.xsd)",
  kind: "full",
  datasets: ["un_sc_sanctions"],
  detect(file) {
    return rootElement(file.head) === ROOT ? { dataset: "un_sc_sanctions" } : undefined;
  },
  async *read(files, ctx) {
    const seen = new Set<string>();
    for (const file of files) {
      const mapCtx = { dataset: ctx.dataset, file: file.path, issue: ctx.issue.bind(ctx) };
      for await (const { kind, node } of unRecords(file, ctx.progress?.bind(ctx))) {
        const entities = mapRecord(kind, node, mapCtx);
        const id = entities[0].id;
        if (seen.has(id)) {
          // The store merges entities with one id; the list should not repeat a reference.
          ctx.issue({
            code: "duplicate_id",
            message: `${id} is listed twice; the two records are merged`,
            file: file.path,
            line: node.line,
            record: id,
          });
        }
        seen.add(id);
        yield* entities;
      }
    }
  },
};

export const readers: Reader[] = [unXmlReader];
