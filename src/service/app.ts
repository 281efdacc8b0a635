// The HTTP application: Fastify with the request pipeline every route shares (body parsers
// that keep the raw bytes for the screening record, CORS, API-key auth, per-key rate limits,
// errors mapped in one place), then the routes, one file per resource.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyInstance, type FastifyRequest, LogController } from "fastify";
import { registerConsole } from "../console/plugin.js";
import { InterdictError } from "../errors.js";
import type { Store } from "../store/store.js";
import { keyFromRequest, RateLimiter, redactUrl } from "./auth.js";
import type { ServiceConfig } from "./config.js";
import { datasetTitle } from "./engine.js";
import { toErrorReply } from "./http-errors.js";
import type { LiveIndex } from "./live.js";
import {
  type ApiKey,
  type ListVersionRef,
  type Role,
  roleAllows,
  type Screening,
  type ServiceKeys,
  type ServiceScreenings,
} from "./records.js";
import { registerAlerts } from "./routes/alerts.js";
import { registerCoverage } from "./routes/coverage.js";
import { registerDesignations } from "./routes/designations.js";
import { registerLookup } from "./routes/lookup.js";
import { registerMatch } from "./routes/match.js";
import { registerMetrics } from "./routes/metrics.js";
import { registerReconcile } from "./routes/reconcile.js";
import { registerScreen } from "./routes/screen.js";
import { registerScreenings } from "./routes/screenings.js";
import { registerSystem } from "./routes/system.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The caller's key, once authenticated. */
    apiKey?: ApiKey;
    /** The body exactly as received (for the request digest). */
    rawBody?: string;
  }
  interface FastifyContextConfig {
    /** The least role a route needs; routes without one are public (health checks, docs). */
    role?: Role;
    /** The key may come as `?api_key=` (reconciliation clients cannot set headers). */
    keyInQuery?: boolean;
  }
}

export { datasetTitle };

export interface ServiceContext {
  readonly store: Store;
  readonly live: LiveIndex;
  readonly keys: ServiceKeys;
  readonly screenings: ServiceScreenings;
  readonly config: ServiceConfig;
  readonly limiter: RateLimiter;
  datasetTitle(name: string): string;
  /** Takes `cost - 1` more tokens from the caller's bucket (a batch counts once per query). */
  charge(req: FastifyRequest, cost: number): void;
  /** Writes the screening record of a request; its id goes back to the caller. */
  record(
    req: FastifyRequest,
    s: {
      kind: Screening["kind"];
      versions: readonly ListVersionRef[];
      decision: string | null;
      results: unknown;
    },
  ): Promise<Screening>;
}

export type App = FastifyInstance<
  import("node:http").Server,
  import("node:http").IncomingMessage,
  import("node:http").ServerResponse,
  import("fastify").FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface AppOptions {
  store: Store;
  live: LiveIndex;
  keys: ServiceKeys;
  screenings: ServiceScreenings;
  config: ServiceConfig;
  /** A pino destination stream for the logs (default stdout). */
  logStream?: NodeJS.WritableStream;
}

const VERSION = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;

/** The SHA-256 of a request as received: method, path and query (key removed), content type, body. */
export function requestDigest(req: FastifyRequest): string {
  return createHash("sha256")
    .update(`${req.method} ${redactUrl(req.url)}\n${req.headers["content-type"] ?? ""}\n`)
    .update(req.rawBody ?? "")
    .digest("hex");
}

export async function buildApp(o: AppOptions): Promise<App> {
  const { config } = o;
  const app = Fastify({
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    return503OnClosing: true,
    // One line per request, written on response (below), with the key's id.
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: "idle",
    logger: {
      level: config.logLevel,
      ...(o.logStream ? { stream: o.logStream } : {}),
      // Never a key or a body in the logs: the URL with any api_key masked, the key's id only.
      serializers: {
        req: (req: { method: string; url: string; ip?: string; socket?: { remoteAddress?: string } }) => ({
          method: req.method,
          url: redactUrl(req.url),
          remoteAddress: req.ip ?? req.socket?.remoteAddress,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
    ajv: { customOptions: { coerceTypes: "array", allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.decorateRequest("apiKey", undefined);
  app.decorateRequest("rawBody", undefined);

  const limiter = new RateLimiter(config.rateLimit, config.rateBurst);
  const ctx: ServiceContext = {
    store: o.store,
    live: o.live,
    keys: o.keys,
    screenings: o.screenings,
    config,
    limiter,
    datasetTitle,
    charge(req, cost) {
      if (!req.apiKey || cost <= 1) return;
      const wait = limiter.take(req.apiKey.id, cost - 1);
      if (wait > 0) throw rateLimited(wait);
    },
    async record(req, s) {
      return o.screenings.record({
        keyId: req.apiKey?.id ?? null,
        kind: s.kind,
        endpoint: `${req.method} ${redactUrl(req.url).split("?")[0]}`,
        requestDigest: requestDigest(req),
        listVersions: s.versions,
        decision: s.decision,
        results: s.results,
      });
    },
  };

  // Body parsers keep the raw text. JSON is also what a body without a Content-Type is taken
  // to be, as yente does.
  app.removeAllContentTypeParsers();
  const parseJson = (req: FastifyRequest, body: string): unknown => {
    req.rawBody = body;
    if (body.trim() === "") return undefined;
    try {
      return JSON.parse(body);
    } catch (e) {
      throw new InterdictError("INTERDICT_E_INPUT", `malformed JSON: ${(e as Error).message}`, {
        field: "body",
      });
    }
  };
  app.addContentTypeParser("application/json", { parseAs: "string" }, (req, body, done) => {
    try {
      done(null, parseJson(req, body as string));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (req, body, done) => {
    // `curl -d '{...}'` labels JSON as a form; a real form never starts with an unescaped brace.
    if (/^\s*[{[]/.test(body as string)) {
      try {
        done(null, parseJson(req, body as string));
      } catch (e) {
        done(e as Error, undefined);
      }
      return;
    }
    req.rawBody = body as string;
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  for (const type of ["application/xml", "text/xml", "text/plain", /^application\/[\w.+-]*xml$/]) {
    app.addContentTypeParser(type, { parseAs: "string" }, (req, body, done) => {
      req.rawBody = body as string;
      done(null, body);
    });
  }
  app.addContentTypeParser("*", { parseAs: "string" }, (req, body, done) => {
    if (req.headers["content-type"]) {
      done(
        Object.assign(new Error("Unsupported Media Type"), { code: "FST_ERR_CTP_INVALID_MEDIA_TYPE" }),
        undefined,
      );
      return;
    }
    try {
      done(null, parseJson(req, body as string));
    } catch (e) {
      done(e as Error, undefined);
    }
  });

  // CORS: off unless origins are configured.
  const origins = config.corsOrigins;
  if (origins.length > 0) {
    app.addHook("onRequest", async (req, reply) => {
      const origin = req.headers.origin;
      if (!origin || !(origins.includes("*") || origins.includes(origin))) return;
      reply.header("access-control-allow-origin", origins.includes("*") ? "*" : origin);
      reply.header("vary", "Origin");
      if (req.method === "OPTIONS" && req.headers["access-control-request-method"]) {
        reply
          .header("access-control-allow-methods", "GET, POST, OPTIONS")
          .header(
            "access-control-allow-headers",
            req.headers["access-control-request-headers"] ?? "authorization, content-type",
          )
          .header("access-control-max-age", "600")
          .code(204)
          .send();
        return reply;
      }
    });
    app.options("/*", { schema: { hide: true } }, async (_req, reply) => reply.code(204).send());
  }

  // Authentication and rate limits, before any body is read.
  app.addHook("onRequest", async (req, reply) => {
    if (reply.sent) return;
    const cfg = req.routeOptions.config;
    const need = cfg?.role;
    if (!need) return;
    const [, query] = req.url.split("?", 2) as [string, string | undefined];
    const secret = keyFromRequest(req.headers.authorization, query, cfg.keyInQuery ?? false);
    if (secret === undefined) {
      throw new InterdictError("INTERDICT_E_AUTH", "API key required: send Authorization: Bearer <key>", {
        field: "authorization",
      });
    }
    const key = secret ? await o.keys.verify(secret) : undefined;
    if (!key) {
      throw new InterdictError("INTERDICT_E_AUTH", "invalid or revoked API key", { field: "authorization" });
    }
    req.apiKey = key;
    if (!roleAllows(key.role, need)) {
      throw new InterdictError(
        "INTERDICT_E_FORBIDDEN",
        `this needs the ${need} role; the key has ${key.role}`,
        {
          field: "authorization",
        },
      );
    }
    const wait = limiter.take(key.id, 1);
    if (wait > 0) throw rateLimited(wait);
  });

  app.addHook("onResponse", async (req, reply) => {
    req.log.info(
      {
        req,
        res: reply,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        ...(req.apiKey ? { key: req.apiKey.id } : {}),
      },
      "request",
    );
  });

  app.setErrorHandler((err, req, reply) => {
    const r = toErrorReply(err);
    if (r.internal) req.log.error({ err }, "request failed");
    if (r.status === 401) reply.header("www-authenticate", 'Bearer realm="interdict"');
    const retry = (err as { retryAfter?: number }).retryAfter;
    if (r.status === 429 && retry) reply.header("retry-after", String(retry));
    return reply.code(r.status).send(r.body);
  });
  app.setNotFoundHandler((_req, reply) =>
    reply.code(404).send({ detail: "Not Found", code: "INTERDICT_E_NOT_FOUND", field: "path" }),
  );

  await app.register(swagger, {
    openapi: {
      info: {
        title: "Interdict screening API",
        version: VERSION,
        description:
          "Screening against the official sanctions lists: yente-compatible matching, search, entities and reconciliation; visa and payment decisions; every screening recorded. Send `Authorization: Bearer <key>` (keys from `interdict keys create`).",
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });

  registerMetrics(app, ctx); // first: its hooks and counters see every route
  registerSystem(app, ctx);
  registerMatch(app, ctx);
  registerLookup(app, ctx);
  registerReconcile(app, ctx);
  registerScreenings(app, ctx);
  registerScreen(app, ctx);
  registerCoverage(app, ctx);
  registerDesignations(app, ctx);
  registerAlerts(app, ctx);
  // The console on either store: its users, sessions, cases and audit entries are the store's
  // own, so on PostgreSQL every replica serves it; the pages still needing SQLite say so.
  await registerConsole(app, ctx);
  return app;
}

function rateLimited(seconds: number): InterdictError {
  return Object.assign(
    new InterdictError("INTERDICT_E_RATE_LIMIT", `rate limit exceeded: retry in ${seconds} s`, {
      field: "authorization",
    }),
    { retryAfter: seconds },
  );
}

/** The datasets a request may see: the path dataset (`default`: all) ∩ include − exclude. */
export function datasetScope(
  versions: readonly ListVersionRef[],
  dataset: string,
  include: readonly string[] = [],
  exclude: readonly string[] = [],
): string[] | undefined {
  const loaded = versions.map((v) => v.dataset);
  if (dataset !== "default" && !loaded.includes(dataset)) {
    throw new InterdictError("INTERDICT_E_UNKNOWN_DATASET", "No such dataset.", { field: "dataset" });
  }
  if (dataset === "default" && include.length === 0 && exclude.length === 0) return undefined;
  let scope = dataset === "default" ? loaded : [dataset];
  if (include.length) scope = scope.filter((d) => include.includes(d));
  return scope.filter((d) => !exclude.includes(d));
}
