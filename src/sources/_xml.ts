// Streaming XML for list files: saxes reads the bytes; each element named as a record is built
// into a small tree and handed out whole, so memory stays flat however large the list.
// A DOCTYPE is refused outright: no list needs one, and it is how XXE and "billion laughs"
// attacks begin. Errors carry the file and line.

import { createInterface } from "node:readline";
import { SaxesParser } from "saxes";
import { InterdictError } from "../errors.js";
import type { InputFile } from "./types.js";

export interface XmlNode {
  /** Local name, namespace prefix stripped. */
  readonly name: string;
  readonly attrs: Record<string, string>;
  readonly children: XmlNode[];
  /** Text directly inside this element, whitespace-trimmed. */
  text: string;
  /** Line where the element starts. */
  readonly line: number;
}

export interface XmlRecord {
  readonly node: XmlNode;
  /** Names of the enclosing elements, outermost first. */
  readonly path: readonly string[];
}

const localName = (name: string): string => name.slice(name.indexOf(":") + 1);

/**
 * A copy of a string that holds none of the chunk it was cut from. V8 keeps substrings as views
 * into their parent, so a short name kept until the end of a list would pin the whole 64 KiB
 * block of XML text it came from.
 */
const own = (s: string): string => (s.length > 12 ? ` ${s}`.slice(1) : s);

/**
 * Yields every element whose local name is in `tags`, as a whole subtree, in document order.
 * Records do not nest: inside a record, a tag of the set is an ordinary child.
 */
export async function* xmlRecords(
  file: InputFile,
  tags: ReadonlySet<string>,
  onProgress?: (bytes: number) => void,
): AsyncGenerator<XmlRecord> {
  try {
    yield* parseRecords(file, tags, onProgress);
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
}

/** A `&` that starts no entity or character reference. */
const BARE_AMPERSAND = /&(?![A-Za-z_][\w.-]*;|#\d+;|#x[0-9A-Fa-f]+;)/;

/**
 * The line and column of the first bare `&` up to line `limit`. The XML parser only notices a
 * bare `&` at the next `;`, which can be thousands of lines on; publishers (the UN) have issued
 * such files, so the error should point at the `&` itself.
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

async function* parseRecords(
  file: InputFile,
  tags: ReadonlySet<string>,
  onProgress?: (bytes: number) => void,
): AsyncGenerator<XmlRecord> {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const stack: string[] = [];
  const open: XmlNode[] = [];
  const ready: XmlRecord[] = [];
  let recordDepth = -1;
  let sawRoot = false;
  let failure: Error | undefined;
  let ended = false;
  const fail = (message: string): InterdictError =>
    new InterdictError("INTERDICT_E_LIST_FORMAT", message, { file: file.path, line: parser.line });

  parser.on("doctype", () => {
    failure ??= fail(
      "XML with a DOCTYPE is refused (entity declarations are how XXE and billion-laughs attacks work)",
    );
  });
  parser.on("error", (e) => {
    const what = e.message.replace(/^(?:.*?:)?\d+:\d+: /, "");
    // At the end of input, an open element means the file was cut short.
    const cut = ended && /unclosed tag/.test(what) ? " (the file ends before it closes: truncated?)" : "";
    failure ??= fail(`not well-formed XML: ${what}${cut}`);
  });
  parser.on("opentag", (tag) => {
    sawRoot = true;
    const name = localName(tag.name);
    if (recordDepth < 0 && tags.has(name)) recordDepth = stack.length;
    if (recordDepth >= 0) {
      const attrs: Record<string, string> = {};
      for (const [k, v] of Object.entries(tag.attributes)) attrs[localName(k)] = own(String(v));
      const node: XmlNode = { name, attrs, children: [], text: "", line: parser.line };
      open.at(-1)?.children.push(node);
      open.push(node);
    }
    stack.push(name);
  });
  parser.on("text", (t) => {
    const node = open.at(-1);
    if (node) node.text += t;
  });
  parser.on("cdata", (t) => {
    const node = open.at(-1);
    if (node) node.text += t;
  });
  parser.on("closetag", () => {
    stack.pop();
    if (recordDepth < 0) return;
    const node = open.pop();
    if (node) node.text = own(node.text.trim());
    if (stack.length === recordDepth && node) {
      ready.push({ node, path: [...stack] });
      recordDepth = -1;
    }
  });

  let bytes = 0;
  const decoder = new TextDecoder("utf-8", { fatal: false });
  for await (const chunk of file.open()) {
    bytes += (chunk as Buffer).length;
    parser.write(decoder.decode(chunk as Buffer, { stream: true }));
    if (failure) throw failure;
    yield* ready.splice(0);
    onProgress?.(bytes);
  }
  parser.write(decoder.decode());
  ended = true;
  parser.close();
  if (failure) throw failure;
  if (!sawRoot) throw fail("no XML element found (empty or not XML)");
  if (stack.length > 0) throw fail(`file ends inside <${stack.at(-1)}> (truncated?)`);
  yield* ready.splice(0);
}

/** The first child with that local name. */
export function child(node: XmlNode, name: string): XmlNode | undefined {
  return node.children.find((c) => c.name === name);
}

export function children(node: XmlNode, name: string): XmlNode[] {
  return node.children.filter((c) => c.name === name);
}

/** Text of the first child of that name, or undefined when missing or empty. */
export function childText(node: XmlNode, name: string): string | undefined {
  const t = child(node, name)?.text;
  return t ? t : undefined;
}

/** Text of every descendant along a path of names: `texts(n, "ALIASES", "ALIAS", "NAME")`. */
export function texts(node: XmlNode, ...path: string[]): string[] {
  let level: XmlNode[] = [node];
  for (const name of path) level = level.flatMap((n) => children(n, name));
  return level.map((n) => n.text).filter((t) => t.length > 0);
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

/**
 * A record as plain JSON, to keep as the entity's source: attributes and children by name,
 * repeated children as arrays, text alone as a string, empty elements left out.
 */
export function plain(node: XmlNode): unknown {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node.attrs)) if (v !== "") out[k] = v;
  for (const c of node.children) {
    const v = plain(c);
    if (v === undefined) continue;
    const prev = out[c.name];
    // plain() never returns an array, so an array here is one this loop made.
    if (prev === undefined) out[c.name] = v;
    else if (Array.isArray(prev)) prev.push(v);
    else out[c.name] = [prev, v];
  }
  if (node.text) {
    if (Object.keys(out).length === 0) return node.text;
    out.text = node.text;
  }
  return Object.keys(out).length ? out : undefined;
}
