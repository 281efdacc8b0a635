// Reads OpenSanctions' `targets.simple.csv` as a stream of rows: csv-parse does the outer CSV
// (every field quoted), the header is checked, and each multi-valued cell is split by the nested
// CSV OpenSanctions writes into it (`;`-separated, values with `;`, `"` or line breaks quoted).

import { parse } from "csv-parse";
import { InterdictError } from "../../errors.js";
import type { InputFile } from "../types.js";

export const HEADER = [
  "id",
  "schema",
  "name",
  "aliases",
  "birth_date",
  "countries",
  "addresses",
  "identifiers",
  "sanctions",
  "phones",
  "emails",
  "program_ids",
  "dataset",
  "first_seen",
  "last_seen",
  "last_change",
] as const;

export type Column = (typeof HEADER)[number];

export interface SimpleRow {
  /** The line the row starts on (1 is the header). */
  readonly line: number;
  readonly cells: Readonly<Record<Column, string>>;
}

/** Whether a first line is this format's header, quoted (as published) or not. */
export function isHeaderLine(line: string): boolean {
  const bare = line
    .replace(/^\uFEFF/, "")
    .replace(/\r$/, "")
    .replace(/"/g, "");
  return bare === HEADER.join(",");
}

/**
 * Splits a multi-valued cell the way Python's csv writer joined it (delimiter `;`, minimal
 * quoting): `a;b`, `"x; y";z`, `"say ""hi"""`. A lone `""` is one empty value. Undefined when
 * the quoting is broken.
 */
export function splitCell(cell: string): string[] | undefined {
  if (cell === "") return [];
  const values: string[] = [];
  let i = 0;
  for (;;) {
    let value = "";
    if (cell[i] === '"') {
      i++;
      for (;;) {
        const close = cell.indexOf('"', i);
        if (close < 0) return undefined;
        value += cell.slice(i, close);
        if (cell[close + 1] === '"') {
          value += '"';
          i = close + 2;
        } else {
          i = close + 1;
          break;
        }
      }
      if (i < cell.length && cell[i] !== ";") return undefined;
    } else {
      const end = cell.indexOf(";", i);
      value = cell.slice(i, end < 0 ? cell.length : end);
      if (value.includes('"')) return undefined;
      i = end < 0 ? cell.length : end;
    }
    values.push(value);
    if (i >= cell.length) return values;
    i++; // past the ";"
  }
}

export async function* readRows(
  file: InputFile,
  onProgress?: (bytes: number) => void,
): AsyncGenerator<SimpleRow> {
  const fail = (message: string, line?: number): InterdictError =>
    new InterdictError("INTERDICT_E_LIST_FORMAT", message, { file: file.path, line });
  const source = file.open();
  // Field counts are checked here, not by csv-parse, so that a wrong header is reported as such
  // even when the rows below it do not match it.
  const parser = source.pipe(parse({ bom: true, info: true, relax_column_count: true }));
  // pipe() does not forward a source failure (a size limit, a broken archive) to the parser.
  source.on("error", (e) => parser.destroy(e));
  let lastLine = 0;
  let header = false;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number; bytes: number };
    }>) {
      const line = lastLine + 1;
      lastLine = info.lines;
      if (!header) {
        if (record.join(",") !== HEADER.join(",")) {
          throw fail(
            `not an OpenSanctions targets.simple.csv header: ${record.join(",").slice(0, 200)}`,
            line,
          );
        }
        header = true;
        continue;
      }
      if (record.length !== HEADER.length) {
        throw fail(`expected ${HEADER.length} fields, found ${record.length}`, line);
      }
      const cells = {} as Record<Column, string>;
      HEADER.forEach((name, i) => {
        cells[name] = record[i] ?? "";
      });
      onProgress?.(info.bytes);
      yield { line, cells };
    }
  } catch (e) {
    if (e instanceof InterdictError) throw e;
    const err = e as Error & { code?: string; lines?: number };
    if (err.code?.startsWith("CSV_") || err.code === "INVALID_OPENING_QUOTE") {
      throw fail(`not valid CSV: ${err.message}`, err.lines);
    }
    throw fail(`cannot read the file: ${err.message}`);
  } finally {
    source.destroy();
  }
  if (!header) throw fail("empty file: no header line");
}
