// What every list format provides: recognise its files from their content, and read them as a
// stream of entities. A dataset (us_ofac_sdn) may come in several formats (CSV, XML…); a format
// (FtM JSON lines) may carry any dataset.

import type { Readable } from "node:stream";
import type { Issue } from "../errors.js";
import type { Entity } from "../model/entity.js";

/** One input file: a file on disk or an entry of a zip archive. */
export interface InputFile {
  /** The file's own name (`SDN.CSV`), used in detection. */
  readonly name: string;
  /** Where it is, for messages (`lists/x/sdn_xml.zip!sdn.xml`). */
  readonly path: string;
  /** Size in bytes (uncompressed, for archive entries). */
  readonly size: number;
  /** The first bytes (up to 64 KiB), for detection. */
  readonly head: Buffer;
  /** A fresh stream of the whole content; size limits are enforced while it flows. */
  open(): Readable;
}

export interface Detection {
  /** The dataset, when the content itself says which list this is. */
  readonly dataset?: string;
  /** Files of one format that belong together (OFAC's SDN/ADD/ALT/COMMENTS) share a group key. */
  readonly role?: string;
}

export interface SourceContext {
  readonly dataset: string;
  /** Reports something odd that does not stop the list (an unparsable date, an unknown key). */
  issue(issue: Issue): void;
  /** Called with bytes read so far, for progress bars. */
  progress?(bytes: number): void;
}

/** One change from a delta file (OpenSanctions' `entities.delta.json`). */
export interface DeltaOp {
  readonly op: "ADD" | "MOD" | "DEL";
  readonly entity: Entity;
}

export interface Reader {
  /** Stable format id: `ofac-csv`, `un-xml`, `ftm-json`… */
  readonly format: string;
  readonly description: string;
  /** `full`: the files are a whole list version. `delta`: changes to apply to the current one. */
  readonly kind: "full" | "delta";
  /** Datasets this format is published for; undefined when it can carry any dataset. */
  readonly datasets?: readonly string[];
  /** Whether this reader takes the file, judged by name and first bytes; never reads further. */
  detect(file: Pick<InputFile, "name" | "head">): Detection | undefined;
  /**
   * Reads all files of this format that make up one version (e.g. SDN.CSV with ADD.CSV and
   * ALT.CSV). Yields entities (`full`) or delta ops (`delta`). Throws InterdictError naming the
   * file, line or record for input that is not a valid list; reports lesser problems as issues.
   */
  read(files: readonly InputFile[], ctx: SourceContext): AsyncIterable<Entity | DeltaOp>;
}
