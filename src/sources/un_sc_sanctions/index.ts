// The UN Security Council consolidated list (dataset `un_sc_sanctions`), in its XML form
// (`consolidated.xml`, root CONSOLIDATED_LIST). Ids are `<dataset>:<REFERENCE_NUMBER>`.

import { mapRecords } from "../_map.js";
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
  read: (files, ctx) =>
    mapRecords(
      files,
      ctx,
      unRecords,
      ({ kind, node }, m) => mapRecord(kind, node, m),
      ({ node }) => node.line,
    ),
};

export const readers: Reader[] = [unXmlReader];
