// Turns paths on disk into InputFiles: folders are listed, zip archives are opened (one level,
// with limits that stop zip bombs), and every stream counts its bytes against a ceiling.
// XLSX workbooks are zips too, but they are one document: they stay whole.

import { createReadStream, type Stats } from "node:fs";
import { open as openFile, readdir, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { PassThrough, type Readable, Transform } from "node:stream";
import yauzl from "yauzl";
import { InterdictError } from "../errors.js";
import type { InputFile } from "./types.js";

export const INPUT_LIMITS = {
  /** Largest file or archive entry we read; the biggest official list is ~100 MB. */
  maxBytes: 1024 * 1024 * 1024,
  /** An entry that inflates more than this many times its compressed size is a bomb. */
  maxCompressionRatio: 200,
  /** Ratio checks start above this size; tiny files compress oddly. */
  ratioFloorBytes: 1024 * 1024,
  maxArchiveEntries: 1000,
};

const HEAD_BYTES = 64 * 1024;

/** Counts bytes through a stream and fails it past the limit. */
function limited(what: string, max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > max) {
        done(new InterdictError("INTERDICT_E_LIMIT", `more than ${max} bytes`, { file: what }));
      } else done(null, chunk);
    },
  });
}

async function readHead(path: string): Promise<Buffer> {
  const fh = await openFile(path, "r");
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function localFile(path: string, st: Stats, head: Buffer): InputFile {
  return {
    name: basename(path),
    path,
    size: st.size,
    head,
    open: () => createReadStream(path).pipe(limited(path, INPUT_LIMITS.maxBytes)),
  };
}

const isZip = (head: Buffer): boolean => head.length >= 4 && head.readUInt32LE(0) === 0x04034b50;

/** An OOXML workbook: a zip whose first entry is [Content_Types].xml or xl/… */
export function isXlsx(file: Pick<InputFile, "name" | "head">): boolean {
  if (!isZip(file.head)) return false;
  return /\.xlsx$/i.test(file.name) || file.head.includes("[Content_Types].xml") || file.head.includes("xl/");
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true }, (err, zip) =>
      err || !zip
        ? reject(
            new InterdictError("INTERDICT_E_LIST_FORMAT", `not a readable zip archive (${err?.message})`, {
              file: path,
            }),
          )
        : resolve(zip),
    ),
  );
}

function entryStream(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) =>
    zip.openReadStream(entry, (err, stream) => (err || !stream ? reject(err) : resolve(stream))),
  );
}

/** Checks every entry's declared sizes before anything is inflated. */
function checkEntry(path: string, entry: yauzl.Entry): void {
  const where = { file: `${path}!${entry.fileName}` };
  if (entry.uncompressedSize > INPUT_LIMITS.maxBytes) {
    throw new InterdictError(
      "INTERDICT_E_LIMIT",
      `archive entry inflates to ${entry.uncompressedSize} bytes, over the ${INPUT_LIMITS.maxBytes}-byte limit`,
      where,
    );
  }
  const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
  if (entry.uncompressedSize > INPUT_LIMITS.ratioFloorBytes && ratio > INPUT_LIMITS.maxCompressionRatio) {
    throw new InterdictError(
      "INTERDICT_E_LIMIT",
      `archive entry compresses ${Math.round(ratio)}:1, which only a zip bomb does`,
      where,
    );
  }
}

/** Lists a zip's entries (files only), checking limits; entries stream lazily. */
export async function zipEntries(path: string): Promise<InputFile[]> {
  const zip = await openZip(path);
  const entries: yauzl.Entry[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on("entry", (entry: yauzl.Entry) => {
        try {
          if (entries.length >= INPUT_LIMITS.maxArchiveEntries) {
            throw new InterdictError(
              "INTERDICT_E_LIMIT",
              `more than ${INPUT_LIMITS.maxArchiveEntries} entries`,
              { file: path },
            );
          }
          if (!entry.fileName.endsWith("/")) {
            checkEntry(path, entry);
            entries.push(entry);
          }
          zip.readEntry();
        } catch (e) {
          reject(e);
        }
      });
      zip.on("end", resolve);
      zip.on("error", (e: Error) =>
        reject(
          new InterdictError("INTERDICT_E_LIST_FORMAT", `broken zip archive: ${e.message}`, { file: path }),
        ),
      );
      zip.readEntry();
    });
    const files: InputFile[] = [];
    for (const entry of entries) {
      const where = `${path}!${entry.fileName}`;
      const stream = await entryStream(zip, entry);
      const head = await new Promise<Buffer>((resolve, reject) => {
        const chunks: Buffer[] = [];
        let n = 0;
        stream.on("data", (c: Buffer) => {
          chunks.push(c);
          n += c.length;
          if (n >= HEAD_BYTES) stream.destroy();
        });
        stream.on("close", () => resolve(Buffer.concat(chunks).subarray(0, HEAD_BYTES)));
        stream.on("error", (e) => (n >= HEAD_BYTES ? resolve(Buffer.concat(chunks)) : reject(e)));
      });
      files.push({
        name: basename(entry.fileName),
        path: where,
        size: entry.uncompressedSize,
        head,
        open: () => {
          const out = new PassThrough();
          openZip(path)
            .then(async (z) => {
              const again = await new Promise<yauzl.Entry>((resolve, reject) => {
                z.on("entry", (e: yauzl.Entry) =>
                  e.fileName === entry.fileName ? resolve(e) : z.readEntry(),
                );
                z.on("end", () => reject(new Error("entry vanished")));
                z.readEntry();
              });
              const s = await entryStream(z, again);
              s.on("end", () => z.close());
              s.on("error", (e) =>
                out.destroy(
                  new InterdictError("INTERDICT_E_LIST_FORMAT", `broken archive entry: ${e.message}`, {
                    file: where,
                  }),
                ),
              );
              s.pipe(limited(where, INPUT_LIMITS.maxBytes))
                .on("error", (e) => out.destroy(e))
                .pipe(out);
            })
            .catch((e: unknown) => out.destroy(e as Error));
          return out;
        },
      });
    }
    return files;
  } finally {
    zip.close();
  }
}

/**
 * Expands paths into input files: a folder gives its files (not recursively; hidden files and
 * PROVENANCE/README notes are skipped), a zip archive its entries, an XLSX stays one file.
 */
export async function inputFiles(paths: readonly string[]): Promise<InputFile[]> {
  const out: InputFile[] = [];
  for (const p of paths) {
    let st: Stats;
    try {
      st = await stat(p);
    } catch {
      throw new InterdictError("INTERDICT_E_NOT_FOUND", "no such file or folder", { file: p });
    }
    if (st.isDirectory()) {
      const names = (await readdir(p))
        .filter((n) => !n.startsWith(".") && !/^(PROVENANCE|README)/i.test(n))
        .sort();
      const children: string[] = [];
      for (const n of names) if ((await stat(join(p, n))).isFile()) children.push(join(p, n));
      out.push(...(await inputFiles(children)));
      continue;
    }
    if (st.size > INPUT_LIMITS.maxBytes) {
      throw new InterdictError(
        "INTERDICT_E_LIMIT",
        `${st.size} bytes, over the ${INPUT_LIMITS.maxBytes}-byte limit`,
        { file: p },
      );
    }
    const head = await readHead(p);
    const file = localFile(p, st, head);
    if (isZip(head) && !isXlsx(file)) out.push(...(await zipEntries(p)));
    else out.push(file);
  }
  return out;
}

/** Reads a whole (small) input file into memory; used for side files, never for lists. */
export async function readAll(file: InputFile): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of file.open()) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
