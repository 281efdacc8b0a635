// The `ofac` algorithm: OFAC's own Sanctions List Search scoring (ofac.ts), as an Algorithm, so
// a screener can see what OFAC's tool would have said beside our own score.

import type { Algorithm, FeatureResult } from "./algorithm.js";
import { ofacScore } from "./ofac.js";
import type { AnalysedQuery, MatchEntity } from "./subject.js";

function ofacSls(q: AnalysedQuery, e: MatchEntity): FeatureResult {
  let best: FeatureResult = { value: 0, detail: "" };
  for (const qn of q.names) {
    for (const ln of e.names) {
      if (ln.kind === "weak") continue;
      const r = ofacScore(qn.name, ln.name.name);
      if (r.score > best.value)
        best = { value: r.score, detail: `${qn.name} ≈ ${ln.name.name}: ${r.detail}` };
    }
  }
  return best;
}

export const OFAC_ALGORITHM: Algorithm = {
  name: "ofac",
  description: "OFAC Sanctions List Search: Jaro-Winkler and Soundex over the whole name and its parts",
  threshold: 0.85,
  features: [{ id: "ofac_sls", weight: 1, fn: ofacSls }],
};
