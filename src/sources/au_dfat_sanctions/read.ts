// Reads DFAT's consolidated list workbook (`regulation8_consolidated.xlsx`) as a stream of rows:
// exceljs' streaming reader parses the sheet, cells become plain values, the header row is
// checked, and every row keeps its sheet row number for messages.

import { Transform } from "node:stream";
import ExcelJS from "exceljs";
import { InterdictError } from "../../errors.js";
import type { InputFile } from "../types.js";

/** A cell as the mapper sees it: text, a number, or a date the sheet formats as one. */
export type CellValue = string | number | { readonly excelDate: number };

export interface SheetRow {
  /** The row number in the sheet (1 is the header). */
  readonly line: number;
  /** Values by column name as the header spells it (trimmed); empty cells are absent. */
  readonly cells: Readonly<Record<string, CellValue>>;
}

/** The columns the list must have (compared case- and space-insensitively). */
export const COLUMNS = {
  reference: "Reference",
  name: "Name of Individual or Entity",
  type: "Type",
  nameType: "Name Type",
  dob: "Date of Birth",
  pob: "Place of Birth",
  citizenship: "Citizenship",
  address: "Address",
  info: "Additional Information",
  listing: "Listing Information",
  committees: "Committees",
  controlDate: "Control Date",
} as const;

const READER_OPTIONS = {
  sharedStrings: "cache",
  // Styles are needed: exceljs tells date cells from plain numbers by their number format.
  styles: "cache",
  hyperlinks: "ignore",
  worksheets: "emit",
  entries: "ignore",
} as const;

const MS_PER_DAY = 86_400_000;
/** Days from Excel's day 0 (1899-12-31 in its own, leap-buggy, count) to 1970-01-01. */
const EXCEL_EPOCH_OFFSET = 25569;

/**
 * An Excel serial day number as an ISO date. Day 1 is 1900-01-01; Excel counts a 29 February
 * 1900 that never was (day 60), so days before it sit one day later than a plain count from
 * 1899-12-30 gives, and day 60 itself is no date at all.
 */
export function excelSerialDate(serial: number): string | undefined {
  if (!Number.isFinite(serial)) return undefined;
  const day = Math.floor(serial + 1e-9);
  if (day < 1 || day === 60) return undefined;
  const base = day < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  const d = new Date(base + day * MS_PER_DAY);
  return d.getUTCFullYear() > 9999 ? undefined : d.toISOString().slice(0, 10);
}

/**
 * exceljs turns date-formatted cells into Dates with a plain day count (wrong before March
 * 1900); recovering the serial lets `excelSerialDate` apply Excel's own calendar.
 */
function serialOf(date: Date): number {
  return date.getTime() / MS_PER_DAY + EXCEL_EPOCH_OFFSET;
}

function cellValue(value: ExcelJS.CellValue): CellValue | undefined {
  if (value == null) return undefined;
  if (typeof value === "string") return value.trim() ? value : undefined;
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return String(value);
  if (value instanceof Date) return { excelDate: serialOf(value) };
  if ("richText" in value) return cellValue(value.richText.map((p) => p.text).join(""));
  if ("hyperlink" in value) return cellValue(value.text);
  if ("formula" in value || "sharedFormula" in value) return cellValue(value.result as ExcelJS.CellValue);
  if ("error" in value) return undefined;
  return undefined;
}

/** The column key the header spells: trimmed, case and inner spaces folded. */
const headerKey = (text: string): string => text.replace(/\s+/g, " ").trim().toLowerCase();

/**
 * The bytes of the input, counted for progress, with a promise that rejects when the file ends
 * without a zip's end-of-central-directory record (truncated) or cannot be read. exceljs' zip
 * parser waits forever on an entry cut short, so its reads are raced against this promise.
 */
function watchedSource(file: InputFile, onProgress?: (bytes: number) => void) {
  let error: Error | undefined;
  let rejectFailed!: (e: Error) => void;
  const failed = new Promise<never>((_, r) => {
    rejectFailed = r;
  });
  const reject = (e: Error): void => {
    error ??= e;
    rejectFailed(e);
  };
  // Keep the promise from counting as unhandled when nothing goes wrong.
  failed.catch(() => undefined);
  // The end record is 22 bytes plus a comment of at most 65,535 bytes.
  const TAIL = 22 + 65_535;
  let tail = Buffer.alloc(0);
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      tail = Buffer.concat([tail, chunk]);
      if (tail.length > 2 * TAIL) tail = tail.subarray(tail.length - TAIL);
      onProgress?.(bytes);
      done(null, chunk);
    },
    flush(done) {
      if (!hasZipEnd(tail)) {
        reject(
          new InterdictError(
            "INTERDICT_E_LIST_FORMAT",
            bytes === 0
              ? "empty file, not an XLSX workbook"
              : "not a complete XLSX workbook: the zip archive has no end record (truncated?)",
            { file: file.path },
          ),
        );
      }
      done();
    },
  });
  const source = file.open();
  source.on("error", (e) => {
    reject(e);
    counter.end();
  });
  return {
    stream: source.pipe(counter),
    failed,
    /** The failure, once there is one. */
    error: () => error,
    close: () => source.destroy(),
  };
}

function hasZipEnd(tail: Buffer): boolean {
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50 && i + 22 + tail.readUInt16LE(i + 20) === tail.length) {
      return true;
    }
  }
  return false;
}

function race<T>(step: Promise<T>, failed: Promise<never>): Promise<T> {
  return Promise.race([step, failed]);
}

/**
 * Yields the first worksheet's rows after its header, checked against `COLUMNS`. Rows with no
 * value at all (formatting left below the list) are not records and are not yielded.
 */
export async function* readSheetRows(
  file: InputFile,
  onProgress?: (bytes: number) => void,
): AsyncGenerator<SheetRow> {
  const source = watchedSource(file, onProgress);
  const fail = (message: string, line?: number): InterdictError =>
    new InterdictError("INTERDICT_E_LIST_FORMAT", message, { file: file.path, line });
  try {
    const workbook = new ExcelJS.stream.xlsx.WorkbookReader(source.stream, READER_OPTIONS);
    const sheets = workbook[Symbol.asyncIterator]();
    let sheetNo = 0;
    for (;;) {
      const sheet = await race(sheets.next(), source.failed);
      if (sheet.done) break;
      const rows = sheet.value[Symbol.asyncIterator]();
      sheetNo++;
      // Only the first sheet is the list; the others are still read through, because the
      // streaming reader cannot move to the next zip entry before a sheet is consumed.
      let header: string[] | undefined;
      for (;;) {
        const next = await race(rows.next(), source.failed);
        if (next.done) break;
        if (sheetNo > 1) continue;
        const row = next.value;
        const values: (CellValue | undefined)[] = [];
        row.eachCell({ includeEmpty: false }, (cell, col) => {
          values[col] = cellValue(cell.value);
        });
        if (!values.some((v) => v !== undefined)) continue;
        if (!header) {
          header = checkHeader(values, row.number, fail);
          continue;
        }
        const cells: Record<string, CellValue> = {};
        values.forEach((v, col) => {
          const name = header?.[col];
          if (v !== undefined && name) cells[name] = v;
        });
        yield { line: row.number, cells };
      }
      if (sheetNo === 1 && !header) throw fail("the first worksheet is empty: no header row");
    }
    if (sheetNo === 0) throw fail("no worksheet in the workbook: not an XLSX list");
    // A workbook whose entries all parsed can still lack its end record: it is cut short.
    const error = source.error();
    if (error) throw error;
  } catch (e) {
    // A cut or unreadable input explains whatever exceljs made of it.
    const cause = source.error() ?? e;
    if (cause instanceof InterdictError) throw cause;
    throw fail(`not a readable XLSX workbook (${(cause as Error).message})`);
  } finally {
    source.close();
  }
}

function checkHeader(
  values: readonly (CellValue | undefined)[],
  line: number,
  fail: (message: string, line?: number) => InterdictError,
): string[] {
  const header: string[] = [];
  const seen = new Set<string>();
  values.forEach((v, col) => {
    if (typeof v === "string") {
      header[col] = v.replace(/\s+/g, " ").trim();
      seen.add(headerKey(v));
    }
  });
  const missing = Object.values(COLUMNS).filter((c) => !seen.has(headerKey(c)));
  if (missing.length > 0) {
    throw fail(
      `not the DFAT consolidated list: the header lacks ${missing.map((m) => `"${m}"`).join(", ")}`,
      line,
    );
  }
  // Column names are looked up by their canonical spelling.
  const canonical = new Map(Object.values(COLUMNS).map((c) => [headerKey(c), c]));
  return header.map((h) => (h === undefined ? h : (canonical.get(headerKey(h)) ?? h)));
}
