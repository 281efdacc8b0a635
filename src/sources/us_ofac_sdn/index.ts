// OFAC's lists (SDN and consolidated non-SDN) in the formats OFAC publishes them.

import type { Reader } from "../types.js";
import { ofacCsvReader } from "./csv.js";

export const readers: Reader[] = [ofacCsvReader];
