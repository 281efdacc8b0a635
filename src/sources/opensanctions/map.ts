// Maps one `targets.simple.csv` row to its entity, Sanction and Address entities. The simple CSV
// flattens OpenSanctions' graph: every name but the caption is in `aliases`, every identifier
// type in `identifiers`, and each Sanction is one text, its program, reason, status, start and
// end dates joined with " - ". This mapper undoes what it can and keeps the row as the source.

import { InterdictError } from "../../errors.js";
import { add, type Entity, entityId } from "../../model/entity.js";
import { getSchema } from "../../model/schema.js";
import { addressOf, makeTarget, sanctionOf } from "../_map.js";
import type { SourceContext } from "../types.js";
import { type Column, type SimpleRow, splitCell } from "./read.js";

const FALLBACK_SCHEMA = "LegalEntity";

const IMO = /^IMO\s?\d{7}$/i;
/** Maritime Mobile Service Identity: nine digits. */
const MMSI = /^\d{9}$/;
/** Radio call signs: short, letters with digits ("9LU2058", "UBAO8", "TJMR14"). */
const CALL_SIGN = /^(?=.*[A-Z])[A-Z0-9]{3,7}$/;
const ISO_DATE = /^\d{4}(?:-\d{2}(?:-\d{2})?)?$/;

/** The property an identifier goes to, judged by its form and the holder's schema. */
function identifierProp(schema: string, value: string): string {
  if (IMO.test(value)) return "imoNumber";
  if (schema === "Vessel") {
    if (MMSI.test(value)) return "mmsi";
    if (CALL_SIGN.test(value)) return "callSign";
    return "registrationNumber";
  }
  if (schema === "Airplane") return "registrationNumber";
  if (schema === "Person") return "idNumber";
  return "registrationNumber";
}

/** " - "-joined sanction text: trailing ISO dates are its start and end, the rest its reason. */
function sanctionParts(text: string): { reason?: string; startDate?: string; endDate?: string } {
  const parts = text.split(" - ");
  const dates: string[] = [];
  while (parts.length > 0 && dates.length < 2 && ISO_DATE.test(parts.at(-1)?.trim() ?? "")) {
    dates.unshift((parts.pop() ?? "").trim());
  }
  const reason = parts.join(" - ").trim();
  return { reason: reason || undefined, startDate: dates[0], endDate: dates[1] };
}

/** The entity of a row and those derived from it. */
export function mapRow(row: SimpleRow, ctx: SourceContext, file: string): Entity[] {
  const { cells, line } = row;
  const nativeId = cells.id.trim();
  const where = (field: Column) => ({ file, line, record: nativeId || undefined, field });
  const issue = (field: Column, code: string, message: string): void =>
    ctx.issue({ code, message, ...where(field) });
  for (const field of ["id", "schema"] as const) {
    if (!cells[field].trim()) {
      throw new InterdictError("INTERDICT_E_LIST_FORMAT", `a row with no ${field}`, where(field));
    }
  }
  /** A multi-valued cell; broken nested quoting is reported and the cell read naively. */
  const values = (field: Column): string[] => {
    const split = splitCell(cells[field]);
    if (split) return split;
    issue(field, "OS_SIMPLE_CELL", "broken quoting inside the cell; split at every `;`");
    return cells[field].split(";");
  };
  const rejected = (field: Column, prop: string, bad: readonly string[]): void => {
    for (const v of bad) issue(field, "OS_SIMPLE_VALUE", `not a valid ${prop}: "${v}"`);
  };

  const schema = schemaOf(cells.schema.trim(), (m) => issue("schema", "OS_SIMPLE_SCHEMA", m));
  const source: Record<string, string> = { ...cells };
  const entity = makeTarget(schema, entityId(ctx.dataset, nativeId), ctx.dataset, source);
  const props = getSchema(schema)?.properties;
  /** Adds to a property the schema may not have: values it cannot hold are reported. */
  const put = (field: Column, prop: string, vals: readonly string[]): void => {
    if (vals.every((v) => !v.trim())) return;
    if (!props?.has(prop)) {
      issue(field, "OS_SIMPLE_PROPERTY", `${schema} has no ${prop}; kept in the source only`);
      return;
    }
    rejected(field, prop, add(entity, prop, vals));
  };

  if (cells.name.trim()) add(entity, "name", cells.name);
  else issue("name", "OS_SIMPLE_NAME", "a row with no name");
  put("aliases", "alias", values("aliases"));
  put("birth_date", "birthDate", values("birth_date"));
  put("countries", "country", values("countries"));
  put("phones", "phone", values("phones"));
  put("emails", "email", values("emails"));
  const programIds = values("program_ids").filter((v) => v.trim());
  put("program_ids", "programId", programIds);
  for (const id of values("identifiers")) {
    if (id.trim()) put("identifiers", identifierProp(schema, id.trim()), [id]);
  }
  for (const [key, field] of [
    ["first_seen", "first_seen"],
    ["last_seen", "last_seen"],
    ["last_change", "last_change"],
  ] as const) {
    const v = cells[field].trim();
    if (v) entity[key] = v;
  }

  const out: Entity[] = [entity];
  // The dataset column names where the entity was published; the simple CSV has no authority.
  const authority = values("dataset")
    .filter((v) => v.trim())
    .join("; ");
  values("sanctions").forEach((text, i) => {
    const { reason, startDate, endDate } = sanctionParts(text);
    const s = sanctionOf(
      entity,
      { authority, programId: programIds, reason, startDate },
      i === 0 ? "sanction" : `sanction-${i + 1}`,
    );
    add(s, "endDate", endDate);
    out.push(s);
  });
  values("addresses")
    .filter((full) => full.trim())
    .forEach((full, i) => {
      const a = addressOf(entity, { full }, i + 1);
      if (a) out.push(a);
    });
  return out;
}

/** The schema the row names, when it is one a sanctions target can be; else LegalEntity. */
function schemaOf(name: string, report: (message: string) => void): string {
  const schema = getSchema(name);
  if (schema?.matchable && !schema.abstract) return schema.name;
  report(`schema "${name}" is not one this reader maps; read as ${FALLBACK_SCHEMA}`);
  return FALLBACK_SCHEMA;
}
