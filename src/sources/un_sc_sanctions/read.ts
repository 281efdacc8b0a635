// Reads the UN Security Council consolidated list XML (`consolidated.xml`, sc-sanctions.xsd) as
// a stream of INDIVIDUAL and ENTITY records, checking the document's shape on the way: a record
// anywhere but under CONSOLIDATED_LIST/INDIVIDUALS or /ENTITIES means the file is not this list.

import { createInterface } from "node:readline";
import { InterdictError } from "../../errors.js";
import { type XmlNode, xmlRecords } from "../_xml.js";
import type { InputFile } from "../types.js";

export const ROOT = "CONSOLIDATED_LIST";

const PARENT = { INDIVIDUAL: "INDIVIDUALS", ENTITY: "ENTITIES" } as const;
const TAGS: ReadonlySet<string> = new Set(Object.keys(PARENT));

export type UnKind = keyof typeof PARENT;

export interface UnRecord {
  readonly kind: UnKind;
  readonly node: XmlNode;
}

/** The name of the document element, from the first bytes (declaration and comments skipped). */
export function rootElement(head: Buffer): string | undefined {
  const text = head
    .toString("utf8")
    .replace(/^\uFEFF/, "")
    .replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g, "");
  const name = text.match(/<([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)[\s/>]/)?.[1];
  return name?.slice(name.indexOf(":") + 1);
}

/** A `&` that starts no entity or character reference. */
const BARE_AMPERSAND = /&(?![A-Za-z_][\w.-]*;|#\d+;|#x[0-9A-Fa-f]+;)/;

/**
 * The line and column of the first bare `&` up to line `limit`. The XML parser only notices a
 * bare `&` at the next `;`, which can be thousands of lines on; the UN has published such
 * files, so the error should point at the `&` itself.
 */
async function bareAmpersand(
  file: InputFile,
  limit: number,
): Promise<{ line: number; column: number } | undefined> {
  const lines = createInterface({ input: file.open(), crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  try {
    for await (const text of lines) {
      if (++line > limit) return undefined;
      const at = text.search(BARE_AMPERSAND);
      if (at >= 0) return { line, column: at + 1 };
    }
  } finally {
    lines.close();
  }
  return undefined;
}

export async function* unRecords(
  file: InputFile,
  onProgress?: (bytes: number) => void,
): AsyncGenerator<UnRecord> {
  let count = 0;
  try {
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
  } catch (e) {
    if (e instanceof InterdictError && e.where.line && e.message.includes("not well-formed XML")) {
      const amp = await bareAmpersand(file, e.where.line);
      if (amp) {
        throw new InterdictError(
          "INTERDICT_E_LIST_FORMAT",
          `not well-formed XML: unescaped "&" at column ${amp.column} (it must be written &amp;)`,
          { file: file.path, line: amp.line },
        );
      }
    }
    throw e;
  }
  if (count === 0) {
    throw new InterdictError(
      "INTERDICT_E_LIST_FORMAT",
      `no INDIVIDUAL or ENTITY records: not a UN consolidated list (root <${rootElement(file.head) ?? "?"}>)`,
      { file: file.path },
    );
  }
}
