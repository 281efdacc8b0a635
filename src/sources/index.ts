// Every list format we read. Detection asks each reader in turn; the specific formats come
// first and the generic FtM readers last.

import { readers as auDfat } from "./au_dfat_sanctions/index.js";
import { readers as euFsf } from "./eu_fsf/index.js";
import { readers as ftm } from "./ftm/index.js";
import { readers as gbFcdo } from "./gb_fcdo_sanctions/index.js";
import { readers as gbHmt } from "./gb_hmt_sanctions/index.js";
import { readers as opensanctions } from "./opensanctions/index.js";
import type { Reader } from "./types.js";
import { readers as unSc } from "./un_sc_sanctions/index.js";
import { readers as usOfac } from "./us_ofac_sdn/index.js";

export const READERS: readonly Reader[] = [
  ...usOfac,
  ...unSc,
  ...euFsf,
  ...gbHmt,
  ...gbFcdo,
  ...auDfat,
  ...opensanctions,
  ...ftm,
];
