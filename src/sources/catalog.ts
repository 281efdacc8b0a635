// The datasets Interdict knows how to fetch: who publishes each list, where the official files
// are, how often they change and on what terms. Data only; `download.ts` fetches what it names.
// URLs are the published ones as of 2026. They cannot be checked from an offline build: a URL
// we are less sure of carries a comment saying so.

import { InterdictError } from "../errors.js";

/** How often the publisher changes the list. */
export type Cadence = "daily" | "weekly" | "as needed";

export interface CatalogFile {
  /** The name the file is saved under: the publisher's own file name. */
  readonly name: string;
  /** Where it is published; `{param}` placeholders take values from the dataset's `params`. */
  readonly url: string;
}

/** One way the publisher offers the list: a set of files that together make one version. */
export interface Distribution {
  /** Short key to choose it (`csv`, `xml`, `advanced-xml`). */
  readonly id: string;
  /** The file format, in words. */
  readonly format: string;
  readonly files: readonly CatalogFile[];
  readonly note?: string;
}

export interface DatasetInfo {
  readonly name: string;
  readonly title: string;
  readonly publisher: string;
  /** The authority that imposes the sanctions, as Sanction entities name it. */
  readonly authority: string;
  /** The authority's country as an FtM code (`zz` for international bodies). */
  readonly country: string;
  /** The publisher's page about the list. */
  readonly homepage: string;
  readonly cadence: Cadence;
  /** Licence or terms of reuse, in one line. */
  readonly licence: string;
  /** Values for `{param}` placeholders in URLs; callers may override them. */
  readonly params?: Readonly<Record<string, string>>;
  /** The ways to fetch the list; the first is the one `update` downloads unless told otherwise. */
  readonly distributions: readonly Distribution[];
  /** The date the publisher stopped updating the list, if it has. */
  readonly retired?: string;
  readonly notes?: string;
}

/** OFAC's Sanctions List Service serves every OFAC file from one export endpoint. */
const OFAC_SLS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports";

export const CATALOG: readonly DatasetInfo[] = [
  {
    name: "us_ofac_sdn",
    title: "OFAC Specially Designated Nationals and Blocked Persons List (SDN)",
    publisher: "US Department of the Treasury, Office of Foreign Assets Control (OFAC)",
    authority: "Office of Foreign Assets Control",
    country: "us",
    homepage:
      "https://ofac.treasury.gov/specially-designated-nationals-and-blocked-persons-list-sdn-human-readable-lists",
    cadence: "as needed",
    licence: "US Government work: public domain in the United States",
    distributions: [
      {
        id: "csv",
        format: "OFAC legacy CSV set (headerless), joined on ent_num",
        files: [
          { name: "SDN.CSV", url: `${OFAC_SLS}/SDN.CSV` },
          { name: "ADD.CSV", url: `${OFAC_SLS}/ADD.CSV` },
          { name: "ALT.CSV", url: `${OFAC_SLS}/ALT.CSV` },
          { name: "SDN_COMMENTS.CSV", url: `${OFAC_SLS}/SDN_COMMENTS.CSV` },
        ],
      },
      {
        id: "xml",
        format: "OFAC classic XML (sdn.xml)",
        files: [{ name: "sdn.xml", url: `${OFAC_SLS}/SDN.XML` }],
      },
      {
        id: "advanced-xml",
        format: "OFAC advanced XML (sdn_advanced.xml, Advanced Sanctions Data Model)",
        files: [{ name: "sdn_advanced.xml", url: `${OFAC_SLS}/SDN_ADVANCED.XML` }],
        note: "the largest OFAC file (over 100 MB)",
      },
    ],
    notes:
      "OFAC updates the list whenever it designates or delists, often several times a week. " +
      "The older www.treasury.gov/ofac/downloads/ addresses redirect to the Sanctions List Service.",
  },
  {
    name: "us_ofac_cons",
    title: "OFAC Consolidated Sanctions List (non-SDN)",
    publisher: "US Department of the Treasury, Office of Foreign Assets Control (OFAC)",
    authority: "Office of Foreign Assets Control",
    country: "us",
    homepage: "https://ofac.treasury.gov/consolidated-sanctions-list-non-sdn-lists",
    cadence: "as needed",
    licence: "US Government work: public domain in the United States",
    distributions: [
      {
        id: "csv",
        format: "OFAC legacy CSV set (headerless), joined on ent_num",
        files: [
          { name: "CONS_PRIM.CSV", url: `${OFAC_SLS}/CONS_PRIM.CSV` },
          { name: "CONS_ADD.CSV", url: `${OFAC_SLS}/CONS_ADD.CSV` },
          { name: "CONS_ALT.CSV", url: `${OFAC_SLS}/CONS_ALT.CSV` },
          { name: "CONS_COMMENTS.CSV", url: `${OFAC_SLS}/CONS_COMMENTS.CSV` },
        ],
      },
      {
        id: "xml",
        format: "OFAC classic XML (consolidated.xml, the sdn.xml schema)",
        files: [{ name: "consolidated.xml", url: `${OFAC_SLS}/CONSOLIDATED.XML` }],
      },
      {
        id: "advanced-xml",
        format: "OFAC advanced XML (cons_advanced.xml)",
        // Less sure: the export name follows OFAC's SDN_ADVANCED.XML pattern.
        files: [{ name: "cons_advanced.xml", url: `${OFAC_SLS}/CONS_ADVANCED.XML` }],
      },
    ],
  },
  {
    name: "un_sc_sanctions",
    title: "United Nations Security Council Consolidated List",
    publisher: "United Nations Security Council",
    authority: "United Nations Security Council",
    country: "zz",
    // The UN moved its Security Council pages to main.un.org in 2024; the old www.un.org one redirects.
    homepage: "https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list",
    cadence: "as needed",
    licence: "United Nations terms of use: free to reproduce with attribution to the UN",
    distributions: [
      {
        id: "xml",
        format: "UN consolidated list XML",
        files: [
          { name: "consolidated.xml", url: "https://scsanctions.un.org/resources/xml/en/consolidated.xml" },
        ],
        note: "the address redirects to the UN's current host; the download follows it",
      },
    ],
  },
  {
    name: "gb_hmt_sanctions",
    title: "OFSI Consolidated List of Financial Sanctions Targets",
    publisher: "HM Treasury, Office of Financial Sanctions Implementation (OFSI)",
    authority: "Office of Financial Sanctions Implementation",
    country: "gb",
    homepage: "https://www.gov.uk/government/publications/financial-sanctions-consolidated-list-of-targets",
    cadence: "as needed",
    licence: "Open Government Licence v3.0",
    distributions: [
      {
        id: "csv",
        format: "OFSI consolidated list CSV (one row per name, grouped by Group ID)",
        files: [
          {
            name: "ConList.csv",
            url: "https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.csv",
          },
        ],
        note: "the 2022 format; the pre-2022 file (publishlive/ConList.csv) has fewer columns",
      },
    ],
    retired: "2026-01-28",
    notes:
      "OFSI closed the Consolidated List on 28 January 2026: the UK Sanctions List " +
      "(gb_fcdo_sanctions) is now the only official source of UK designations.",
  },
  {
    name: "gb_fcdo_sanctions",
    title: "UK Sanctions List",
    publisher: "Foreign, Commonwealth & Development Office (FCDO)",
    authority: "Foreign, Commonwealth & Development Office",
    country: "gb",
    homepage: "https://www.gov.uk/government/publications/the-uk-sanctions-list",
    cadence: "as needed",
    licence: "Open Government Licence v3.0",
    distributions: [
      {
        id: "xml",
        format: "UK Sanctions List XML (Designations/Designation)",
        files: [
          {
            name: "UK-Sanctions-List.xml",
            url: "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml",
          },
        ],
        note: "until 2025 the file was an attachment of the gov.uk page, named UK_Sanctions_List.xml",
      },
    ],
  },
  {
    name: "eu_fsf",
    title: "EU Financial Sanctions Files (consolidated list)",
    publisher: "European Commission, DG FISMA (Financial Sanctions Files)",
    authority: "Council of the European Union",
    country: "eu",
    homepage:
      "https://data.europa.eu/data/datasets/consolidated-list-of-persons-groups-and-entities-subject-to-eu-financial-sanctions",
    cadence: "as needed",
    licence: "© European Union: reuse authorised with acknowledgement (Commission Decision 2011/833/EU)",
    // The FSF site serves files only to a URL carrying a token. This is the token published with
    // the public download links; registered FSF users get their own, which overrides it.
    params: { token: "dG9rZW4tMjAxNw" },
    distributions: [
      {
        id: "xml",
        format: "EU FSF XML 1.1 (export/sanctionEntity)",
        files: [
          {
            // The endpoint names no file; the name is the endpoint's own.
            name: "xmlFullSanctionsList_1_1.xml",
            url: "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content?token={token}",
          },
        ],
        note: "needs a token in the URL (param `token`)",
      },
    ],
  },
  {
    name: "ca_dfatd_sema_sanctions",
    title: "Consolidated Canadian Autonomous Sanctions List",
    publisher: "Global Affairs Canada",
    authority: "Global Affairs Canada",
    country: "ca",
    // Less sure of this page's address; the XML address below is the widely used one.
    homepage:
      "https://www.international.gc.ca/world-monde/international_relations-relations_internationales/sanctions/consolidated-consolide.aspx?lang=eng",
    cadence: "as needed",
    // Less sure: the list is also offered on open.canada.ca, whose datasets carry this licence.
    licence: "Open Government Licence – Canada",
    distributions: [
      {
        id: "xml",
        format: "SEMA/JVCFOA consolidated list XML (flat <record> elements)",
        files: [
          {
            name: "sema-lmes.xml",
            url: "https://www.international.gc.ca/world-monde/assets/office_docs/international_relations-relations_internationales/sanctions/sema-lmes.xml",
          },
        ],
      },
    ],
    notes:
      "Covers the Special Economic Measures Act and the Justice for Victims of Corrupt Foreign Officials Act.",
  },
  {
    name: "au_dfat_sanctions",
    title: "Australian Consolidated List",
    publisher: "Department of Foreign Affairs and Trade (DFAT), Australian Sanctions Office",
    authority: "Department of Foreign Affairs and Trade",
    country: "au",
    homepage: "https://www.dfat.gov.au/international-relations/security/sanctions/consolidated-list",
    cadence: "as needed",
    // Less sure: DFAT's site content is CC BY 4.0 unless marked otherwise; the list is not marked.
    licence: "Creative Commons Attribution 4.0 (DFAT website terms)",
    distributions: [
      {
        id: "xlsx",
        format: "Excel workbook, one row per name",
        files: [
          {
            name: "regulation8_consolidated.xlsx",
            url: "https://www.dfat.gov.au/sites/default/files/regulation8_consolidated.xlsx",
          },
        ],
      },
    ],
  },
  {
    name: "opensanctions",
    title: "OpenSanctions collection",
    publisher: "OpenSanctions Datenbanken GmbH",
    authority: "OpenSanctions",
    country: "zz",
    homepage: "https://www.opensanctions.org/datasets/",
    cadence: "daily",
    licence: "CC BY-NC 4.0: non-commercial use; commercial users need a data licence from OpenSanctions",
    // Which OpenSanctions collection or dataset to fetch (`sanctions`, `default`, `ua_war_sanctions`…).
    params: { collection: "sanctions" },
    distributions: [
      {
        id: "simple-csv",
        format: "OpenSanctions targets.simple.csv",
        files: [
          {
            name: "targets.simple.csv",
            url: "https://data.opensanctions.org/datasets/latest/{collection}/targets.simple.csv",
          },
        ],
      },
      {
        id: "ftm",
        format: "FollowTheMoney JSON lines (entities.ftm.json)",
        files: [
          {
            name: "entities.ftm.json",
            url: "https://data.opensanctions.org/datasets/latest/{collection}/entities.ftm.json",
          },
        ],
      },
    ],
    notes: "Not an official list: an aggregation of official lists, updated several times a day.",
  },
];

const BY_NAME = new Map(CATALOG.map((d) => [d.name, d]));

/** The catalog entry for a dataset; throws INTERDICT_E_UNKNOWN_DATASET naming the known ones. */
export function datasetInfo(name: string): DatasetInfo {
  const info = BY_NAME.get(name);
  if (!info) {
    throw new InterdictError(
      "INTERDICT_E_UNKNOWN_DATASET",
      `unknown dataset "${name}"; known datasets: ${CATALOG.map((d) => d.name).join(", ")}`,
    );
  }
  return info;
}

/**
 * The files to fetch for a dataset: the chosen distribution (the first by default) with its
 * `{param}` placeholders filled from the catalog's params, overridden by `params`.
 */
export function officialFiles(
  info: DatasetInfo,
  distribution?: string,
  params: Readonly<Record<string, string>> = {},
): CatalogFile[] {
  const dist = distribution ? info.distributions.find((d) => d.id === distribution) : info.distributions[0];
  if (!dist) {
    throw new InterdictError(
      "INTERDICT_E_USAGE",
      `${info.name} has no distribution "${distribution}"; it has ${info.distributions.map((d) => d.id).join(", ")}`,
    );
  }
  const values = { ...info.params, ...params };
  return dist.files.map((f) => ({
    name: f.name,
    url: f.url.replace(/\{(\w+)\}/g, (_whole, key: string) => {
      const value = values[key];
      if (value === undefined) {
        throw new InterdictError("INTERDICT_E_USAGE", `${info.name}: no value for URL parameter "${key}"`);
      }
      return encodeURIComponent(value);
    }),
  }));
}
