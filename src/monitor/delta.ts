// The delta re-screen, pure: the entities a list version added or changed, against a chunk of
// subjects. Subjects are indexed (a matcher over subjects: the reverse index) and each changed
// entity is the query, which finds the few subjects worth scoring among many; each of those is
// then screened the usual way (subject as the query) against the changed entities alone, so a
// pair scores exactly as a full screening would score it. Scoring is not symmetric — a token
// the list has and the subject lacks costs less than the reverse — hence the second pass.

import { Matcher, type MatchOptions } from "../match/matcher.js";
import type { MatchEntity } from "../match/subject.js";
import { entityQuery, subjectEntity } from "../subjects/subject.js";
import type { Finding } from "./alerts.js";
import { type SubjectToScreen, screenFindings } from "./findings.js";

export const DELTA_DEFAULTS = {
  /** Subjects per reverse index: memory is about 2.5 kB a subject while one is built. */
  chunk: 100_000,
  /** Subjects the reverse index proposes per changed entity and chunk. */
  candidates: 50,
  /**
   * A reverse score below this is not worth the forward pass. Set well under the match
   * threshold: the reverse score can be lower than the forward one (see above).
   */
  floor: 0.6,
};

export interface DeltaCounts {
  /** Pairs scored: by the reverse index, then forward (subject as query). */
  reversePairs: number;
  forwardPairs: number;
  /** Subjects that went on to the forward pass. */
  candidates: number;
}

/** The changed entities, ready to screen chunks of subjects against. */
export class DeltaScreen {
  private readonly changed: readonly MatchEntity[];
  private readonly forward: Matcher;
  private readonly opts: MatchOptions;
  private readonly settings: typeof DELTA_DEFAULTS;

  constructor(
    changed: readonly MatchEntity[],
    opts: MatchOptions,
    settings: Partial<typeof DELTA_DEFAULTS> = {},
  ) {
    this.changed = changed;
    this.forward = new Matcher(changed);
    this.opts = opts;
    this.settings = { ...DELTA_DEFAULTS, ...settings };
  }

  screen(subjects: readonly SubjectToScreen[]): { findings: Finding[]; counts: DeltaCounts } {
    const counts: DeltaCounts = { reversePairs: 0, forwardPairs: 0, candidates: 0 };
    if (subjects.length === 0 || this.changed.length === 0) return { findings: [], counts };
    const reverse = new Matcher(subjects.map((s) => subjectEntity({ id: s.id, query: s.query })));
    const byId = new Map(subjects.map((s) => [s.id, s]));
    const worth = new Set<string>();
    const { candidates, floor } = this.settings;
    for (const e of this.changed) {
      const results = reverse.match(entityQuery(e), {
        algorithm: this.opts.algorithm ?? "default",
        candidates,
        limit: candidates,
        threshold: floor,
      });
      counts.reversePairs += results.length;
      for (const r of results) if (r.match) worth.add(r.entity.id);
    }
    const chosen = [...worth].map((id) => byId.get(id) as SubjectToScreen);
    counts.candidates = chosen.length;
    const findings = screenFindings(this.forward, chosen, this.opts, (n) => {
      counts.forwardPairs += n;
    });
    return { findings, counts };
  }
}
