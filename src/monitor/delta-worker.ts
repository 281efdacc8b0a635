// A delta re-screen worker thread: builds the changed entities once, then screens the chunks of
// subjects the main thread sends, each against a reverse index of its own.

import { parentPort, workerData } from "node:worker_threads";
import type { MatchOptions } from "../match/matcher.js";
import { matchEntity } from "../match/subject.js";
import type { Entity } from "../model/entity.js";
import { type DELTA_DEFAULTS, DeltaScreen } from "./delta.js";
import type { SubjectToScreen } from "./findings.js";

interface Init {
  readonly changed: { entity: Entity; programs: string[] }[];
  readonly options: MatchOptions;
  readonly settings?: Partial<typeof DELTA_DEFAULTS>;
}

const init = workerData as Init;
const delta = new DeltaScreen(
  init.changed.map((c) => matchEntity(c.entity, c.programs)),
  init.options,
  init.settings,
);
parentPort?.postMessage({ ready: true });
parentPort?.on("message", (m: { seq: number; subjects: SubjectToScreen[] }) => {
  try {
    parentPort?.postMessage({ seq: m.seq, ...delta.screen(m.subjects) });
  } catch (e) {
    parentPort?.postMessage({ seq: m.seq, error: (e as Error).stack ?? String(e) });
  }
});
