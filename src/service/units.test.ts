// The service's small parts on their own: settings (flag over variable over default), the
// token bucket, keys (hashed, roles, revocation) and how a key is read from a request.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import Database from "better-sqlite3";
import { keyFromRequest, RateLimiter, redactUrl } from "./auth.js";
import { loadConfig, SERVICE_DEFAULTS } from "./config.js";
import { hashKey, KeyStore, roleAllows } from "./records.js";

describe("settings", () => {
  it("takes a flag over an INTERDICT_* variable over the default", () => {
    const env = {
      INTERDICT_PORT: "9000",
      INTERDICT_HOST: "0.0.0.0",
      INTERDICT_CORS_ORIGINS: "https://a.example, https://b.example",
    };
    const c = loadConfig({ port: "8080", workers: "2" }, env);
    assert.equal(c.port, 8080);
    assert.equal(c.host, "0.0.0.0");
    assert.equal(c.workers, 2);
    assert.deepEqual(c.corsOrigins, ["https://a.example", "https://b.example"]);
    assert.equal(c.rateLimit, SERVICE_DEFAULTS.rateLimit);
    assert.deepEqual(loadConfig({ corsOrigins: ["*"] }, {}).corsOrigins, ["*"]);
    assert.equal(loadConfig({}, { INTERDICT_TRUST_PROXY: "yes" }).trustProxy, true);
  });

  const BAD: [Record<string, string>, Record<string, string>, RegExp][] = [
    [{ port: "http" }, {}, /--port must be a whole number from 0 to 65535/],
    [{}, { INTERDICT_PORT: "70000" }, /INTERDICT_PORT must be a whole number/],
    [{ rateLimit: "-1" }, {}, /--rate-limit must be a number/],
    [{ logLevel: "loud" }, {}, /--log-level must be one of/],
    [{}, { INTERDICT_TRUST_PROXY: "maybe" }, /INTERDICT_TRUST_PROXY must be true or false/],
    [{ bodyLimit: "10" }, {}, /--body-limit must be a whole number from 1024/],
  ];
  for (const [flags, env, message] of BAD) {
    it(`refuses ${JSON.stringify({ ...flags, ...env })}`, () => {
      assert.throws(
        () => loadConfig(flags, env),
        (e: Error & { code?: string }) => {
          assert.equal(e.code, "INTERDICT_E_USAGE");
          assert.match(e.message, message);
          return true;
        },
      );
    });
  }
});

describe("rate limiter (token bucket per key)", () => {
  it("lets a burst through, then refills at the rate, each key on its own", () => {
    let now = 0;
    const rl = new RateLimiter(2, 3, () => now);
    assert.deepEqual([rl.take("a"), rl.take("a"), rl.take("a")], [0, 0, 0]);
    assert.equal(rl.take("a"), 1, "empty: retry in a second");
    assert.equal(rl.take("b"), 0);
    now = 500;
    assert.equal(rl.take("a"), 0, "half a second at 2/s refills one");
    assert.equal(rl.take("a"), 1);
    now = 10_000;
    assert.equal(rl.take("a", 10), 0, "a cost above the burst is capped at the burst");
    assert.equal(rl.take("a", 2), 1);
    assert.equal(new RateLimiter(0, 1).take("x", 100), 0, "rate 0: off");
  });
});

describe("API keys", () => {
  it("stores only the SHA-256, verifies, revokes once, and knows the roles", () => {
    const db = new Database(":memory:");
    const keys = new KeyStore(db);
    const k = keys.create("analyst", "case team");
    const row = db.prepare("SELECT * FROM service_api_key").get() as Record<string, string>;
    assert.equal(row.key_hash, hashKey(k.key));
    assert.ok(!Object.values(row).includes(k.key));
    assert.equal(keys.verify(k.key)?.role, "analyst");
    assert.equal(keys.verify(`${k.key}x`), undefined);
    keys.revoke(k.id);
    assert.equal(keys.verify(k.key), undefined);
    assert.throws(() => keys.revoke(k.id), /already revoked/);
    assert.throws(() => keys.revoke("key_nope"), /no API key/);
    assert.throws(() => keys.create("root"), /unknown role "root"/);
    assert.ok(
      roleAllows("admin", "analyst") && roleAllows("analyst", "screen") && !roleAllows("screen", "analyst"),
    );
  });

  it("reads Bearer and ApiKey headers, and ?api_key= only where allowed; masks it in URLs", () => {
    assert.equal(keyFromRequest("Bearer abc", undefined, false), "abc");
    assert.equal(keyFromRequest("ApiKey abc", undefined, false), "abc");
    assert.equal(keyFromRequest("Basic abc:def", undefined, false), "");
    assert.equal(keyFromRequest(undefined, "api_key=abc", false), undefined);
    assert.equal(keyFromRequest(undefined, "x=1&api_key=abc", true), "abc");
    assert.equal(
      redactUrl("/reconcile/default?x=1&api_key=abc&y=2"),
      "/reconcile/default?x=1&api_key=[redacted]&y=2",
    );
  });
});
