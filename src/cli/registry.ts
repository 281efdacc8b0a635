// `interdict registry …` (also `interdict designations …`): the authority's side — case files,
// evidence, four-eyes approval, publication as a list version of the `registry` dataset (enforced
// at once: the index includes it, visa lookouts exist, monitoring re-screens), delisting,
// petitions, deadlines and reports to the legislature, and the 50 % rule.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { type Command, Option } from "commander";
import { InterdictError } from "../errors.js";
import { captionOf, type Entity } from "../model/entity.js";
import {
  annualReport,
  type CaseFile,
  type CaseInput,
  computeOwnership,
  deadlines,
  type EvidenceInput,
  LEGAL_BASES,
  type OwnershipEdge,
  PETITION_GROUNDS,
  parsePercentage,
  publish,
  REGISTRY_DATASET,
  type RegistryBook,
  registryOf,
  reportText,
  toFtmLines,
  toOfacCsv,
  toSdnXml,
} from "../registry/index.js";
import type { Store } from "../store/store.js";
import { type GlobalOptions, printJson, printTable, withStore } from "./_common.js";
import { rescreenAfterIngest } from "./monitor.js";

interface Opts extends GlobalOptions {
  user?: string;
  json?: boolean;
}

// Every step the CLI takes is also written to the audit log (registryOf wires it).

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new InterdictError("INTERDICT_E_INPUT", `not a JSON file: ${(e as Error).message}`, { file: path });
  }
}

/** Evidence as written in a case file: `file` is a path relative to the case file. */
function evidenceOf(raw: unknown, base: string): EvidenceInput[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw))
    throw new InterdictError("INTERDICT_E_INPUT", "evidence must be a list", { field: "evidence" });
  return raw.map((item: Record<string, unknown>) => {
    const { file, ...rest } = item ?? {};
    if (typeof file !== "string") return rest as unknown as EvidenceInput;
    const path = resolve(base, file);
    return {
      ...(rest as unknown as EvidenceInput),
      file: { name: basename(path), bytes: readFileSync(path) },
    };
  });
}

const brief = (c: CaseFile) => ({
  id: c.id,
  status: c.status,
  name: captionOf(c.subject),
  authority: c.authority,
  criterion: c.criterion,
  classified: c.classified,
  proposer: c.proposer ?? null,
  approver: c.approver ?? null,
  listed_at: c.listed_at ?? null,
});

function printCase(c: CaseFile): void {
  const lines = [
    `${c.id}  ${captionOf(c.subject)} (${c.subject.schema})  ${c.status}${c.classified ? "  CLASSIFIED ANNEX" : ""}`,
    `  basis: ${c.authority} ${c.criterion}; standard of proof: ${c.standard_of_proof}; measures: ${c.measures.join(", ")}`,
    `  statement of reasons: ${c.statement_of_reasons || "(none)"}`,
    `  created by ${c.created_by} ${c.created_at}${c.proposer ? `; proposed by ${c.proposer}` : ""}${c.approver ? `; approved by ${c.approver}` : ""}${c.listed_at ? `; listed ${c.listed_at} (${c.listed_version})` : ""}`,
    ...(c.delisting
      ? [
          `  delisted by ${c.delisting.by} ${c.delisting.at}: ${c.delisting.ground}; effective ${c.delisting.effective}${c.delisting.removed_at ? `; removed ${c.delisting.removed_at}` : ""}`,
        ]
      : []),
    `  evidence (${c.evidence.length}):`,
    ...c.evidence.map(
      (e) =>
        `    #${e.id} ${e.source_type} ${e.date ?? ""} [${e.classification}] ${e.description}${e.sha256 ? ` — ${e.file_name} sha256:${e.sha256}` : ""}`,
    ),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

/** Publishes, then the same monitoring re-screen an ingest triggers. */
async function publishAndEnforce(
  store: Store,
  reg: RegistryBook,
  user: string,
  o: Opts & { version?: string; blockedBy?: string[]; ownershipFrom?: string[] },
) {
  const pub = await publish(reg, store, user, {
    ...(o.version ? { version: o.version } : {}),
    ...(o.blockedBy ? { blockedBy: o.blockedBy } : {}),
    ...(o.ownershipFrom ? { ownershipFrom: o.ownershipFrom } : {}),
  });
  await rescreenAfterIngest(store, [{ dataset: REGISTRY_DATASET }], o);
  return pub;
}

async function currentEntities(store: Store, ref?: string): Promise<{ entities: Entity[]; version: string }> {
  const v = ref
    ? await store.findVersion(REGISTRY_DATASET, ref)
    : await store.currentVersion(REGISTRY_DATASET);
  if (!v)
    throw new InterdictError(
      "INTERDICT_E_NOT_FOUND",
      `no ${ref ? `version ${ref}` : "publication"} of the registry yet (interdict registry publish)`,
    );
  const entities: Entity[] = [];
  for await (const e of store.entities(REGISTRY_DATASET, { versionId: v.id })) entities.push(e);
  return { entities, version: v.version };
}

const needUser = (o: Opts): string => {
  if (!o.user?.trim())
    throw new InterdictError(
      "INTERDICT_E_USAGE",
      "--user is required: every registry step records who took it",
    );
  return o.user.trim();
};

export function register(program: Command, globals: () => GlobalOptions): void {
  const reg = program
    .command("registry")
    .alias("designations")
    .description(
      "designations: case files, approval, publication, delisting, petitions, reports, the 50 % rule",
    )
    .addHelpText(
      "after",
      `
A case goes draft → proposed → approved (by a different user) → published → delisted.
Publishing writes a new list version of the dataset "registry", screened like any list.

Examples:
  interdict registry bases                                   the legal bases and their criteria
  interdict registry create case.json --user alice --json    {"id": "D-000001"}
  interdict registry propose D-000001 --user alice
  interdict registry approve D-000001 --user bob
  interdict registry publish --user bob --json
  interdict registry export --format ofac-csv --out dir/
  interdict registry delist D-000001 --user bob --ground "changed circumstances" --publish
  interdict registry reports annual --year 2026`,
    );
  const action =
    <A extends unknown[]>(
      body: (store: Store, r: RegistryBook, o: Opts, ...args: A) => Promise<void> | void,
    ) =>
    async (...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command;
      const o = { ...globals(), ...(cmd.opts() as Opts) };
      await withStore(o, async (store) => body(store, registryOf(store), o, ...(args.slice(0, -2) as A)));
    };
  const userOpt = () => new Option("--user <name>", "who takes this step (recorded in the case history)");

  reg
    .command("bases")
    .description("the legal bases a designation can rest on, with criteria, measures and reporting duties")
    .option("--json", "as JSON")
    .action(
      action(async (_s, _r, o) => {
        if (o.json) return printJson(LEGAL_BASES);
        for (const b of LEGAL_BASES) {
          process.stdout.write(
            `${b.id}  ${b.title}\n  program ${b.program}; standard of proof: ${b.standard_of_proof}; measures: ${Object.keys(b.measures).join(", ")}\n  criteria: ${Object.keys(b.criteria).join(", ")}\n  source: ${b.source}\n`,
          );
        }
      }),
    );

  reg
    .command("create")
    .description(
      'a new case file (draft) from JSON: {"subject": <FtM entity>, "authority": BASIS, "criterion", "statement_of_reasons", "evidence": [...]}',
    )
    .argument("<file>", 'the case file as JSON; evidence items may name a "file" (relative to it) to attach')
    .addOption(userOpt())
    .option("--json", "print {id} as JSON")
    .addHelpText(
      "after",
      `\nevidence item: {"source_type": "report", "date": "2024-01-31", "classification": "public|confidential|classified", "description": "...", "file": "annex1.pdf"}\n"classified": true puts the whole case in the classified annex (enforced, never exported).`,
    )
    .action(
      action(async (_s, r, o, file: string) => {
        const raw = readJson(file) as Record<string, unknown>;
        const input = { ...raw, evidence: evidenceOf(raw?.evidence, dirname(resolve(file))) } as CaseInput;
        const c = await r.create(input, o.user?.trim() || "cli");
        if (o.json) printJson({ id: c.id, status: c.status });
        else process.stdout.write(`${c.id} created (draft)\n`);
      }),
    );

  reg
    .command("evidence")
    .description("adds an evidence item to a case, optionally with a file (stored with its SHA-256)")
    .argument("<id>", "case id")
    .requiredOption("--source-type <type>", "report, testimony, open source, intelligence, court record…")
    .option("--date <date>", "YYYY-MM-DD")
    .option("--classification <c>", "public, confidential or classified", "public")
    .option("--description <text>", "what it shows")
    .option("--file <path>", "a file to attach")
    .addOption(userOpt())
    .option("--json", "the case as JSON")
    .action(
      action(async (_s, r, o, id: string) => {
        const x = o as Opts & {
          sourceType: string;
          date?: string;
          classification?: string;
          description?: string;
          file?: string;
        };
        const c = await r.addEvidence(
          id,
          {
            source_type: x.sourceType,
            ...(x.date ? { date: x.date } : {}),
            ...(x.classification ? { classification: x.classification } : {}),
            ...(x.description ? { description: x.description } : {}),
            ...(x.file ? { file: { name: basename(x.file), bytes: readFileSync(x.file) } } : {}),
          },
          needUser(o),
        );
        if (o.json) printJson(c);
        else printCase(c);
      }),
    );

  for (const [name, what] of [
    ["propose", "proposes a complete draft for approval"],
    ["approve", "approves a proposed case (a different user from the proposer)"],
  ] as const) {
    reg
      .command(name)
      .description(what)
      .argument("<id>", "case id")
      .addOption(userOpt())
      .option("--json", "the case as JSON")
      .action(
        action(async (_s, r, o, id: string) => {
          const c = name === "propose" ? await r.propose(id, needUser(o)) : await r.approve(id, needUser(o));
          if (o.json) printJson(brief(c));
          else process.stdout.write(`${c.id} ${c.status}\n`);
        }),
      );
  }

  reg
    .command("return")
    .description("sends a proposed or approved case back to draft, with the reason")
    .argument("<id>", "case id")
    .requiredOption("--reason <text>", "why")
    .addOption(userOpt())
    .action(
      action(async (_s, r, o, id: string) => {
        const c = await r.returnToDraft(id, needUser(o), (o as Opts & { reason: string }).reason);
        process.stdout.write(`${c.id} ${c.status}\n`);
      }),
    );

  reg
    .command("list")
    .description("the case files, with status")
    .addOption(
      new Option("--status <s>", "only this status").choices([
        "draft",
        "proposed",
        "approved",
        "published",
        "delisted",
      ]),
    )
    .option("--json", "as JSON")
    .action(
      action(async (_s, r, o) => {
        const cases = (
          await r.list(
            (o as Opts & { status?: never }).status ? { status: (o as { status: never }).status } : {},
          )
        ).map(brief);
        if (o.json) return printJson(cases);
        printTable(
          ["id", "status", "name", "authority", "criterion", "classified"],
          cases.map((c) => [c.id, c.status, c.name, c.authority, c.criterion, c.classified ? "yes" : ""]),
        );
      }),
    );

  reg
    .command("show")
    .description("one case file with its evidence; --history adds every step")
    .argument("<id>", "case id")
    .option("--history", "the case's history")
    .option("--json", "as JSON")
    .action(
      action(async (_s, r, o, id: string) => {
        const c = await r.get(id);
        const history = (o as { history?: boolean }).history ? await r.history(c.id) : undefined;
        if (o.json)
          return printJson({ ...c, ...(history ? { history } : {}), petitions: await r.petitions(c.id) });
        printCase(c);
        for (const h of history ?? [])
          process.stdout.write(`  ${h.at}  ${h.actor}  ${h.action}  ${JSON.stringify(h.detail)}\n`);
      }),
    );

  reg
    .command("publish")
    .description(
      "a new list version of the registry: approved cases in, delisted ones out, 50 %-blocked entities derived; enforced at once",
    )
    .addOption(userOpt())
    .option("--version <label>", "version label (default: now)")
    .option(
      "--blocked-by <dataset...>",
      "these lists' designated persons also count as blocked owners for the 50 % rule",
    )
    .option("--ownership-from <dataset...>", "read FtM Ownership entities of these datasets as edges too")
    .option("--json", "the new version and changes as JSON")
    .action(
      action(async (store, r, o) => {
        const pub = await publishAndEnforce(store, r, needUser(o), o);
        if (o.json) return printJson(pub);
        const s = pub.summary;
        process.stdout.write(
          `registry ${pub.version.version} (version ${pub.version.id}): ${s.added} added, ${s.changed} changed, ${s.removed} removed; ${pub.version.entityCount} entities\n`,
        );
        for (const c of pub.changes)
          process.stdout.write(
            `  ${c.change.padEnd(7)} ${c.id}  ${c.caption}  (${c.basis})${c.classified ? " [classified annex]" : ""}\n`,
          );
        if (pub.unblocked.length)
          process.stdout.write(`unblocking entries: ${pub.unblocked.map((u) => u.id).join(", ")}\n`);
      }),
    );

  reg
    .command("export")
    .description(
      "the public part of a publication (classified annex left out): FtM JSON lines, OFAC-style CSV set, or sdn.xml-style XML",
    )
    .addOption(new Option("--format <f>", "output format").choices(["ftm", "ofac-csv", "xml"]).default("ftm"))
    .option("--version <ref>", "a registry version (default: current)")
    .option("--out <path>", "file (ftm, xml) or folder (ofac-csv); default stdout (ftm, xml)")
    .action(
      action(async (store, _r, o) => {
        const x = o as Opts & { format: string; version?: string; out?: string };
        const { entities, version } = await currentEntities(store, x.version);
        if (x.format === "ofac-csv") {
          if (!x.out)
            throw new InterdictError(
              "INTERDICT_E_USAGE",
              "--format ofac-csv writes three files: give --out FOLDER",
            );
          mkdirSync(x.out, { recursive: true });
          for (const [name, text] of Object.entries(toOfacCsv(entities)))
            writeFileSync(join(x.out, name), text);
          return;
        }
        const text = x.format === "xml" ? toSdnXml(entities, version) : toFtmLines(entities);
        if (x.out) writeFileSync(x.out, text);
        else process.stdout.write(text);
      }),
    );

  reg
    .command("delist")
    .description(
      "terminates a designation; the next publication removes it (--publish runs it now: removal, lookouts withdrawn, re-screen, ownership recomputed)",
    )
    .argument("<id>", "case id")
    .requiredOption("--ground <text>", "why (e.g. changed circumstances, petition granted)")
    .option("--effective <date>", "when the termination takes effect (default: now)")
    .option("--publish", "publish the change at once")
    .addOption(userOpt())
    .option("--json", "as JSON")
    .action(
      action(async (store, r, o, id: string) => {
        const x = o as Opts & { ground: string; effective?: string; publish?: boolean };
        const user = needUser(o);
        const c = await r.delist(id, user, x.ground, x.effective ? { effective: x.effective } : {});
        const pub = x.publish ? await publishAndEnforce(store, r, user, o) : undefined;
        if (o.json) return printJson({ ...brief(c), ...(pub ? { publication: pub } : {}) });
        process.stdout.write(
          `${c.id} delisted (effective ${c.delisting?.effective})${pub ? `; published ${pub.version.version}: ${pub.summary.removed} removed` : "; run interdict registry publish"}\n`,
        );
      }),
    );

  const pet = reg
    .command("petition")
    .description("delisting petitions (31 CFR 501.807): file, correspond, decide");
  pet
    .command("file")
    .description("files a petition against a published designation")
    .argument("<id>", "case id or registry entity id")
    .requiredOption("--petitioner <name>", "who petitions")
    .requiredOption("--ground <g...>", `grounds: ${Object.keys(PETITION_GROUNDS).join(", ")}`)
    .requiredOption("--statement <text>", "the petitioner's case")
    .addOption(userOpt())
    .option("--json", "as JSON")
    .action(
      action(async (_s, r, o, id: string) => {
        const x = o as Opts & { petitioner: string; ground: string[]; statement: string };
        const p = await r.petition(
          id,
          { petitioner: x.petitioner, grounds: x.ground, statement: x.statement },
          needUser(o),
        );
        if (o.json) printJson(p);
        else process.stdout.write(`${p.id} filed against ${p.case_id}\n`);
      }),
    );
  pet
    .command("letter")
    .description("records correspondence on a petition")
    .argument("<petition>", "petition id")
    .requiredOption("--text <text>", "the letter")
    .addOption(
      new Option("--direction <d>", "in (received) or out (sent)").choices(["in", "out"]).default("out"),
    )
    .addOption(userOpt())
    .action(
      action(async (_s, r, o, id: string) => {
        const x = o as Opts & { text: string; direction: "in" | "out" };
        await r.correspond(id, x.direction, x.text, needUser(o));
      }),
    );
  pet
    .command("decide")
    .description("the written decision; granting delists (publish to run the cascade)")
    .argument("<petition>", "petition id")
    .addOption(
      new Option("--decision <d>", "granted or denied").choices(["granted", "denied"]).makeOptionMandatory(),
    )
    .requiredOption("--reasons <text>", "the decision in writing")
    .option("--publish", "publish at once when granted")
    .addOption(userOpt())
    .option("--json", "as JSON")
    .action(
      action(async (store, r, o, id: string) => {
        const x = o as Opts & { decision: "granted" | "denied"; reasons: string; publish?: boolean };
        const user = needUser(o);
        const p = await r.decidePetition(id, x.decision, x.reasons, user);
        const pub =
          x.publish && p.status === "granted" ? await publishAndEnforce(store, r, user, o) : undefined;
        if (o.json) printJson({ ...p, ...(pub ? { publication: pub } : {}) });
        else process.stdout.write(`${p.id} ${p.status}\n`);
      }),
    );
  pet
    .command("list")
    .description("petitions")
    .option("--json", "as JSON")
    .action(
      action(async (_s, r, o) => {
        const ps = await r.petitions();
        if (o.json) return printJson(ps);
        printTable(
          ["id", "case", "petitioner", "grounds", "status"],
          ps.map((p) => [p.id, p.case_id, p.petitioner, p.grounds.join(","), p.status]),
        );
      }),
    );

  const rep = reg.command("reports").description("deadlines and reports to the legislature");
  rep
    .command("deadlines")
    .description("congressional requests (120 days), termination notices (15 days before), annual reports")
    .option("--json", "as JSON")
    .action(
      action(async (_s, r, o) => {
        const d = deadlines(await r.list(), await r.requests(), r.clock());
        if (o.json) return printJson(d);
        printTable(
          ["due", "state", "kind", "ref", "what"],
          d.map((x) => [x.due, x.state, x.kind, x.ref, x.what]),
        );
      }),
    );
  rep
    .command("annual")
    .description(
      "the annual report: persons added and removed in the period, dates, reasons (classified annex counted, not named)",
    )
    .option("--year <y>", "the year the report is due", String(new Date().getUTCFullYear()))
    .option("--basis <id...>", "only these legal bases (default: all)")
    .option("--from <date>", "period start (default: the day after last year's due date)")
    .option("--to <date>", "period end (default: the due date)")
    .option("--json", "as JSON")
    .action(
      action(async (_s, r, o) => {
        const x = o as Opts & { year: string; basis?: string[]; from?: string; to?: string };
        const report = annualReport(await r.list(), await r.petitions(), {
          year: Number(x.year),
          ...(x.basis ? { bases: x.basis } : {}),
          ...(x.from ? { from: x.from } : {}),
          ...(x.to ? { to: x.to } : {}),
        });
        if (o.json) printJson(report);
        else process.stdout.write(reportText(report));
      }),
    );
  rep
    .command("request")
    .description("records a congressional request (answer due in 120 days) or, with --answer, its answer")
    .argument("[id]", "request id, with --answer")
    .option("--committee <name>", "the committee asking")
    .option("--about <text>", "what it asks")
    .option("--case <id>", "the case it concerns")
    .option("--received <date>", "date received (default: today)")
    .option("--answer <text>", "answers request ID")
    .addOption(userOpt())
    .option("--json", "as JSON")
    .action(
      action(async (_s, r, o, id?: string) => {
        const x = o as Opts & {
          committee?: string;
          about?: string;
          case?: string;
          received?: string;
          answer?: string;
        };
        const user = needUser(o);
        const out = x.answer
          ? await r.answerRequest(id ?? "", x.answer, user)
          : await r.request(
              {
                committee: x.committee ?? "",
                about: x.about ?? "",
                ...(x.case ? { case_id: x.case } : {}),
                ...(x.received ? { received_at: x.received } : {}),
              },
              user,
            );
        if (o.json) printJson(out);
        else
          process.stdout.write(
            `${out.id} due ${out.due_at}${out.answered_at ? `, answered ${out.answered_at}` : ""}\n`,
          );
      }),
    );
  rep
    .command("history")
    .description("every registry step (the audit trail), oldest first")
    .option("--json", "as JSON")
    .action(
      action(async (_s, r, o) => {
        const h = await r.history();
        if (o.json) return printJson(h);
        printTable(
          ["seq", "at", "actor", "case", "action"],
          h.map((e) => [e.seq, e.at, e.actor, e.case_id ?? "", e.action]),
        );
      }),
    );

  const own = reg
    .command("ownership")
    .description("the 50 % rule: ownership edges, parties, and who is blocked through them");
  own
    .command("add")
    .description("an ownership (or control) edge; case ids stand for their designation")
    .requiredOption("--owner <id>", "owner: case id, party id or any entity id")
    .requiredOption("--asset <id>", "owned entity")
    .option("--percentage <n>", "share 0–100", "0")
    .addOption(
      new Option("--kind <k>", "ownership counts; control is shown as a caution only")
        .choices(["ownership", "control"])
        .default("ownership"),
    )
    .addOption(userOpt())
    .action(
      action(async (_s, r, o) => {
        const x = o as Opts & {
          owner: string;
          asset: string;
          percentage: string;
          kind: "ownership" | "control";
        };
        const percentage = parsePercentage(x.percentage);
        if (!Number.isFinite(percentage))
          throw new InterdictError("INTERDICT_E_INPUT", `--percentage must be a number, not ${x.percentage}`);
        const e = await r.addEdge({ owner: x.owner, asset: x.asset, percentage, kind: x.kind }, needUser(o));
        process.stdout.write(`edge ${e.id}: ${e.owner} → ${e.asset} ${e.percentage} % (${e.kind})\n`);
      }),
    );
  own
    .command("import")
    .description(
      "edges from CSV (owner,asset,percentage[,kind]) or FtM JSON lines (Ownership entities; other entities become parties)",
    )
    .argument("<file>", "CSV or FtM JSON lines")
    .addOption(userOpt())
    .action(
      action(async (_s, r, o, file: string) => {
        const user = needUser(o);
        const text = readFileSync(file, "utf8");
        const items: ({ party: unknown } | { edge: OwnershipEdge })[] = [];
        if (text.trimStart().startsWith("{")) {
          text.split("\n").forEach((line, i) => {
            if (!line.trim()) return;
            const e = JSON.parse(line) as Entity;
            if (e.schema !== "Ownership") {
              items.push({ party: e });
              return;
            }
            const pct = parsePercentage(e.properties.percentage?.[0] ?? "");
            items.push({
              edge: {
                owner: e.properties.owner?.[0] ?? "",
                asset: e.properties.asset?.[0] ?? "",
                percentage: Number.isFinite(pct) ? pct : 0,
                kind: Number.isFinite(pct) ? "ownership" : "control",
                source: `${file}:${i + 1}`,
              },
            });
          });
        } else {
          text.split(/\r?\n/).forEach((line, i) => {
            const [owner, asset, p, kind] = line.split(",").map((s) => s.trim());
            if (!owner || (i === 0 && /^owner$/i.test(owner))) return;
            const pct = parsePercentage(p ?? "");
            if (!asset || !Number.isFinite(pct))
              throw new InterdictError("INTERDICT_E_INPUT", "expected owner,asset,percentage[,kind]", {
                file,
                line: i + 1,
              });
            items.push({
              edge: {
                owner,
                asset,
                percentage: pct,
                kind: kind === "control" ? "control" : "ownership",
                source: `${file}:${i + 1}`,
              },
            });
          });
        }
        const n = await r.importOwnership(items, user);
        process.stdout.write(`${n} edges imported\n`);
      }),
    );
  own
    .command("party")
    .description("a party the registry knows but has not designated (an FtM entity JSON with an id)")
    .argument("<file>", "FtM entity JSON")
    .addOption(userOpt())
    .action(
      action(async (_s, r, o, file: string) => {
        const e = await r.addParty(readJson(file), needUser(o));
        process.stdout.write(`party ${e.id}: ${captionOf(e)}\n`);
      }),
    );
  own
    .command("show")
    .description(
      "who the 50 % rule blocks now, each with the chain, and the cautions (control, stakes under 50 %)",
    )
    .option("--blocked-by <dataset...>", "these lists' designated persons also count as blocked owners")
    .option("--ownership-from <dataset...>", "read FtM Ownership entities of these datasets too")
    .option("--json", "as JSON")
    .action(
      action(async (store, r, o) => {
        const x = o as Opts & { blockedBy?: string[]; ownershipFrom?: string[] };
        const { findings, names } = await computeOwnership(r, store, {
          ...(x.blockedBy ? { blockedBy: x.blockedBy } : {}),
          ...(x.ownershipFrom ? { ownershipFrom: x.ownershipFrom } : {}),
        });
        if (o.json) return printJson({ edges: await r.edges(), findings });
        for (const f of findings)
          process.stdout.write(
            `${f.blocked ? "BLOCKED" : "caution"}  ${names.get(f.id) ?? f.id} [${f.id}]: ${f.explanation}\n`,
          );
        if (findings.length === 0)
          process.stdout.write(
            "no entity is blocked or owned in part by blocked persons through the recorded edges\n",
          );
      }),
    );
}
