// The designation registry's public surface: case files and their workflow, publication as a
// list version of the `registry` dataset with its public exports, deadlines and reports to the
// legislature, delisting petitions, and the 50 % rule. The console and API call these.

export { auditEntryOf, registryOf, sqliteRegistryOf } from "./audited.js";
export { findBasis, LEGAL_BASES, type LegalBasis, type MeasureName } from "./bases.js";
export { publicEntities, toFtmLines, toOfacCsv, toSdnXml } from "./export.js";
export {
  applyFiftyPercentRule,
  edgesFromFtm,
  type OwnershipEdge,
  type OwnershipFinding,
  parsePercentage,
} from "./ownership.js";
export {
  computeOwnership,
  FIFTY_PERCENT_PROGRAM,
  inForce,
  isClassified,
  type Publication,
  type PublishOptions,
  publish,
} from "./publish.js";
export {
  type CaseEvent,
  type CaseFile,
  type CaseInput,
  type CaseStatus,
  type CongressionalRequest,
  caseEntityId,
  caseIssues,
  type EvidenceInput,
  PETITION_GROUNDS,
  type Petition,
  REGISTRY_DATASET,
  Registry,
  type RegistryBook,
} from "./registry.js";
export { PgRegistry, pgRegistryOf } from "./registry-pg.js";
export { type AnnualReport, annualReport, type Deadline, deadlines, reportText } from "./reports.js";
