// Resolution's public surface: one person across every list, the regime taxonomy, and the
// accountability map built on them.

export {
  type CanonicalEntity,
  canonicalEntity,
  groupByCanonical,
  loadResolution,
  type Resolution,
} from "./canonical.js";
export {
  type CoverageRow,
  type CoverageSummary,
  coverageRows,
  rowJson,
  summarise,
  toCsv,
  toHtml,
} from "./coverage.js";
export { currentVersions, type Designation, type Designee, loadDesignees } from "./designees.js";
export { checkTheme, JURISDICTIONS, jurisdictionOf, regimeOf, THEMES } from "./regimes.js";
export {
  candidateEdges,
  cluster,
  type Edge,
  JUDGEMENTS,
  type Judgement,
  RESOLVE_DEFAULTS,
} from "./resolve.js";
export { ensureResolution, recluster, runResolution, undoMerge } from "./run.js";
export { PgResolutionStore, type ResolutionBook, ResolutionStore, resolutionOf } from "./store.js";
