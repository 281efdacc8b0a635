// Every list format we read. Detection asks each reader in turn; the specific formats come
// first and the generic FtM readers last.

import { readers as ftm } from "./ftm/index.js";
import type { Reader } from "./types.js";

export const READERS: readonly Reader[] = [...ftm];
