// Reads the EU Financial Sanctions File XML 1.1 (schema_1_1.xsd: root `export`, one
// `sanctionEntity` per listed subject) as a stream of records, checking the document's shape:
// a sanctionEntity anywhere but directly under `export` means the file is not this list.

import { InterdictError } from "../../errors.js";
import { rootElement, type XmlNode, xmlRecords } from "../_xml.js";
import type { InputFile } from "../types.js";

export const ROOT = "export";
/** The FSF's XML namespace, which tells its `export` from any other. */
export const NAMESPACE = "http://eu.europa.ec/fpi/fsd/export";
const TAGS: ReadonlySet<string> = new Set(["sanctionEntity"]);

export async function* fsfRecords(
  file: InputFile,
  onProgress?: (bytes: number) => void,
): AsyncGenerator<XmlNode> {
  let count = 0;
  for await (const { node, path } of xmlRecords(file, TAGS, onProgress)) {
    if (path.length !== 1 || path[0] !== ROOT) {
      throw new InterdictError(
        "INTERDICT_E_LIST_FORMAT",
        `<sanctionEntity> found under ${path.join("/") || "the document root"}, expected directly under <${ROOT}>`,
        { file: file.path, line: node.line },
      );
    }
    count++;
    yield node;
  }
  if (count === 0) {
    throw new InterdictError(
      "INTERDICT_E_LIST_FORMAT",
      `no sanctionEntity records: not an EU Financial Sanctions File (root <${rootElement(file.head) ?? "?"}>)`,
      { file: file.path },
    );
  }
}
