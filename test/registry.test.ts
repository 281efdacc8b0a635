// The designation registry end to end on a real SQLite store: a case from draft to publication,
// enforced by the service's engine (visa refused, payment blocked), exported without its
// classified annex, read back by the OFAC readers, delisted through a petition (both screenings
// clear again), with the history and the report to the legislature listing both events; a
// company 60 % owned by designated persons screens as blocked with the chain. The CLI contract
// (`interdict designations …` then `interdict match`) runs as a real process.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ingest } from "../src/ingest/ingest.js";
import type { Entity } from "../src/model/entity.js";
import {
  annualReport,
  deadlines,
  publish,
  Registry,
  toFtmLines,
  toOfacCsv,
  toSdnXml,
} from "../src/registry/index.js";
import { parsePayment } from "../src/screen/payment/index.js";
import { Engine } from "../src/service/engine.js";
import { currentVersions } from "../src/service/live.js";
import { SqliteStore } from "../src/store/sqlite.js";

let clock = new Date("2026-03-02T10:00:00Z");
const setDay = (d: string) => {
  clock = new Date(`${d}T10:00:00Z`);
};

const torturer = {
  subject: {
    schema: "Person",
    properties: {
      name: ["Viktor Sergeyevich Oblomkin", "Виктор Сергеевич Обломкин"],
      birthDate: ["1968-05-14"],
      nationality: ["ru"],
      passportNumber: ["4509 112233"],
      position: ["Head of pre-trial detention centre No. 9"],
    },
  },
  authority: "us-glomag-10102",
  criterion: "10102(a)(1)",
  statement_of_reasons: "Ordered the torture of a lawyer who exposed a tax fraud by officials.",
  evidence: [
    {
      source_type: "NGO report",
      date: "2025-11-20",
      classification: "public",
      description: "witness statements",
      file: { name: "report.txt", bytes: new TextEncoder().encode("witness statements") },
    },
  ],
};

async function engineOf(store: SqliteStore): Promise<Engine> {
  return Engine.build(store, await currentVersions(store));
}

const visaOf = (e: Engine) =>
  e.visa({
    names: ["Viktor Oblomkin"],
    birthDate: "1968-05-14",
    nationalities: ["ru"],
    passport: { number: "4509112233" },
  });
const paymentOf = (e: Engine, creditor: string) =>
  e.payment(
    parsePayment(
      JSON.stringify({
        message_id: "m1",
        amount: { value: "5000.00", currency: "USD" },
        debtor: { name: "Acme Trading Ltd", account: "GB33BUKB20201555555555" },
        creditor: { name: creditor },
      }),
      "application/json",
    ),
  );

async function entitiesOf(store: SqliteStore): Promise<Entity[]> {
  const out: Entity[] = [];
  for await (const e of store.entities("registry")) out.push(e);
  return out;
}

describe("designation registry", () => {
  const store = new SqliteStore(":memory:");
  const reg = new Registry(store.db, { now: () => clock });

  it("refuses an incomplete case, approval by the proposer, unknown bases and bad subjects", () => {
    assert.throws(() => reg.create({ ...torturer, authority: "us-nowhere" }, "alice"), /unknown legal basis/);
    assert.throws(() => reg.create({ ...torturer, criterion: "10102(a)(9)" }, "alice"), /not a criterion/);
    assert.throws(
      () => reg.create({ ...torturer, subject: { schema: "Sanction", properties: {} } }, "alice"),
      /subject.schema/,
    );
    const draft = reg.create({ ...torturer, statement_of_reasons: "", evidence: [] }, "alice");
    assert.throws(() => reg.propose(draft.id, "alice"), /incomplete.*statement_of_reasons.*evidence/);
  });

  let id = "";
  it("walks a case from draft to publication; the approver differs from the proposer", async () => {
    const c = reg.create(torturer, "alice");
    id = c.id;
    assert.equal(c.status, "draft");
    assert.equal(c.standard_of_proof, "credible evidence");
    assert.deepEqual(c.measures, ["travel_ban", "asset_freeze"]);
    assert.equal(c.evidence[0]?.sha256, createHash("sha256").update("witness statements").digest("hex"));
    assert.equal(reg.file(c.evidence[0]?.sha256 ?? "")?.bytes.toString(), "witness statements");
    reg.propose(id, "alice");
    assert.throws(() => reg.approve(id, "alice"), /different user must approve/);
    reg.approve(id, "bob");

    const before = await engineOf(store);
    assert.equal(visaOf(before).decision, "clear");
    const pub = await publish(reg, store, "bob");
    assert.deepEqual(pub.listed, [id]);
    assert.equal(pub.summary.added, 2); // the person and the Sanction
    assert.equal(reg.get(id).status, "published");

    const e = await engineOf(store);
    const visa = visaOf(e);
    assert.equal(visa.decision, "refuse", visa.reason);
    assert.match(visa.hits[0]?.legal_grounds.join(" ") ?? "", /travel ban imposed by this designation/);
    const pay = paymentOf(e, "Viktor Sergeyevich Oblomkin");
    assert.equal(pay.decision, "block", JSON.stringify(pay));
  });

  it("keeps the classified annex out of every export while screening enforces it", async () => {
    const secret = reg.create(
      {
        ...torturer,
        subject: { schema: "Person", properties: { name: ["Grigory Annexov"], birthDate: ["1971-01-01"] } },
        classified: true,
      },
      "alice",
    );
    reg.propose(secret.id, "alice");
    reg.approve(secret.id, "carol");
    await publish(reg, store, "carol");
    const entities = await entitiesOf(store);
    assert.ok(entities.some((x) => x.id === `registry:${secret.id}`));
    const e = await engineOf(store);
    assert.equal(
      e.visa({ names: ["Grigory Annexov"], birthDate: "1971-01-01", nationalities: [] }).decision,
      "refuse",
    );

    const ftm = toFtmLines(entities);
    const csv = toOfacCsv(entities);
    const xml = toSdnXml(entities, "2026-03-02");
    for (const text of [ftm, csv["SDN.CSV"], csv["ALT.CSV"], xml]) assert.doesNotMatch(text, /Annexov/);
    assert.match(ftm, /Oblomkin/);
    assert.match(csv["SDN.CSV"], /^\d+,"OBLOMKIN, Viktor Sergeyevich","individual","GLOMAG",/m);
    assert.match(csv["SDN.CSV"], /DOB 14 May 1968; nationality Russian Federation; Passport 4509 112233/);

    // The OFAC readers read our CSV set and XML back as the same person.
    const dir = mkdtempSync(join(tmpdir(), "registry-export-"));
    for (const [name, text] of Object.entries(csv)) if (text) writeFileSync(join(dir, name), text);
    writeFileSync(join(dir, "sdn.xml"), xml);
    const check = new SqliteStore(":memory:");
    await ingest(check, [join(dir, "SDN.CSV"), join(dir, "ALT.CSV")], {
      dataset: "csv_check",
    });
    await ingest(check, [join(dir, "sdn.xml")], { dataset: "xml_check" });
    for (const ds of ["csv_check", "xml_check"]) {
      const people: Entity[] = [];
      for await (const x of check.entities(ds)) if (x.schema === "Person") people.push(x);
      assert.equal(people.length, 1, ds);
      assert.deepEqual(people[0]?.properties.birthDate, ["1968-05-14"], ds);
      assert.match(JSON.stringify(people[0]?.properties), /Oblomkin/i, ds);
    }
    await check.close();
  });

  it("refuses a petition for an entity never designated; a granted petition delists and publication clears both screenings", async () => {
    assert.throws(
      () => reg.petition("D-999999", { petitioner: "x", grounds: ["other"], statement: "s" }, "lawyer"),
      /never designated/,
    );
    const draft = reg.list({ status: "draft" })[0];
    assert.throws(
      () => reg.petition(draft?.id ?? "", { petitioner: "x", grounds: ["other"], statement: "s" }, "lawyer"),
      /never published/,
    );
    setDay("2026-06-10");
    const p = reg.petition(
      id,
      { petitioner: "V. Oblomkin", grounds: ["changed_circumstances"], statement: "Retired in 2025." },
      "clerk",
    );
    reg.correspond(p.id, "out", "Please provide proof of retirement.", "clerk");
    assert.throws(() => reg.decidePetition(p.id, "granted", "", "bob"), /in writing/);
    reg.decidePetition(p.id, "granted", "Retirement verified; no longer in a position to act.", "bob");
    assert.equal(reg.get(id).status, "delisted");
    const pub = await publish(reg, store, "bob");
    assert.deepEqual(pub.removed, [id]);
    assert.ok(pub.unblocked.some((u) => u.id === `registry:${id}`));

    const e = await engineOf(store);
    assert.equal(visaOf(e).decision, "clear");
    assert.equal(paymentOf(e, "Viktor Sergeyevich Oblomkin").decision, "release");

    const history = reg.history(id).map((h) => h.action);
    for (const step of [
      "created",
      "evidence_added",
      "proposed",
      "approved",
      "published",
      "petition_filed",
      "petition_granted",
      "delisted",
      "removed",
    ]) {
      assert.ok(history.includes(step), `${step} in ${history.join(",")}`);
    }
    const report = annualReport(reg.list(), reg.petitions(), { year: 2026, bases: ["us-glomag-10102"] });
    assert.equal(report.due, "2026-12-10");
    assert.deepEqual(
      report.added.map((a) => a.name),
      ["Viktor Sergeyevich Oblomkin"],
    );
    assert.deepEqual(
      report.removed.map((a) => [a.name, a.date]),
      [["Viktor Sergeyevich Oblomkin", "2026-06-10"]],
    );
    assert.deepEqual(report.classified, { added: 1, removed: 0 });
    assert.equal(report.petitions.granted, 1);
  });

  it("tracks the 120-day requests and the 15-day termination notice", () => {
    const r = reg.request(
      { committee: "Senate Foreign Relations", about: "consider X", received_at: "2026-01-05" },
      "clerk",
    );
    assert.equal(r.due_at, "2026-05-05");
    const d = deadlines(reg.list(), reg.requests(), clock.toISOString());
    assert.equal(d.find((x) => x.ref === r.id)?.state, "overdue");
    // Terminated with immediate effect: the notice could not come 15 days before.
    assert.equal(d.find((x) => x.kind === "termination_notice" && x.ref === id)?.state, "late");
    assert.ok(d.some((x) => x.kind === "annual_report" && x.due === "2026-12-10"));
  });

  it("blocks a company owned 60 % by designated persons, with the chain; recomputes on delisting", async () => {
    const a = reg.create(
      { ...torturer, subject: { schema: "Person", properties: { name: ["Anna Kupriyanova"] } } },
      "alice",
    );
    const b = reg.create(
      { ...torturer, subject: { schema: "Person", properties: { name: ["Boris Zelenin"] } } },
      "alice",
    );
    for (const c of [a, b]) {
      reg.propose(c.id, "alice");
      reg.approve(c.id, "bob");
    }
    reg.addParty(
      { id: "party:holding", schema: "Company", properties: { name: ["Zelenin Holding AG"] } },
      "analyst",
    );
    reg.addParty(
      { id: "party:target", schema: "Company", properties: { name: ["Northern Timber Export LLC"] } },
      "analyst",
    );
    reg.addEdge({ owner: a.id, asset: "party:target", percentage: 35, kind: "ownership" }, "analyst");
    reg.addEdge({ owner: b.id, asset: "party:holding", percentage: 60, kind: "ownership" }, "analyst");
    reg.addEdge(
      { owner: "party:holding", asset: "party:target", percentage: 25, kind: "ownership" },
      "analyst",
    );
    const loop = reg.addEdge(
      { owner: "party:target", asset: "party:holding", percentage: 10, kind: "ownership" },
      "x",
    );
    await assert.rejects(publish(reg, store, "bob"), /ownership cycle/);
    reg.removeEdge(loop.id, "x");
    const pub = await publish(reg, store, "bob");
    assert.deepEqual(pub.derived.map((f) => f.id).sort(), ["party:holding", "party:target"]);

    const e = await engineOf(store);
    const pay = paymentOf(e, "Northern Timber Export LLC");
    assert.equal(pay.decision, "block", JSON.stringify(pay));
    const doc = e.get("registry:50pct.party:target");
    assert.match(
      doc?.properties.notes?.join(" ") ?? "",
      /60 %.*Anna Kupriyanova 35 % \(listed\) \+ Zelenin Holding AG 25 % \(blocked: Boris Zelenin 60 %\)/,
    );

    reg.delist(b.id, "bob", "changed circumstances");
    const after = await publish(reg, store, "bob");
    assert.deepEqual(after.unblocked.map((u) => u.id).sort(), [
      "registry:50pct.party:holding",
      "registry:50pct.party:target",
      `registry:${b.id}`,
    ]);
  });
});

describe("interdict designations (CLI contract)", () => {
  const db = join(mkdtempSync(join(tmpdir(), "registry-cli-")), "interdict.db");
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, ["bin/interdict.js", "--db", db, "--quiet", ...args], {
      encoding: "utf8",
      timeout: 60_000,
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  it("create → propose → approve → publish, found by match; delist + publish, no longer found", () => {
    const file = join(tmpdir(), `registry-case-${process.pid}.json`);
    writeFileSync(
      file,
      JSON.stringify(torturer, (k, v) => (k === "file" ? undefined : v)),
    );
    const created = run(["designations", "create", file, "--user", "alice", "--json"]);
    assert.equal(created.code, 0, created.err);
    const { id } = JSON.parse(created.out) as { id: string };
    assert.equal(run(["designations", "propose", id, "--user", "alice"]).code, 0);
    const same = run(["designations", "approve", id, "--user", "alice"]);
    assert.equal(same.code, 8, "a rule refusing the user exits 8");
    assert.match(same.err, /different user/);
    assert.equal(run(["designations", "approve", id, "--user", "bob"]).code, 0);
    // A classified case alongside: enforced, but `interdict export` never writes it.
    const secretFile = join(tmpdir(), `registry-secret-${process.pid}.json`);
    writeFileSync(
      secretFile,
      JSON.stringify(
        {
          ...torturer,
          classified: true,
          subject: { schema: "Person", properties: { name: ["Grigory Annexov"] } },
        },
        (k, v) => (k === "file" ? undefined : v),
      ),
    );
    const secret = JSON.parse(run(["designations", "create", secretFile, "--user", "alice", "--json"]).out);
    assert.equal(run(["designations", "propose", secret.id, "--user", "alice"]).code, 0);
    assert.equal(run(["designations", "approve", secret.id, "--user", "bob"]).code, 0);
    const pub = run(["designations", "publish", "--user", "bob", "--json"]);
    assert.equal(pub.code, 0, pub.err);
    assert.equal(JSON.parse(pub.out).version.dataset, "registry");
    const exported = run(["export", "--dataset", "registry"]);
    assert.equal(exported.code, 0, exported.err);
    assert.match(exported.out, /Oblomkin/);
    assert.doesNotMatch(exported.out, /Annexov/);
    const found = JSON.parse(run(["match", "Viktor Oblomkin", "--json"]).out);
    assert.ok(
      found.results.some(
        (r: { entity_id: string; match: boolean }) => r.entity_id === `registry:${id}` && r.match,
      ),
    );
    assert.equal(
      run(["designations", "delist", id, "--user", "bob", "--ground", "changed circumstances"]).code,
      0,
    );
    assert.equal(run(["designations", "publish", "--user", "bob"]).code, 0);
    // The registry is the only list here: with it empty, match says no lists are loaded (exit 6).
    const after = run(["match", "Viktor Oblomkin", "--json"]);
    const gone = after.code === 0 ? JSON.parse(after.out).results : [];
    assert.ok(after.code === 0 || after.code === 6, after.err);
    assert.ok(!gone.some((r: { entity_id: string }) => r.entity_id === `registry:${id}`));
    const list = JSON.parse(run(["designations", "list", "--json"]).out);
    assert.equal(list[0].status, "delisted");
    // Every CLI step is in the audit log too, with its user, and the chain holds.
    const verified = run(["audit", "verify"]);
    assert.equal(verified.code, 0, verified.err);
    const approvals = run(["audit", "list", "--action", "designation_approved"]);
    assert.match(approvals.out, new RegExp(`bob .*designation_approved.*${id}`));
    assert.match(run(["audit", "list", "--action", "designation_delisted"]).out, /changed circumstances/);
  });
});
