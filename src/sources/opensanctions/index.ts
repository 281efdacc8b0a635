// OpenSanctions' `targets.simple.csv`: one row per sanctions target, any of its collections.
// (The FtM JSON lines and delta formats OpenSanctions also publishes live in `../ftm/`.)

import type { Entity } from "../../model/entity.js";
import type { InputFile, Reader, SourceContext } from "../types.js";
import { mapRow } from "./map.js";
import { isHeaderLine, readRows } from "./read.js";

const DATASET = "opensanctions";

async function* read(files: readonly InputFile[], ctx: SourceContext): AsyncGenerator<Entity> {
  for (const file of files) {
    for await (const row of readRows(file, ctx.progress)) yield* mapRow(row, ctx, file.path);
  }
}

export const openSanctionsSimpleReader: Reader = {
  format: "opensanctions-simple-csv",
  description: "OpenSanctions targets.simple.csv (one row per target, multi-values `;`-separated)",
  kind: "full",
  datasets: [DATASET],
  detect(file) {
    const end = file.head.indexOf(0x0a);
    const first = file.head.subarray(0, end < 0 ? file.head.length : end).toString("utf8");
    return isHeaderLine(first) ? { dataset: DATASET } : undefined;
  },
  read,
};

export const readers: Reader[] = [openSanctionsSimpleReader];
