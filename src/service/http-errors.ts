// Every error the service answers with, mapped to an HTTP status in this one table. Bodies
// keep yente's `detail` and add a stable `code` and the `field` at fault:
// `{"detail": "...", "code": "INTERDICT_E_INPUT", "field": "threshold"}`.

import type { FastifyError } from "fastify";
import { type ErrorCode, InterdictError } from "../errors.js";

export const STATUS: Partial<Record<ErrorCode, number>> = {
  INTERDICT_E_INPUT: 400,
  INTERDICT_E_USAGE: 400,
  INTERDICT_E_LIST_FORMAT: 400,
  INTERDICT_E_UNKNOWN_FORMAT: 415,
  INTERDICT_E_AUTH: 401,
  INTERDICT_E_FORBIDDEN: 403,
  INTERDICT_E_NOT_FOUND: 404,
  INTERDICT_E_UNKNOWN_DATASET: 404,
  INTERDICT_E_LIMIT: 413,
  INTERDICT_E_RATE_LIMIT: 429,
  INTERDICT_E_SUSPECT_VERSION: 409,
  INTERDICT_E_CONFLICT: 409,
  INTERDICT_E_NOT_READY: 503,
  INTERDICT_E_DOWNLOAD: 502,
};

/** Fastify's own errors about a request, as our codes (the rest keep Fastify's 4xx status). */
const FASTIFY: Record<string, { status: number; code: ErrorCode; field: string; detail?: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: "INTERDICT_E_LIMIT", field: "body" },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: "INTERDICT_E_INPUT",
    field: "content-type",
    detail:
      "Unsupported Content-Type: send application/json, application/x-www-form-urlencoded, XML or text/plain",
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: "INTERDICT_E_INPUT", field: "body" },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: "INTERDICT_E_INPUT", field: "content-length" },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: "INTERDICT_E_INPUT", field: "body" },
};

export interface ErrorReply {
  status: number;
  body: { detail: string; code: string; field?: string };
  /** Not a problem with the request: log it as an error. */
  internal: boolean;
}

interface ValidationIssue {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** A schema validation failure: the first issue, with its field as a dotted path. */
function validation(
  e: FastifyError & { validation: ValidationIssue[]; validationContext?: string },
): ErrorReply {
  const v: ValidationIssue = e.validation[0] ?? {};
  const parts = (v.instancePath ?? "").split("/").filter(Boolean);
  // A repeated query parameter is one field, whichever of its values is wrong.
  if (e.validationContext === "querystring") while (/^\d+$/.test(parts.at(-1) ?? "")) parts.pop();
  const missing = v.params?.missingProperty;
  if (typeof missing === "string") parts.push(missing);
  const extra = v.params?.additionalProperty;
  if (typeof extra === "string") parts.push(extra);
  const field = parts.join(".") || (e.validationContext ?? "body");
  const where =
    e.validationContext === "querystring"
      ? "query parameter"
      : e.validationContext === "params"
        ? "path"
        : "body";
  return {
    status: 422,
    body: {
      detail: `${where} field ${field}: ${v.message ?? "is invalid"}`,
      code: "INTERDICT_E_INPUT",
      field,
    },
    internal: false,
  };
}

export function toErrorReply(e: unknown): ErrorReply {
  if (e instanceof InterdictError) {
    const status = STATUS[e.code] ?? 400;
    return {
      status,
      body: { detail: e.message, code: e.code, ...(e.where.field ? { field: e.where.field } : {}) },
      internal: status >= 500 && status !== 503,
    };
  }
  const fe = e as FastifyError & { validation?: ValidationIssue[]; validationContext?: string };
  if (fe?.validation) return validation(fe as FastifyError & { validation: ValidationIssue[] });
  const known = fe?.code ? FASTIFY[fe.code] : undefined;
  if (known) {
    return {
      status: known.status,
      body: { detail: known.detail ?? fe.message, code: known.code, field: known.field },
      internal: false,
    };
  }
  if (fe?.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return {
      status: fe.statusCode,
      body: { detail: fe.message, code: "INTERDICT_E_INPUT" },
      internal: false,
    };
  }
  return { status: 500, body: { detail: "Internal error", code: "INTERDICT_E_INTERNAL" }, internal: true };
}
