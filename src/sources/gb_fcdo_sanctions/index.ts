// The UK Sanctions List (FCDO) XML: <Designations>, one <Designation> per UniqueID, each one
// subject (`gb_fcdo_sanctions:<UniqueID>`). Related parties (parent companies, subsidiaries,
// ship owners) are named in free text; once the whole list is read, those names that are the
// name of a listed subject become Ownership links.

import { InterdictError } from "../../errors.js";
import { add, type Entity, makeEntity } from "../../model/entity.js";
import { normaliseKey } from "../../model/types.js";
import { slug } from "../_map.js";
import { rootElement, xmlRecords } from "../_xml.js";
import type { Detection, Reader } from "../types.js";
import { mapDesignation, type Reference } from "./map.js";

export const DATASET = "gb_fcdo_sanctions";

const TAGS = new Set(["Designation"]);

interface Listed {
  readonly id: string;
  readonly schema: string;
}

const OWNERS = new Set(["Person", "Organization", "Company"]);

/** A related party's name that matches more listed subjects than this is not linked. */
const MAX_MATCHES = 3;

/** Ownership entities for the references that name listed subjects, one per owner and asset. */
function links(
  references: readonly Reference[],
  byName: ReadonlyMap<string, Listed[]>,
  dataset: string,
): Entity[] {
  const out = new Map<string, Entity>();
  for (const ref of references) {
    const matches = byName.get(normaliseKey(ref.name)) ?? [];
    // One subject may be listed under a few regimes; a name shared more widely says nothing.
    if (matches.length > MAX_MATCHES) continue;
    for (const other of matches) {
      if (other.id === ref.from.id) continue;
      const [owner, asset] = ref.direction === "parent" ? [other, ref.from] : [ref.from, other];
      if (!OWNERS.has(owner.schema)) continue;
      const id = `${asset.id}-owner-${slug(owner.id.slice(owner.id.indexOf(":") + 1))}`;
      let link = out.get(id);
      if (!link) {
        link = makeEntity("Ownership", id, dataset);
        add(link, "owner", owner.id);
        add(link, "asset", asset.id);
        out.set(id, link);
      }
      add(link, "role", ref.role);
    }
  }
  return [...out.values()];
}

export const fcdoXmlReader: Reader = {
  format: "gb-fcdo-xml",
  description: "UK Sanctions List (FCDO), UK_Sanctions_List.xml",
  kind: "full",
  datasets: [DATASET],
  detect(file): Detection | undefined {
    return rootElement(file.head) === "Designations" ? { dataset: DATASET } : undefined;
  },
  async *read(files, ctx) {
    const byName = new Map<string, Listed[]>();
    const references: Reference[] = [];
    const seen = new Set<string>();
    for (const file of files) {
      let count = 0;
      for await (const { node, path } of xmlRecords(file, TAGS, ctx.progress)) {
        if (path[0] !== "Designations") {
          throw new InterdictError(
            "INTERDICT_E_LIST_FORMAT",
            `root element is <${path[0]}>, not <Designations>`,
            {
              file: file.path,
              line: node.line,
            },
          );
        }
        const mapped = mapDesignation(node, { ctx, file: file.path });
        const [subject] = mapped.entities;
        if (!subject) continue;
        if (seen.has(subject.id)) {
          throw new InterdictError("INTERDICT_E_LIST_FORMAT", `UniqueID ${subject.id} appears twice`, {
            file: file.path,
            line: node.line,
            record: subject.id,
          });
        }
        seen.add(subject.id);
        for (const name of mapped.names) {
          const key = normaliseKey(name);
          const list = byName.get(key) ?? [];
          // A subject's names arrive together: a repeat of the same subject is the last entry.
          if (list.at(-1)?.id !== subject.id) list.push({ id: subject.id, schema: subject.schema });
          byName.set(key, list);
        }
        references.push(...mapped.references);
        count++;
        yield* mapped.entities;
      }
      if (count === 0) {
        throw new InterdictError("INTERDICT_E_LIST_FORMAT", "no <Designation> in the file", {
          file: file.path,
        });
      }
    }
    yield* links(references, byName, ctx.dataset);
  },
};

export const readers: Reader[] = [fcdoXmlReader];
