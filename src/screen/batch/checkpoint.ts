// Checkpoints of a batch run: how far the input was read and how many bytes of each output file
// belong to that point. A run killed at any moment resumes from its last checkpoint: the files
// are cut back to the recorded sizes and the input is read on from the recorded line, so the
// result is the same bytes as a run never interrupted. Files are appended with synchronous
// writes, so what a checkpoint counts has reached the operating system before it is recorded.

import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { InterdictError } from "../../errors.js";

/** An output file appended to synchronously, counting its bytes. */
export class Sink {
  readonly path: string;
  bytes: number;
  private fd: number;

  /** Opens `path` fresh, or (resuming) cut back to `bytes`. */
  constructor(path: string, resumeAt?: number) {
    this.path = path;
    if (resumeAt !== undefined) {
      const size = existsSync(path) ? statSync(path).size : -1;
      if (size < resumeAt) {
        throw new InterdictError(
          "INTERDICT_E_USAGE",
          `cannot resume: ${path} is shorter than its checkpoint says (${size} < ${resumeAt} bytes); use --restart`,
        );
      }
      truncateSync(path, resumeAt);
      this.fd = openSync(path, "a");
      this.bytes = resumeAt;
    } else {
      this.fd = openSync(path, "w");
      this.bytes = 0;
    }
  }

  write(text: string): void {
    if (!text) return;
    const buf = Buffer.from(text, "utf8");
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off);
    this.bytes += buf.length;
  }

  sync(): void {
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}

export interface Checkpoint {
  readonly format: 1;
  /** What was being screened: the same file, unchanged, is resumed; anything else is refused. */
  readonly input: { readonly path: string; readonly size: number; readonly mtimeMs: number };
  /** Options and list versions the output was made with. */
  readonly run: Readonly<Record<string, unknown>>;
  /** Every input line up to this one is accounted for in the files (output or errors). */
  readonly line: number;
  readonly rows: number;
  readonly errors: number;
  /** Bytes of each file (by role) at this point. */
  readonly bytes: Readonly<Record<string, number>>;
}

export function readCheckpoint(path: string): Checkpoint | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const c = JSON.parse(readFileSync(path, "utf8")) as Checkpoint;
    if (c.format !== 1) throw new Error(`format ${c.format}`);
    return c;
  } catch (e) {
    throw new InterdictError(
      "INTERDICT_E_USAGE",
      `cannot read the checkpoint ${path} (${(e as Error).message}); use --restart`,
    );
  }
}

/** Writes the checkpoint atomically (a new file renamed over the old one). */
export function writeCheckpoint(path: string, c: Checkpoint): void {
  const tmp = `${path}.new`;
  writeFileSync(tmp, JSON.stringify(c));
  renameSync(tmp, path);
}

export function removeFile(path: string): void {
  try {
    unlinkSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
}

/** Why a checkpoint does not fit this run, or undefined when it does. */
export function mismatch(
  c: Checkpoint,
  input: Checkpoint["input"],
  run: Checkpoint["run"],
): string | undefined {
  if (c.input.path !== input.path) return `it is for ${c.input.path}`;
  if (c.input.size !== input.size || c.input.mtimeMs !== input.mtimeMs) return "the input file changed since";
  for (const key of new Set([...Object.keys(c.run), ...Object.keys(run)])) {
    const [a, b] = [JSON.stringify(c.run[key]), JSON.stringify(run[key])];
    if (a !== b) return `${key} differs (${a} then, ${b} now)`;
  }
  return undefined;
}
