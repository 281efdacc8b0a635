// CSV in and out for the batch commands: rows streamed with their line numbers; a malformed
// row is reported and skipped, never the end of the run.

import { createReadStream } from "node:fs";
import { parse } from "csv-parse";

export function csvCell(value: unknown): string {
  const s = value == null ? "" : typeof value === "string" ? value : String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (cells: readonly unknown[]): string => `${cells.map(csvCell).join(",")}\n`;

export interface CsvRow {
  readonly line: number;
  readonly record: Record<string, string>;
}

/** Rows of a CSV file with a header; malformed rows go to `onError` with their line. */
export async function* csvRows(
  path: string,
  onError: (line: number, message: string) => void,
): AsyncGenerator<CsvRow, string[]> {
  const parser = createReadStream(path).pipe(
    parse({
      columns: true,
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      skip_records_with_error: true,
      trim: true,
    }),
  );
  parser.on("skip", (e: Error & { lines?: number }) => onError(e.lines ?? 0, e.message));
  let header: string[] = [];
  for await (const { record, info } of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number; columns: { name: string }[] | false };
  }>) {
    if (header.length === 0 && Array.isArray(info.columns)) header = info.columns.map((c) => c.name);
    yield { line: info.lines, record };
  }
  return header;
}
