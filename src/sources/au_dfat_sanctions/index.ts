// The Australian DFAT consolidated sanctions list (`regulation8_consolidated.xlsx`): one sheet
// row per name, rows of one subject sharing a base Reference.

import { InterdictError } from "../../errors.js";
import type { Entity } from "../../model/entity.js";
import { isXlsx } from "../_input.js";
import type { InputFile, Reader, SourceContext } from "../types.js";
import { mapSubject, type Subject } from "./map.js";
import { COLUMNS, readSheetRows, type SheetRow } from "./read.js";

const DATASET = "au_dfat_sanctions";

/** "34", "34a", "34c1", "1140g ": the subject is the leading number. */
const REFERENCE = /^(\d+)[a-z]*\d*$/i;

/**
 * Groups rows by base reference. A subject's rows are mostly adjacent but not always (an alias
 * row added years later sits further down), so subjects are complete only at the end of the
 * sheet. Rows hold their cell strings by reference to exceljs' shared-string table, which the
 * format makes it keep in memory anyway, so the groups add little beyond it.
 */
async function subjectsOf(file: InputFile, ctx: SourceContext): Promise<Subject[]> {
  const groups = new Map<string, SheetRow[]>();
  for await (const row of readSheetRows(file, ctx.progress)) {
    const ref = row.cells[COLUMNS.reference];
    const text = ref === undefined ? "" : typeof ref === "object" ? "" : String(ref).trim();
    const base = text.match(REFERENCE)?.[1];
    if (!base) {
      throw new InterdictError(
        "INTERDICT_E_LIST_FORMAT",
        text ? `not a DFAT reference: "${text}"` : "a row with no Reference",
        { file: file.path, line: row.line, field: COLUMNS.reference },
      );
    }
    const rows = groups.get(base);
    if (rows) rows.push(row);
    else groups.set(base, [row]);
  }
  return [...groups].map(([reference, rows]) => ({ reference, rows }));
}

async function* read(files: readonly InputFile[], ctx: SourceContext): AsyncGenerator<Entity> {
  for (const file of files) {
    for (const subject of await subjectsOf(file, ctx)) yield* mapSubject(subject, ctx, file.path);
  }
}

export const auDfatReader: Reader = {
  format: "au-dfat-xlsx",
  description: "Australia DFAT consolidated list (XLSX workbook, one row per name)",
  kind: "full",
  datasets: [DATASET],
  // The workbook's header sits compressed deep in the zip, beyond the first bytes; any XLSX is
  // taken, and the header is checked when the file is read.
  detect(file) {
    if (!isXlsx(file)) return undefined;
    return /^regulation8_consolidated.*\.xlsx$/i.test(file.name) ? { dataset: DATASET } : {};
  },
  read,
};

export const readers: Reader[] = [auDfatReader];
