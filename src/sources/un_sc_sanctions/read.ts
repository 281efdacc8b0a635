// Reads the UN Security Council consolidated list XML (`consolidated.xml`, sc-sanctions.xsd) as
// a stream of INDIVIDUAL and ENTITY records, checking the document's shape on the way: a record
// anywhere but under CONSOLIDATED_LIST/INDIVIDUALS or /ENTITIES means the file is not this list.

import { InterdictError } from "../../errors.js";
import { rootElement, type XmlNode, xmlRecords } from "../_xml.js";
import type { InputFile } from "../types.js";

export const ROOT = "CONSOLIDATED_LIST";

const PARENT = { INDIVIDUAL: "INDIVIDUALS", ENTITY: "ENTITIES" } as const;
const TAGS: ReadonlySet<string> = new Set(Object.keys(PARENT));

export type UnKind = keyof typeof PARENT;

export interface UnRecord {
  readonly kind: UnKind;
  readonly node: XmlNode;
}

export async function* unRecords(
  file: InputFile,
  onProgress?: (bytes: number) => void,
): AsyncGenerator<UnRecord> {
  let count = 0;
  for await (const { node, path } of xmlRecords(file, TAGS, onProgress)) {
    const kind = node.name as UnKind;
    if (path.length !== 2 || path[0] !== ROOT || path[1] !== PARENT[kind]) {
      throw new InterdictError(
        "INTERDICT_E_LIST_FORMAT",
        `<${kind}> found under ${path.join("/") || "the document root"}, expected ${ROOT}/${PARENT[kind]}`,
        { file: file.path, line: node.line },
      );
    }
    count++;
    yield { kind, node };
  }
  if (count === 0) {
    throw new InterdictError(
      "INTERDICT_E_LIST_FORMAT",
      `no INDIVIDUAL or ENTITY records: not a UN consolidated list (root <${rootElement(file.head) ?? "?"}>)`,
      { file: file.path },
    );
  }
}
