// FollowTheMoney JSON lines: whole exports (`entities.ftm.json`, one entity a line) and
// OpenSanctions delta files (`entities.delta.json`, `{"op": "ADD"|"MOD"|"DEL", "entity": …}`).
// Any dataset may come in this form; the dataset is taken from the ids (`eu_fsf:13`) when they
// carry one, and otherwise the file is an OpenSanctions export.

import { createInterface } from "node:readline";
import { InterdictError, type Issue } from "../../errors.js";
import type { Entity } from "../../model/entity.js";
import { fromFtm } from "../../model/ftm.js";
import { getSchema } from "../../model/schema.js";
import type { DeltaOp, Detection, InputFile, Reader, SourceContext } from "../types.js";

function firstLine(head: Buffer): string {
  const text = head.toString("utf8").replace(/^\uFEFF/, "");
  const lines = text.split("\n").filter((l) => l.trim());
  return lines[0] ?? "";
}

function looksLikeEntity(line: string): boolean {
  return /^\{\s*"/.test(line) && /"schema"\s*:/.test(line) && /"id"\s*:/.test(line) && !looksLikeDelta(line);
}

function looksLikeDelta(line: string): boolean {
  return /^\{\s*"op"\s*:\s*"(ADD|MOD|DEL)"/.test(line);
}

/** The dataset an FtM file belongs to, from its first entity's id prefix. */
function inferDataset(line: string): string {
  const id = line.match(/"id"\s*:\s*"([a-z][a-z0-9_]*):/)?.[1];
  return id ?? "opensanctions";
}

/** Ids and entity references get the dataset prefix unless they have it already. */
function scope(entity: Entity, dataset: string): Entity {
  const prefix = `${dataset}:`;
  const fix = (id: string): string => (id.startsWith(prefix) ? id : prefix + id);
  entity.id = fix(entity.id);
  const schema = getSchema(entity.schema);
  for (const [prop, values] of Object.entries(entity.properties)) {
    if (schema?.properties.get(prop)?.type === "entity") entity.properties[prop] = values.map(fix);
  }
  if (!entity.datasets.includes(dataset)) {
    entity.source = { datasets: entity.datasets };
    entity.datasets = [dataset];
  }
  return entity;
}

async function* jsonLines(file: InputFile): AsyncGenerator<{ value: unknown; line: number }> {
  const lines = createInterface({ input: file.open(), crlfDelay: Number.POSITIVE_INFINITY });
  let n = 0;
  for await (const text of lines) {
    n++;
    const t = n === 1 ? text.replace(/^\uFEFF/, "") : text;
    if (!t.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(t);
    } catch (e) {
      throw new InterdictError("INTERDICT_E_LIST_FORMAT", `not a JSON object (${(e as Error).message})`, {
        file: file.path,
        line: n,
      });
    }
    yield { value, line: n };
  }
}

function checkSchema(entity: Entity, ctx: SourceContext, where: Issue): void {
  if (!getSchema(entity.schema)) {
    ctx.issue({ ...where, code: "ftm_unknown_schema", message: `schema ${entity.schema} is kept as given` });
  }
}

export const ftmReader: Reader = {
  format: "ftm-json",
  description: "FollowTheMoney JSON lines (entities.ftm.json)",
  kind: "full",
  detect(file): Detection | undefined {
    const line = firstLine(file.head);
    return looksLikeEntity(line) ? { dataset: inferDataset(line) } : undefined;
  },
  async *read(files, ctx) {
    for (const file of files) {
      let count = 0;
      for await (const { value, line } of jsonLines(file)) {
        const entity = scope(fromFtm(value, { file: file.path, line }), ctx.dataset);
        checkSchema(entity, ctx, { code: "", message: "", file: file.path, line, record: entity.id });
        count++;
        yield entity;
      }
      if (count === 0) {
        throw new InterdictError("INTERDICT_E_LIST_FORMAT", "no entities in file", { file: file.path });
      }
    }
  },
};

export const ftmDeltaReader: Reader = {
  format: "ftm-delta",
  description: "OpenSanctions delta file (entities.delta.json: ADD/MOD/DEL operations)",
  kind: "delta",
  detect(file): Detection | undefined {
    const line = firstLine(file.head);
    if (looksLikeDelta(line)) return { dataset: "opensanctions" };
    // An empty delta file is a valid "nothing changed".
    if (file.head.length === 0 && /\.delta\.json$/.test(file.name)) return { dataset: "opensanctions" };
    return undefined;
  },
  async *read(files, ctx) {
    for (const file of files) {
      for await (const { value, line } of jsonLines(file)) {
        const where = { file: file.path, line };
        const o = value as { op?: unknown; entity?: unknown };
        if (o === null || typeof o !== "object" || !["ADD", "MOD", "DEL"].includes(String(o.op))) {
          throw new InterdictError(
            "INTERDICT_E_LIST_FORMAT",
            'a delta line needs "op": ADD, MOD or DEL',
            where,
          );
        }
        const op = o.op as DeltaOp["op"];
        if (op === "DEL") {
          const id = (o.entity as { id?: unknown } | undefined)?.id;
          if (typeof id !== "string" || !id) {
            throw new InterdictError("INTERDICT_E_LIST_FORMAT", "DEL without an entity id", where);
          }
          yield {
            op,
            entity: scope({ id, schema: "Thing", properties: {}, datasets: [], referents: [] }, ctx.dataset),
          };
        } else {
          yield { op, entity: scope(fromFtm(o.entity, where), ctx.dataset) };
        }
      }
    }
  },
};

export const readers: Reader[] = [ftmDeltaReader, ftmReader];
