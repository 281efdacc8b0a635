// The analyst console at `/` of the service: server-rendered pages on user sessions (a cookie)
// with a CSRF token per session; the API beside it keeps its Bearer keys. Registered as an
// encapsulated Fastify plugin, so its error pages and multipart parser touch no API route.
// On either store: users, sessions, cases and the audit trail are the store's own (books.ts,
// users-pg.ts), so on PostgreSQL a session made through one replica works through every other.

import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { FastifyReply, FastifyRequest } from "fastify";
import { type AuditAction, type AuditEntry, currentVersions } from "../audit/log.js";
import type { AuditEvent, AuditTrail } from "../audit/log-pg.js";
import { InterdictError } from "../errors.js";
import type { App, ServiceContext } from "../service/app.js";
import { toErrorReply } from "../service/http-errors.js";
import { PostgresStore } from "../store/postgres.js";
import type { Store } from "../store/store.js";
import { roleRank, type Session, type UserDirectory, type UserRole } from "../users/users.js";
import { usersOf } from "../users/users-pg.js";
import { type ConsoleBooks, consoleBooks } from "./books.js";
import { registerCoveragePages } from "./coverage.js";
import { registerDesignationPages } from "./designations.js";
import { type Html, html, page } from "./html.js";
import { parseMultipart } from "./multipart.js";
import { registerPages } from "./pages.js";

export const CONSOLE_COOKIE = "interdict_session";
const LOGIN_COOKIE = "interdict_login";

declare module "fastify" {
  interface FastifyRequest {
    consoleSession?: Session & { token: string };
    form?: Record<string, string>;
    files?: { field: string; name: string; type: string; content: Buffer }[];
  }
}

export function cookies(req: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

function setCookie(req: FastifyRequest, reply: FastifyReply, name: string, value: string, maxAge: number) {
  const secure = req.protocol === "https" ? "; Secure" : "";
  reply.header(
    "set-cookie",
    `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`,
  );
}

export interface ConsoleContext extends ServiceContext {
  readonly users: UserDirectory;
  /** The cases, alert queue and audit trail of the store's engine. */
  readonly books: ConsoleBooks;
  /** The page for a request, with the signed-in user's navigation. */
  render(
    req: FastifyRequest,
    title: string,
    active: string,
    body: Html,
    flash?: { text: string; error?: boolean },
  ): string;
  /** Throws a 403 unless the user's role is at least `role` (auditors: only where `auditorToo`). */
  need(req: FastifyRequest, role: UserRole): Session;
  audit(req: FastifyRequest, action: AuditAction, detail: Record<string, unknown>): Promise<void>;
}

const HTMX = (() => {
  const require = createRequire(import.meta.url);
  return readFileSync(require.resolve("htmx.org/dist/htmx.min.js"), "utf8");
})();

/**
 * Runs `fn` while no other process runs it on the same PostgreSQL database (a session advisory
 * lock on a connection of its own), so replicas starting together catch the log up once.
 */
async function alone<T>(store: Store, fn: () => Promise<T>): Promise<T> {
  if (!(store instanceof PostgresStore)) return fn();
  const client = await store.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtext('interdict_console_catch_up'))");
    return await fn();
  } finally {
    await client.end().catch(() => {}); // ending the session releases the lock
  }
}

/** Appends each event to the trail, in order. */
async function appendAll(trail: AuditTrail, events: readonly AuditEvent[]): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  for (const e of events) out.push(await trail.append(e.actor, e.action, e.detail, e.listVersions, e.at));
  return out;
}

/**
 * Every list version not yet in the log (ingests write versions without knowing of the log; this
 * catches up whenever the service starts), on either store's trail.
 */
async function recordIngests(ctx: ServiceContext, trail: AuditTrail): Promise<void> {
  const seen = new Set((await trail.details("ingest")).map((d) => d.version_id));
  const events: AuditEvent[] = [];
  for (const d of await ctx.store.datasets()) {
    for (const v of await ctx.store.versions(d.name)) {
      if (seen.has(v.id) || v.status === "staging") continue;
      events.push({
        actor: "system",
        action: "ingest",
        detail: {
          dataset: v.dataset,
          version: v.version,
          version_id: v.id,
          status: v.status,
          entities: v.entityCount,
          written_at: v.createdAt,
        },
        listVersions: [`${v.dataset}@${v.version}`],
      });
    }
  }
  await appendAll(trail, events);
}

/** Keys created or revoked since the log last saw them (the keys CLI writes no audit itself). */
async function recordKeyChanges(ctx: ServiceContext, trail: AuditTrail): Promise<void> {
  const seen = new Set((await trail.details("key_change")).map((d) => `${d.key}:${d.change}`));
  const events: AuditEvent[] = [];
  for (const k of await ctx.keys.list()) {
    if (!seen.has(`${k.id}:created`))
      events.push({
        actor: "cli",
        action: "key_change",
        detail: { key: k.id, change: "created", role: k.role, name: k.name, at: k.createdAt },
      });
    if (k.revokedAt && !seen.has(`${k.id}:revoked`))
      events.push({
        actor: "cli",
        action: "key_change",
        detail: { key: k.id, change: "revoked", at: k.revokedAt },
      });
  }
  await appendAll(trail, events);
}

/** The configuration the service runs with, logged when it differs from the last one logged. */
async function recordConfig(ctx: ServiceContext, trail: AuditTrail): Promise<void> {
  const config = JSON.parse(JSON.stringify(ctx.config)) as Record<string, unknown>;
  const sha = createHash("sha256").update(JSON.stringify(config)).digest("hex");
  const last = (await trail.details("config")).at(-1);
  if (last?.sha256 !== sha) await trail.append("system", "config", { sha256: sha, config });
}

export async function registerConsole(app: App, ctx: ServiceContext): Promise<void> {
  const users = usersOf(ctx.store);
  const books = consoleBooks(ctx.store);
  const { trail } = books;
  await alone(ctx.store, async () => {
    await recordIngests(ctx, trail);
    await recordKeyChanges(ctx, trail);
    await recordConfig(ctx, trail);
  });

  const cx: ConsoleContext = {
    ...ctx,
    users,
    books,
    render(req, title, active, body, flash) {
      const s = req.consoleSession;
      return page(title, s ? { user: s.user, csrf: s.csrf, active } : {}, body, flash);
    },
    need(req, role) {
      const s = req.consoleSession;
      if (!s) throw new InterdictError("INTERDICT_E_AUTH", "sign in first");
      if (s.user.role === role || (s.user.role !== "auditor" && roleRank(s.user.role) >= roleRank(role)))
        return s;
      throw new InterdictError(
        "INTERDICT_E_FORBIDDEN",
        `this page needs the ${role} role; you are ${s.user.role}`,
      );
    },
    async audit(req, action, detail) {
      const s = req.consoleSession;
      await trail.append(
        s?.user.name ?? "anonymous",
        action,
        { ...(s ? { role: s.user.role } : {}), ip: req.ip, ...detail },
        await currentVersions(ctx.store),
      );
    },
  };

  await app.register(async (ui) => {
    ui.addContentTypeParser("multipart/form-data", { parseAs: "buffer" }, (req, body, done) => {
      try {
        const parts = parseMultipart(body as Buffer, String(req.headers["content-type"]));
        req.files = parts.files;
        done(null, parts.fields);
      } catch (e) {
        done(e as Error, undefined);
      }
    });

    // Every console request: find the session; pages need one (except the login form), and
    // every POST carries the session's CSRF token (or, to log in, the login cookie's).
    ui.addHook("preHandler", async (req, reply) => {
      reply.header("x-frame-options", "DENY");
      reply.header(
        "content-security-policy",
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
      );
      reply.header("cache-control", "no-store");
      const c = cookies(req);
      const token = c[CONSOLE_COOKIE];
      const s = token ? await users.session(token) : undefined;
      if (s && token) req.consoleSession = { ...s, token };
      const path = req.url.split("?")[0] ?? "";
      const body = (req.body ?? {}) as Record<string, unknown>;
      req.form = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, String(v ?? "")]));
      if (req.method === "POST") {
        const sent = req.form._csrf ?? "";
        const want = path === "/ui/login" ? (c[LOGIN_COOKIE] ?? "") : (req.consoleSession?.csrf ?? "");
        if (!want || !sent || !same(sent, want)) {
          await cx.audit(req, "login_failed", { reason: "csrf", path });
          throw new InterdictError(
            "INTERDICT_E_FORBIDDEN",
            "the form's security token is missing or wrong: reload the page and try again",
            { field: "_csrf" },
          );
        }
      }
      if (!req.consoleSession && path !== "/" && path !== "/ui/login" && path !== "/ui/htmx.js") {
        return reply.redirect(`/?next=${encodeURIComponent(req.url)}`, 303);
      }
    });

    ui.setErrorHandler(async (err, req, reply) => {
      const r = toErrorReply(err);
      if (r.internal) req.log.error({ err }, "console request failed");
      const text = (r.body as { detail?: string }).detail ?? "error";
      return reply
        .code(r.status)
        .type("text/html; charset=utf-8")
        .send(
          cx.render(
            req,
            r.status === 403 ? "Not allowed" : r.status === 404 ? "Not found" : "Something went wrong",
            "",
            html`<p><a href="/">Back to the start</a></p>`,
            { text, error: true },
          ),
        );
    });

    ui.get("/ui/htmx.js", { schema: { hide: true } }, async (_req, reply) =>
      reply
        .type("text/javascript; charset=utf-8")
        .header("cache-control", "public, max-age=86400")
        .send(HTMX),
    );

    ui.get("/", { schema: { hide: true } }, async (req, reply) => {
      if (req.consoleSession) return reply.redirect("/ui/alerts", 303);
      const token = randomBytes(24).toString("base64url");
      setCookie(req, reply, LOGIN_COOKIE, token, 3600);
      const next = (req.query as { next?: string }).next ?? "";
      return reply.type("text/html; charset=utf-8").send(loginPage(cx, req, token, next));
    });

    ui.post("/ui/login", { schema: { hide: true } }, async (req, reply) => {
      const f = req.form ?? {};
      const name = (f.name ?? "").trim();
      const r = await users.login(name, f.password ?? "");
      if (!r.ok) {
        await cx.audit(req, "login_failed", { user: name, reason: r.reason });
        const token = randomBytes(24).toString("base64url");
        setCookie(req, reply, LOGIN_COOKIE, token, 3600);
        const text =
          r.reason === "locked"
            ? `This account is locked after repeated failures until ${r.lockedUntil?.slice(0, 16).replace("T", " ")} UTC.`
            : "Wrong name or password.";
        return reply
          .code(401)
          .type("text/html; charset=utf-8")
          .send(loginPage(cx, req, token, f.next ?? "", text));
      }
      req.consoleSession = { ...r.session, token: r.token };
      await cx.audit(req, "login", {});
      setCookie(req, reply, CONSOLE_COOKIE, r.token, 8 * 3600);
      const next = f.next && /^\/ui\/[\w/?=&%.:-]*$/.test(f.next) ? f.next : "/ui/alerts";
      return reply.redirect(next, 303);
    });

    ui.post("/ui/logout", { schema: { hide: true } }, async (req, reply) => {
      const s = req.consoleSession;
      if (s) {
        await cx.audit(req, "logout", {});
        await users.logout(s.token);
      }
      setCookie(req, reply, CONSOLE_COOKIE, "", 0);
      return reply.redirect("/", 303);
    });

    registerPages(ui as unknown as App, cx);
    registerDesignationPages(ui as unknown as App, cx);
    registerCoveragePages(ui as unknown as App, cx);
  });
}

function loginPage(
  cx: ConsoleContext,
  req: FastifyRequest,
  token: string,
  next: string,
  error?: string,
): string {
  return cx.render(
    req,
    "Sign in",
    "",
    html`<form method="post" action="/ui/login" class="card" style="max-width:24rem">
  <input type="hidden" name="_csrf" value="${token}"><input type="hidden" name="next" value="${next}">
  <label>Name <input name="name" autocomplete="username" required autofocus></label>
  <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
  <button>Sign in</button></form>
<p class="mute">Accounts are created with <code>interdict users create NAME --role analyst|supervisor|admin|auditor</code>.</p>`,
    error ? { text: error, error: true } : undefined,
  );
}
