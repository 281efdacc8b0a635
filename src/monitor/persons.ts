// Findings on persons, not list entries: where resolution (`interdict resolve`) found several list
// entries to be one person, a subject's findings on them become one finding on the canonical id,
// carrying every entry of that person (`referents`) with its datasets and programmes, the best
// score and its explanation. Done in the main thread, where the store is, after the workers
// screened: screening itself is on entries.
//
// The person's fingerprint is made of every entry of theirs in the current lists, hit or not, so
// a decision on the person holds until the membership or any entry changes. The entries are read
// from the store, not from the findings: a list change re-screens only the entries it changed,
// and the person is still all of them.

import { matchEntity } from "../match/subject.js";
import { groupByCanonical, loadResolution, type Resolution } from "../resolve/canonical.js";
import type { Store } from "../store/store.js";
import { entityFingerprint, sha1 } from "../subjects/subject.js";
import type { Designation, Finding } from "./alerts.js";

interface Entry {
  readonly designation: Designation;
  readonly schema: string;
  readonly hash: string;
}

export class PersonFindings {
  /** Entries read so far: null for an entry no longer in the current lists. */
  private readonly entries = new Map<string, Entry | null>();

  constructor(
    private readonly store: Store,
    readonly resolution: Resolution,
  ) {}

  /** With the store's last resolution (without one, entries are persons). */
  static async of(store: Store): Promise<PersonFindings> {
    return new PersonFindings(store, await loadResolution(store));
  }

  private async entry(id: string): Promise<Entry | null> {
    let e = this.entries.get(id);
    if (e !== undefined) return e;
    const entity = await this.store.getEntity(id);
    if (!entity) e = null;
    else {
      // Programmes as the matcher gives them: from the Sanctions naming the entry.
      const programs = [
        ...new Set(
          (await this.store.referencing(id))
            .filter((s) => s.schema === "Sanction")
            .flatMap((s) => s.properties.program ?? []),
        ),
      ].sort();
      const m = matchEntity(entity, programs);
      e = {
        designation: { entityId: id, caption: m.caption, datasets: m.datasets, programs },
        schema: m.schema,
        hash: entityFingerprint(m),
      };
    }
    this.entries.set(id, e);
    return e;
  }

  /**
   * One finding per subject and person. A finding on an entry resolution left alone is kept as it
   * is (its fingerprint too, so decisions made before grouping still hold), with itself as referent.
   */
  async group(findings: readonly Finding[]): Promise<Finding[]> {
    const bySubject = new Map<string, Finding[]>();
    for (const f of findings) {
      const list = bySubject.get(f.subjectId);
      if (list) list.push(f);
      else bySubject.set(f.subjectId, [f]);
    }
    const out: Finding[] = [];
    for (const subjectFindings of bySubject.values()) {
      for (const g of groupByCanonical(subjectFindings, this.resolution, (f) => f.entityId)) {
        out.push(await this.person(g.canonical, g.referents, g.hits));
      }
    }
    return out;
  }

  private async person(canonical: string, members: readonly string[], hits: Finding[]): Promise<Finding> {
    const best = hits.reduce((a, b) => (b.score > a.score ? b : a));
    if (members.length <= 1 && canonical === best.entityId) {
      return {
        ...best,
        referents: [best.entityId],
        designations: [
          {
            entityId: best.entityId,
            caption: best.caption,
            datasets: best.datasets,
            programs: best.programs,
            score: best.score,
          },
        ],
      };
    }
    const scores = new Map<string, number>();
    for (const h of hits) scores.set(h.entityId, Math.max(h.score, scores.get(h.entityId) ?? 0));
    const entries: Entry[] = [];
    for (const id of [...new Set([...members, ...scores.keys()])].sort()) {
      const e = await this.entry(id);
      if (e) entries.push(e);
    }
    // Entries gone from the lists since the matcher was built: the findings are all there is.
    if (entries.length === 0) {
      for (const h of hits) {
        entries.push({
          designation: {
            entityId: h.entityId,
            caption: h.caption,
            datasets: h.datasets,
            programs: h.programs,
          },
          schema: h.schema,
          hash: h.entityHash,
        });
      }
    }
    const designations = entries.map((e) => {
      const score = scores.get(e.designation.entityId);
      return score === undefined ? e.designation : { ...e.designation, score };
    });
    return {
      ...best,
      entityId: canonical,
      entityHash: sha1(JSON.stringify(entries.map((e) => [e.designation.entityId, e.hash]))),
      datasets: [...new Set(entries.flatMap((e) => e.designation.datasets))],
      programs: [...new Set(entries.flatMap((e) => e.designation.programs))],
      referents: entries.map((e) => e.designation.entityId),
      designations,
    };
  }
}
