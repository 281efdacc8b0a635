// Rows of a subject file — CSV, JSON lines or XLSX — streamed with their line numbers (the sheet
// row for XLSX). A row that cannot be read goes to `onError` and the reading goes on.

import { closeSync, createReadStream, fstatSync, openSync, readSync } from "node:fs";
import { createInterface } from "node:readline";
import ExcelJS from "exceljs";
import { csvRows } from "../../cli/_csv.js";
import { InterdictError } from "../../errors.js";

export type FileFormat = "csv" | "jsonl" | "xlsx";

export interface FileRow {
  readonly line: number;
  readonly record: Record<string, unknown>;
}

export function formatOf(path: string): FileFormat {
  if (/\.(jsonl|ndjson|json)$/i.test(path)) return "jsonl";
  if (/\.xlsx$/i.test(path)) return "xlsx";
  return "csv";
}

export async function* readRows(
  path: string,
  onError: (line: number, message: string) => void,
): AsyncGenerator<FileRow> {
  const format = formatOf(path);
  if (format === "jsonl") yield* jsonRows(path, onError);
  else if (format === "xlsx") yield* sheetRows(path);
  else yield* csvRows(path, onError);
}

async function* jsonRows(
  path: string,
  onError: (line: number, message: string) => void,
): AsyncGenerator<FileRow> {
  let line = 0;
  for await (const text of createInterface({
    input: createReadStream(path),
    crlfDelay: Number.POSITIVE_INFINITY,
  })) {
    line++;
    if (!text.trim()) continue;
    try {
      const value = JSON.parse(text) as unknown;
      if (typeof value !== "object" || value === null || Array.isArray(value))
        throw new Error("not a JSON object");
      yield { line, record: value as Record<string, unknown> };
    } catch (e) {
      onError(line, (e as Error).message);
    }
  }
}

/**
 * exceljs' streaming reader waits forever on a zip entry cut short, so a workbook without the
 * zip end record (truncated) is refused before it is read.
 */
function checkZipEnd(path: string): void {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    const tail = Buffer.alloc(Math.min(size, 22 + 65_535));
    readSync(fd, tail, 0, tail.length, size - tail.length);
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) return;
    }
  } finally {
    closeSync(fd);
  }
  throw new InterdictError("INTERDICT_E_LIST_FORMAT", "not a complete XLSX workbook (truncated?)", {
    file: path,
  });
}

function cellText(value: ExcelJS.CellValue): unknown {
  if (value == null) return undefined;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value !== "object") return value;
  if ("richText" in value) return value.richText.map((p) => p.text).join("");
  if ("hyperlink" in value) return value.text;
  if ("formula" in value || "sharedFormula" in value) return cellText(value.result as ExcelJS.CellValue);
  return undefined;
}

/** The first worksheet: its first non-empty row is the header. */
async function* sheetRows(path: string): AsyncGenerator<FileRow> {
  checkZipEnd(path);
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(createReadStream(path), {
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    worksheets: "emit",
    entries: "ignore",
  });
  let sheetNo = 0;
  try {
    for await (const sheet of workbook) {
      sheetNo++;
      let header: string[] | undefined;
      // Later sheets are read through: the streaming reader cannot skip a zip entry.
      for await (const row of sheet) {
        if (sheetNo > 1) continue;
        const values: unknown[] = [];
        row.eachCell({ includeEmpty: false }, (cell, col) => {
          values[col] = cellText(cell.value);
        });
        if (!values.some((v) => v !== undefined && v !== "")) continue;
        if (!header) {
          header = values.map((v) => (v == null ? "" : String(v).trim()));
          continue;
        }
        const record: Record<string, unknown> = {};
        values.forEach((v, col) => {
          const name = header?.[col];
          if (v !== undefined && name) record[name] = v;
        });
        yield { line: row.number, record };
      }
    }
  } catch (e) {
    if (e instanceof InterdictError) throw e;
    throw new InterdictError(
      "INTERDICT_E_LIST_FORMAT",
      `not a readable XLSX workbook (${(e as Error).message})`,
      {
        file: path,
      },
    );
  }
}
