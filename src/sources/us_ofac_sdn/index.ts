// OFAC's lists (SDN and consolidated non-SDN) in the formats OFAC publishes them.

import type { Reader } from "../types.js";
import { advancedXmlReader } from "./advanced.js";
import { ofacCsvReader } from "./csv.js";
import { sdnXmlReader } from "./xml.js";

export const readers: Reader[] = [ofacCsvReader, sdnXmlReader, advancedXmlReader];
