// Bytes → groups of rows for HM Treasury's ConList.csv: decoding (Windows-1252 as published,
// UTF-8 when the bytes say so), the date row above the header, column checks, and grouping by
// Group ID. The list is sorted by name, not by group, so one subject's rows lie far apart; a
// first pass indexes each group's last row, then each later pass buffers a bounded share of
// the groups and hands a group out as soon as its last row is read.

import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { TextDecoder } from "node:util";
import { parse } from "csv-parse";
import { InterdictError, type Location } from "../../errors.js";
import type { InputFile } from "../types.js";

export const READ_DEFAULTS = {
  /** Most rows held in memory at once: groups are spread over as many passes as this needs. */
  maxBufferedRows: 20_000,
};

/** Columns every version of the file has; the rest are optional (the layout grew over time). */
export const REQUIRED_COLUMNS = ["Name 6", "Group Type", "Alias Type", "Regime", "Group ID"] as const;

export interface Row {
  /** Line of the file where the row is (1-based). */
  readonly line: number;
  readonly values: readonly string[];
}

export interface Group {
  readonly id: string;
  readonly rows: Row[];
}

export interface Layout {
  readonly header: readonly string[];
  /** Column name → index. */
  readonly index: ReadonlyMap<string, number>;
}

const formatError = (message: string, where: Location): InterdictError =>
  new InterdictError("INTERDICT_E_LIST_FORMAT", message, where);

/** The header cells of `head`, if its first or second line is the ConList header. */
export function headerOf(head: Buffer): string[] | undefined {
  const text = head
    .subarray(0, 8192)
    .toString("latin1")
    .replace(/^\xEF\xBB\xBF/, "");
  for (const line of text.split(/\r?\n/).slice(0, 2)) {
    const cells = line.split(",").map((c) => c.replace(/^"|"$/g, "").trim());
    if (cells.includes("Name 6") && cells.includes("Group ID")) return cells;
  }
  return undefined;
}

/**
 * The file as text. The published file is Windows-1252, but copies saved as UTF-8 circulate:
 * the first non-ASCII bytes decide (ASCII reads the same either way), so no byte is read twice.
 */
async function* decoded(file: InputFile, onBytes?: (n: number) => void): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  let bytes = 0;
  let last = "";
  let lines = 1;
  const count = (t: string): void => {
    for (let i = t.indexOf("\n"); i >= 0; i = t.indexOf("\n", i + 1)) lines++;
  };
  for await (const chunk of file.open()) {
    const buf = chunk as Buffer;
    bytes += buf.length;
    if (!decoder) {
      const i = buf.findIndex((b) => b >= 0x80);
      if (i < 0) {
        const t = buf.toString("latin1");
        if (t) last = t;
        count(t);
        yield t;
        onBytes?.(bytes);
        continue;
      }
      decoder = new TextDecoder(isUtf8(buf.subarray(i)) ? "utf-8" : "windows-1252");
    }
    const t = decoder.decode(buf, { stream: true });
    if (t) last = t;
    count(t);
    yield t;
    onBytes?.(bytes);
  }
  const rest = decoder?.decode() ?? "";
  if (rest) last = rest;
  yield rest;
  // The file's last row must end in a line break: without one, the row may have been cut short
  // in its last column (the Group ID), which no column count would show.
  if (last && !/[\r\n]$/.test(last)) {
    throw formatError("the file ends in the middle of a row (truncated?)", { file: file.path, line: lines });
  }
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

interface RawRecord {
  readonly line: number;
  readonly cells: string[];
}

/** Whether the file's first line is the "Last Updated" row above the header. */
function hasDateRow(head: Buffer): boolean {
  const first = head
    .subarray(0, 4096)
    .toString("latin1")
    .replace(/^\xEF\xBB\xBF/, "");
  return /^"?last updated"?\s*,/i.test(first);
}

/**
 * Every CSV record from the header on, with its line. csv-parse holds every row to the
 * header's column count; its errors become list-format errors. (The date row is skipped rather
 * than parsed: its column count differs, and letting csv-parse relax the count costs it an
 * error object per row.)
 */
async function* records(
  file: InputFile,
  skipLines: number,
  onBytes?: (n: number) => void,
): AsyncGenerator<RawRecord> {
  const parser = parse({ bom: true, info: true, skip_empty_lines: true, from_line: skipLines + 1 });
  // Errors of either side surface through the iterator below.
  const feeding = pipeline(Readable.from(decoded(file, onBytes)), parser).catch(() => undefined);
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      yield { line: info.lines, cells: record };
    }
  } catch (e) {
    if (e instanceof InterdictError) throw e;
    const err = e as Error & { code?: string; lines?: number; record?: unknown[]; header?: boolean };
    const where = { file: file.path, ...(err.lines ? { line: err.lines } : {}) };
    if (err.code === "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH" && Array.isArray(err.record)) {
      const expected = /expect (\d+)/.exec(err.message)?.[1];
      throw formatError(`row has ${err.record.length} columns, the header ${expected}`, where);
    }
    throw formatError(`not valid CSV: ${err.message}`, where);
  } finally {
    parser.destroy();
    await feeding;
  }
}

const NAME_COLUMNS = ["Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Name 6"];

/** A positive integer, as Group IDs are. */
const GROUP_ID = /^\d+$/;

/**
 * Reads the layout and checks every row: Group ID, a name. Yields the rows after the header,
 * each with its Group ID.
 */
async function* checkedRows(
  file: InputFile,
  onLayout: (layout: Layout) => void,
  onBytes?: (n: number) => void,
): AsyncGenerator<Row & { group: string }> {
  if (file.head.length === 0) throw formatError("empty file", { file: file.path });
  let layout: Layout | undefined;
  let groupCol = -1;
  let nameCols: number[] = [];
  for await (const { line, cells } of records(file, hasDateRow(file.head) ? 1 : 0, onBytes)) {
    if (!layout) {
      if (!cells.includes("Name 6") || !cells.includes("Group ID")) {
        throw formatError("expected the ConList header (Name 6 … Group ID) on the first or second line", {
          file: file.path,
          line,
        });
      }
      const header = cells.map((c) => c.trim());
      const index = new Map(header.map((h, i) => [h, i]));
      for (const col of REQUIRED_COLUMNS) {
        if (!index.has(col)) throw formatError(`header has no "${col}" column`, { file: file.path, line });
      }
      groupCol = index.get("Group ID") ?? -1;
      nameCols = NAME_COLUMNS.flatMap((c) => index.get(c) ?? []);
      layout = { header, index };
      onLayout(layout);
      continue;
    }
    const group = cells[groupCol]?.trim() ?? "";
    if (!GROUP_ID.test(group)) {
      throw formatError(group ? `Group ID "${group}" is not a number` : "row has no Group ID", {
        file: file.path,
        line,
        field: "Group ID",
      });
    }
    if (nameCols.every((i) => !cells[i]?.trim())) {
      throw formatError("row has no name (Name 1 to Name 6 are all empty)", {
        file: file.path,
        line,
        record: group,
        field: "Name 6",
      });
    }
    yield { line, values: cells, group };
  }
  if (!layout) throw formatError("no header row", { file: file.path });
}

interface GroupIndex {
  rows: number;
  /** Position (0-based, among data rows) of the group's last row. */
  last: number;
}

/**
 * The groups of one ConList file, each whole, in the order their last rows appear (per pass).
 * The whole file is checked before the first group is handed out, so a broken file yields
 * nothing.
 */
export async function* readGroups(
  file: InputFile,
  onLayout: (layout: Layout) => void,
  opts: { maxBufferedRows?: number; onBytes?: (n: number) => void } = {},
): AsyncGenerator<Group> {
  const budget = opts.maxBufferedRows ?? READ_DEFAULTS.maxBufferedRows;
  const index = new Map<string, GroupIndex>();
  let n = 0;
  for await (const row of checkedRows(file, () => undefined)) {
    const g = index.get(row.group);
    if (g) {
      g.rows++;
      g.last = n;
    } else index.set(row.group, { rows: 1, last: n });
    n++;
  }
  if (n === 0) throw formatError("no rows below the header", { file: file.path });

  // Plan the passes: groups in order of first appearance, packed up to the row budget.
  const passes: Set<string>[] = [];
  let current = new Set<string>();
  let rowsInPass = 0;
  for (const [id, g] of index) {
    if (current.size > 0 && rowsInPass + g.rows > budget) {
      passes.push(current);
      current = new Set();
      rowsInPass = 0;
    }
    current.add(id);
    rowsInPass += g.rows;
  }
  passes.push(current);

  for (const pass of passes) {
    const open = new Map<string, Row[]>();
    let i = 0;
    for await (const row of checkedRows(file, onLayout, opts.onBytes)) {
      const pos = i++;
      if (!pass.has(row.group)) continue;
      const rows = open.get(row.group) ?? [];
      rows.push({ line: row.line, values: row.values });
      if (index.get(row.group)?.last === pos) {
        open.delete(row.group);
        yield { id: row.group, rows };
      } else open.set(row.group, rows);
    }
    if (open.size > 0 || i !== n) {
      throw formatError("the file changed while it was being read", { file: file.path });
    }
  }
}
