// HM Treasury (OFSI) consolidated list, legacy CSV (`ConList.csv`): one row per name, grouped
// by Group ID, each group one subject (`gb_hmt_sanctions:<Group ID>`).

import type { Entity } from "../../model/entity.js";
import type { Detection, Reader } from "../types.js";
import { mapGroup } from "./map.js";
import { headerOf, type Layout, READ_DEFAULTS, readGroups } from "./read.js";

export const DATASET = "gb_hmt_sanctions";

export const hmtCsvReader: Reader = {
  format: "gb-hmt-csv",
  description: "HM Treasury (OFSI) consolidated list, ConList.csv",
  kind: "full",
  datasets: [DATASET],
  detect(file): Detection | undefined {
    return headerOf(file.head) ? { dataset: DATASET } : undefined;
  },
  async *read(files, ctx) {
    for (const file of files) {
      let layout: Layout | undefined;
      const groups = readGroups(
        file,
        (l) => {
          layout = l;
        },
        { maxBufferedRows: READ_DEFAULTS.maxBufferedRows, onBytes: (n) => ctx.progress?.(n) },
      );
      for await (const group of groups) {
        if (!layout) continue;
        yield* mapGroup(group, { ctx, file: file.path, layout }) satisfies Entity[];
      }
    }
  },
};

export const readers: Reader[] = [hmtCsvReader];
