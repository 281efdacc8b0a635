// The EU consolidated financial sanctions list (dataset `eu_fsf`) in its official XML form, the
// Financial Sanctions File 1.1 (root `export`). Ids are `<dataset>:<logicalId>`.

import { mapRecords } from "../_map.js";
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
  read: (files, ctx) => mapRecords(files, ctx, fsfRecords, mapRecord, (node) => node.line),
};

export const readers: Reader[] = [fsfXmlReader];
