// The subject register's public surface: what the CLI and the HTTP service mount.

export { subjectsOf } from "./book.js";
export {
  type ImportOptions,
  type ImportResult,
  importSubjects,
  listSubjects,
  removeSubject,
  upsertSubject,
} from "./import.js";
export {
  type HistoryEntry,
  registerOf,
  type StoredSubject,
  type SubjectBook,
  type SubjectChange,
  SubjectRegister,
} from "./register.js";
export { PgSubjectRegister } from "./register-pg.js";
export { entityFingerprint, type Subject, subjectFingerprint } from "./subject.js";
