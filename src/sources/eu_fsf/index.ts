// The EU consolidated financial sanctions list (dataset `eu_fsf`) in its official XML form, the
// Financial Sanctions File 1.1 (root `export`). Ids are `<dataset>:<logicalId>`.

import { rootElement } from "../_xml.js";
import type { Reader } from "../types.js";
import { mapRecord } from "./map.js";
import { fsfRecords, NAMESPACE, ROOT } from "./read.js";

export const fsfXmlReader: Reader = {
  format: "eu-fsf-xml",
  description: "EU Financial Sanctions File XML 1.1 (schema_1_1.xsd)",
  kind: "full",
  datasets: ["eu_fsf"],
  detect(file) {
    if (rootElement(file.head) !== ROOT) return undefined;
    // `export` alone is too common a root: the namespace or a first record must say FSF.
    const text = file.head.toString("utf8");
    return text.includes(NAMESPACE) || text.includes("<sanctionEntity") ? { dataset: "eu_fsf" } : undefined;
  },
  async *read(files, ctx) {
    const seen = new Set<string>();
    for (const file of files) {
      const mapCtx = { dataset: ctx.dataset, file: file.path, issue: ctx.issue.bind(ctx) };
      for await (const node of fsfRecords(file, ctx.progress?.bind(ctx))) {
        const entities = mapRecord(node, mapCtx);
        const id = entities[0].id;
        if (seen.has(id)) {
          // The store merges entities with one id; the list should not repeat a logicalId.
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

export const readers: Reader[] = [fsfXmlReader];
