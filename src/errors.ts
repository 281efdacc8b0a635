// Errors with a stable code and a location. Every layer throws these; the CLI prints them and
// the HTTP server maps codes to status in one table.

export type ErrorCode =
  | "INTERDICT_E_LIST_FORMAT" // a list file is not what its format says it is
  | "INTERDICT_E_UNKNOWN_FORMAT" // no reader recognises the file
  | "INTERDICT_E_UNKNOWN_DATASET" // a dataset name we do not know, or none could be inferred
  | "INTERDICT_E_LIMIT" // a file or archive over a safety limit (zip bomb, oversized entry)
  | "INTERDICT_E_SUSPECT_VERSION" // a new version would remove too much of a dataset
  | "INTERDICT_E_NOT_FOUND"
  | "INTERDICT_E_DOWNLOAD"
  | "INTERDICT_E_AUTH" // no API key, or one that is unknown or revoked (HTTP 401)
  | "INTERDICT_E_FORBIDDEN" // a valid key whose role does not allow the request (HTTP 403)
  | "INTERDICT_E_RATE_LIMIT" // a key over its request rate (HTTP 429)
  | "INTERDICT_E_NOT_READY" // the service is still loading its index (HTTP 503)
  | "INTERDICT_E_USAGE"
  | "INTERDICT_E_CONFLICT" // at odds with the state it acts on, e.g. an alert already decided (HTTP 409)
  | "INTERDICT_E_INPUT"; // a request or message that is malformed (the HTTP layer answers 400/422)

/** Where in the input a problem is: file, line (1-based), record id, field. */
export interface Location {
  file?: string;
  line?: number;
  record?: string;
  field?: string;
}

export class InterdictError extends Error {
  readonly code: ErrorCode;
  readonly where: Location;

  constructor(code: ErrorCode, message: string, where: Location = {}) {
    super(formatMessage(message, where));
    this.name = "InterdictError";
    this.code = code;
    this.where = where;
  }
}

function formatMessage(message: string, where: Location): string {
  const parts: string[] = [];
  if (where.file) parts.push(where.line ? `${where.file}:${where.line}` : where.file);
  if (where.record) parts.push(`record ${where.record}`);
  if (where.field) parts.push(`field ${where.field}`);
  return parts.length ? `${parts.join(", ")}: ${message}` : message;
}

/** A problem that does not stop the list from loading: the value is kept in the source record. */
export interface Issue extends Location {
  code: string;
  message: string;
}
