// Monitoring alerts on persons (issue 6): two list entries resolution found to be one man raise
// one alert for a subject, on the canonical id, with both entries and their designations; the
// decision on it holds for the person; a change to either entry raises it again; a judgement
// that they are different people splits it into an alert per entry. Real SQLite, two hand-written
// one-man lists, real resolution.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ingest } from "../ingest/ingest.js";
import { Matcher } from "../match/matcher.js";
import { loadResolution } from "../resolve/canonical.js";
import { recluster, runResolution } from "../resolve/run.js";
import { ResolutionStore } from "../resolve/store.js";
import { SqliteStore } from "../store/sqlite.js";
import { registerOf } from "../subjects/register.js";
import { alertsOf } from "./alerts.js";
import { screenFindings } from "./findings.js";
import { catchUp, screenPending } from "./monitor.js";
import { PersonFindings } from "./persons.js";

const US = "us_ofac_sdn:15880";
const UK = "gb_fcdo_sanctions:RUS0123";
const UK_PROGRAM = "The Global Human Rights Sanctions Regulations 2020";

let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), "interdict-persons-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A one-man list: the person and his Sanction. */
function list(
  dataset: string,
  id: string,
  name: string,
  program: string,
  extra: Record<string, string[]> = {},
) {
  const file = join(dir, `${dataset}-${Math.random().toString(36).slice(2)}.ftm.json`);
  const entities = [
    {
      id,
      schema: "Person",
      properties: { name: [name], birthDate: ["1977-08-27"], ...extra },
      datasets: [dataset],
      target: true,
    },
    {
      id: `${id}-sanction`,
      schema: "Sanction",
      properties: { entity: [id], program: [program] },
      datasets: [dataset],
    },
  ];
  writeFileSync(file, `${entities.map((e) => JSON.stringify(e)).join("\n")}\n`);
  return file;
}

/** Both lists in, resolved (one man), one subject registered. */
async function setUp(): Promise<SqliteStore> {
  const store = new SqliteStore(":memory:");
  await ingest(store, [list("us_ofac_sdn", US, "KARPOV, Pavel", "MAGNIT")], { dataset: "us_ofac_sdn" });
  await ingest(store, [list("gb_fcdo_sanctions", UK, "Pavel KARPOV", UK_PROGRAM)], {
    dataset: "gb_fcdo_sanctions",
  });
  const { clusters } = await runResolution(store);
  assert.equal(clusters.canonical.get(US), clusters.canonical.get(UK), "resolution merged the two entries");
  registerOf(store).upsert({ id: "cust-1", query: { schema: "Person", names: ["Pavel Karpov"] } });
  return store;
}

describe("monitoring alerts grouped by person", () => {
  it("one subject matching both entries of one man raises one alert on the person", async () => {
    const store = await setUp();
    const canonical = loadResolution(store).canonicalOf(US);
    assert.ok(canonical.startsWith("ik-"));
    const { subjects } = await screenPending(store, { workers: 0 });
    assert.equal(subjects.findings, 2, "both list entries matched");
    assert.deepEqual(subjects.alerts, { raised: 1, updated: 0, open: 0, decided: 0 });
    const [a, ...rest] = alertsOf(store).list();
    assert.equal(rest.length, 0);
    assert.equal(a?.entityId, canonical);
    assert.deepEqual([...(a?.referents ?? [])], [UK, US]);
    assert.deepEqual([...(a?.datasets ?? [])].sort(), ["gb_fcdo_sanctions", "us_ofac_sdn"]);
    assert.deepEqual([...(a?.programs ?? [])].sort(), ["MAGNIT", UK_PROGRAM]);
    assert.deepEqual(
      a?.designations.map((d) => [d.entityId, d.datasets, d.programs, typeof d.score]),
      [
        [UK, ["gb_fcdo_sanctions"], [UK_PROGRAM], "number"],
        [US, ["us_ofac_sdn"], ["MAGNIT"], "number"],
      ],
    );
    assert.equal(a?.score, Math.max(...(a?.designations.map((d) => d.score ?? 0) ?? [])));
    assert.ok(a?.explanation.some((e) => e.feature === "name_match"));
    await store.close();
  });

  it("a decision covers the person: screened again, re-ingested, re-resolved, nothing new; an entry changed raises it again", async () => {
    const store = await setUp();
    await screenPending(store, { workers: 0 });
    const book = alertsOf(store);
    const [a] = book.list();
    book.decide(a?.id ?? 0, "false_positive", "analyst-1", "born 1990");

    // The subject screened again against all the lists, as a changed subject would be.
    const matcher = await Matcher.fromStore(store);
    const subject = registerOf(store).get("cust-1");
    assert.ok(subject);
    const found = screenFindings(matcher, [{ id: subject.id, hash: subject.hash, query: subject.query }], {});
    assert.equal(found.length, 2);
    assert.deepEqual(book.raise(await (await PersonFindings.of(store)).group(found), "again"), {
      raised: 0,
      updated: 0,
      open: 0,
      decided: 1,
    });

    // The same lists re-ingested and resolved again: the same person, nothing raised.
    await ingest(store, [list("us_ofac_sdn", US, "KARPOV, Pavel", "MAGNIT")], {
      dataset: "us_ofac_sdn",
      force: true,
      version: "again",
    });
    await runResolution(store);
    const round = await screenPending(store, { workers: 0 });
    assert.equal(round.regrouped, undefined, "resolution did not change who is one person");
    assert.equal(book.counts().open, 0);

    // The UK entry changes (a nationality added): the person changed, the pair is raised again,
    // on the person, with both entries though only the UK one was re-screened.
    await ingest(
      store,
      [list("gb_fcdo_sanctions", UK, "Pavel KARPOV", UK_PROGRAM, { nationality: ["ru"] })],
      {
        dataset: "gb_fcdo_sanctions",
      },
    );
    const [delta] = await catchUp(store, { workers: 0 });
    assert.deepEqual(delta?.alerts, { raised: 1, updated: 0, open: 0, decided: 0 }, JSON.stringify(delta));
    const [again, ...more] = book.list();
    assert.equal(more.length, 0);
    assert.equal(again?.entityId, a?.entityId);
    assert.deepEqual([...(again?.referents ?? [])], [UK, US]);
    assert.deepEqual(
      again?.designations.map((d) => [d.entityId, d.score === undefined]),
      [
        [UK, false],
        [US, true],
      ],
    );
    await store.close();
  });

  it("a judgement that the two are different people splits the alert into one per entry", async () => {
    const store = await setUp();
    await screenPending(store, { workers: 0 });
    const book = alertsOf(store);
    const [person] = book.list();
    book.decide(person?.id ?? 0, "escalate", "analyst-1");

    new ResolutionStore(store).judge(US, UK, "different", "analyst-2", "different fathers' names");
    recluster(store);
    const round = await screenPending(store, { workers: 0 });
    assert.equal(round.regrouped?.subjects, 1, "the subject alerted on the person is screened again");
    // The person's alert was decided: nothing to take over, both entries raised afresh.
    assert.equal(round.regrouped?.alerts.raised, 2);
    const open = book.list();
    assert.deepEqual(open.map((x) => [x.entityId, x.referents]).sort(), [
      [UK, [UK]],
      [US, [US]],
    ]);
    assert.deepEqual(open.find((x) => x.entityId === US)?.programs, ["MAGNIT"]);
    // The decision on the person stays on its alert.
    assert.equal(book.get(person?.id ?? 0)?.decision, "escalate");
    // Nothing more to do next round.
    assert.equal((await screenPending(store, { workers: 0 })).regrouped, undefined);
    await store.close();
  });

  it("an open alert on a person that is split carries on as one entry's alert; the other entry raises one", async () => {
    const store = await setUp();
    await screenPending(store, { workers: 0 });
    const book = alertsOf(store);
    const [person] = book.list();
    assert.equal(person?.referents.length, 2);

    new ResolutionStore(store).judge(US, UK, "different", "analyst-2");
    recluster(store);
    const round = await screenPending(store, { workers: 0 });
    assert.deepEqual(round.regrouped?.alerts, { raised: 1, updated: 1, open: 0, decided: 0 });
    const open = book.list();
    assert.deepEqual(open.map((x) => [x.entityId, x.referents]).sort(), [
      [UK, [UK]],
      [US, [US]],
    ]);
    // The person's alert (its review) goes on, now on one entry alone.
    const carried = book.get(person?.id ?? 0);
    assert.equal(carried?.status, "open");
    assert.equal(carried?.referents.length, 1);
    assert.equal(carried?.reason, "resolution changed");
    await store.close();
  });

  it("an open alert on an entry later merged into a person becomes the person's alert", async () => {
    const store = await setUp();
    // As if resolution had not run yet: each entry its own person, one alert each.
    new ResolutionStore(store).judge(US, UK, "different", "test");
    recluster(store);
    await screenPending(store, { workers: 0 });
    const book = alertsOf(store);
    const before = book.list();
    assert.deepEqual(before.map((x) => x.entityId).sort(), [UK, US]);

    new ResolutionStore(store).judge(US, UK, "same", "test");
    recluster(store);
    const canonical = loadResolution(store).canonicalOf(US);
    assert.ok(canonical.startsWith("ik-"));
    const round = await screenPending(store, { workers: 0 });
    assert.deepEqual(round.regrouped?.alerts, { raised: 0, updated: 1, open: 0, decided: 0 });
    const person = book.list().filter((x) => x.entityId === canonical);
    assert.equal(person.length, 1);
    assert.ok(
      before.some((x) => x.id === person[0]?.id),
      "an existing alert took the person over",
    );
    assert.deepEqual(person[0]?.referents, [UK, US]);
    // The other entry's alert is left open as it was, for the analyst to close.
    assert.equal(book.list().length, 2);
    await store.close();
  });

  it("an alert book made before persons gets the columns on open; its alerts read as one entry", async () => {
    const file = join(dir, "old.db");
    const old = new SqliteStore(file);
    old.db.exec(`CREATE TABLE alert (
      id INTEGER PRIMARY KEY, subject_id TEXT NOT NULL, entity_id TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'open', score REAL NOT NULL, subject_hash TEXT NOT NULL,
      entity_hash TEXT NOT NULL, subject_name TEXT NOT NULL, caption TEXT NOT NULL, schema TEXT NOT NULL,
      datasets TEXT NOT NULL, programs TEXT NOT NULL, explanation TEXT NOT NULL, reason TEXT NOT NULL,
      created_at TEXT NOT NULL, updated_at TEXT NOT NULL, decision TEXT, analyst TEXT, note TEXT,
      decided_at TEXT);
      INSERT INTO alert (subject_id, entity_id, score, subject_hash, entity_hash, subject_name, caption,
        schema, datasets, programs, explanation, reason, created_at, updated_at)
      VALUES ('cust-1', '${US}', 0.9, 's', 'e', 'Pavel Karpov', 'KARPOV, Pavel', 'Person',
        '["us_ofac_sdn"]', '["MAGNIT"]', '[]', 'old', '2026-01-01', '2026-01-01');`);
    await old.close();
    const store = new SqliteStore(file);
    const [a] = alertsOf(store).list();
    assert.equal(a?.reason, "old");
    assert.deepEqual(a?.referents, [US]);
    assert.deepEqual(a?.designations, [
      { entityId: US, caption: "KARPOV, Pavel", datasets: ["us_ofac_sdn"], programs: ["MAGNIT"] },
    ]);
    await store.close();
  });
});
