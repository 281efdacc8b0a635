import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Clause, parseClause, parseDocument, parseRemarks, splitClauses } from "./remarks.js";

describe("splitClauses", () => {
  const cases: [string, string, string[]][] = [
    [
      "plain clauses, final period dropped",
      "DOB 27 Aug 1977; POB Moscow, Russia.",
      ["DOB 27 Aug 1977", "POB Moscow, Russia"],
    ],
    [
      "a ; inside a quoted name does not split",
      "a.k.a. 'JD; THE EXAMPLE'; Gender Male.",
      ["a.k.a. 'JD; THE EXAMPLE'", "Gender Male"],
    ],
    [
      "a ; inside parentheses does not split",
      "Registration Number 123 (note; more) (Russia); Gender Male",
      ["Registration Number 123 (note; more) (Russia)", "Gender Male"],
    ],
    [
      "apostrophes inside words are text",
      "Passport 0291622 (Belize); Linked To: D'S SUPERMARKET COMPANY LTD.",
      ["Passport 0291622 (Belize)", "Linked To: D'S SUPERMARKET COMPANY LTD"],
    ],
    [
      "a quote after a space but not after a name mark is an ayn, not a delimiter",
      "Passport OR801168 issued under the name Said Jan 'Abd al-Salam; Passport 4117921; a.k.a. 'NANGIALI'.",
      [
        "Passport OR801168 issued under the name Said Jan 'Abd al-Salam",
        "Passport 4117921",
        "a.k.a. 'NANGIALI'",
      ],
    ],
    [
      "a period inside a clause stays",
      "Secondary sanctions risk: See Section 11 of Executive Order 14024.; Identification Number IMO 9339301.",
      [
        "Secondary sanctions risk: See Section 11 of Executive Order 14024.",
        "Identification Number IMO 9339301",
      ],
    ],
    [
      "a quote cut off by truncation does not swallow the field",
      "a.k.a. 'tianyinyin0404'; a.k.a. 'snowsjo",
      ["a.k.a. 'tianyinyin0404'", "a.k.a. 'snowsjo"],
    ],
    [
      "an unclosed parenthesis is a plain character",
      "Aircraft Model (A300; Gender Male",
      ["Aircraft Model (A300", "Gender Male"],
    ],
    ["quoted name with a period at the end", "a.k.a. 'ACME CO.'.", ["a.k.a. 'ACME CO.'"]],
    ["empty clauses vanish", "DOB 1962;; POB Shati.", ["DOB 1962", "POB Shati"]],
  ];
  for (const [what, input, expected] of cases) {
    it(what, () => assert.deepEqual(splitClauses(input), expected));
  }
});

/** Real clauses from SDN.CSV 2021–2024 and CONS_PRIM.CSV 2025, and what they say. */
const CLAUSES: [string, Partial<Clause> & Record<string, unknown>][] = [
  ["a.k.a. 'BNC'", { kind: "alias", relation: "aka", name: "BNC", alt: false }],
  ["f.k.a. 'SAND SWAN'", { kind: "alias", relation: "fka", name: "SAND SWAN" }],
  ["n.k.a. 'LGOK'", { kind: "alias", relation: "nka", name: "LGOK" }],
  ["d.b.a. 'ANARQUIA PAINTBALL'", { kind: "alias", relation: "dba", name: "ANARQUIA PAINTBALL" }],
  ["a.k.a. 'ZINIRA, Abu'", { kind: "alias", name: "ZINIRA, Abu" }],
  ["DOB 27 Aug 1977", { kind: "property", props: ["birthDate"], value: "27 Aug 1977" }],
  ["DOB circa 1951", { kind: "property", props: ["birthDate"], value: "circa 1951" }],
  ["DOB Jan 1959", { kind: "property", props: ["birthDate"], value: "Jan 1959" }],
  ["DOB 1984 to 1986", { kind: "property", props: ["birthDate"], value: "1984 to 1986" }],
  ["alt. DOB 31 Aug 1953", { kind: "property", props: ["birthDate"], value: "31 Aug 1953", alt: true }],
  ["POB Moscow, Russia", { kind: "property", props: ["birthPlace"], value: "Moscow, Russia" }],
  ["nationality Korea, North", { kind: "property", props: ["nationality"], value: "Korea, North" }],
  ["alt. nationality Russia", { kind: "property", props: ["nationality"], value: "Russia", alt: true }],
  ["citizen Egypt", { kind: "property", props: ["citizenship"], value: "Egypt" }],
  ["Gender Female", { kind: "property", props: ["gender"], value: "Female" }],
  ["Email Address info@arrai.tv", { kind: "property", props: ["email"], value: "info@arrai.tv" }],
  ["Email:adelb@shabakah.net.sa", { kind: "property", props: ["email"], value: "adelb@shabakah.net.sa" }],
  ["Website www.bank-maskan.ir", { kind: "property", props: ["website"], value: "www.bank-maskan.ir" }],
  ["http://www.saraproperties.co.uk (website)", { kind: "property", props: ["website"] }],
  ["Phone Number 982188526300", { kind: "property", props: ["phone"], value: "982188526300" }],
  ["Telephone: 0097282851500", { kind: "property", props: ["phone"], value: "0097282851500" }],
  ["Alt. Fax: 9221227700019", { kind: "property", props: ["phone"], value: "9221227700019", alt: true }],
  ["SWIFT/BIC HAVIGB2L", { kind: "property", props: ["swiftBic"], value: "HAVIGB2L" }],
  ["Organization Established Date 17 Dec 2016", { kind: "property", props: ["incorporationDate"] }],
  [
    "Organization Type: Activities of holding companies",
    { kind: "property", props: ["sector"], value: "Activities of holding companies" },
  ],
  ["Target Type Private Company", { kind: "property", props: ["classification"], value: "Private Company" }],
  [
    "Nationality of Registration Korea, North",
    { kind: "property", props: ["jurisdiction", "flag", "country"] },
  ],
  ["Position: Director, General Intelligence Directorate", { kind: "property", props: ["position"] }],
  [
    "Vessel Registration Identification IMO 9486910",
    { kind: "property", props: ["imoNumber"], value: "IMO9486910" },
  ],
  ["Identification Number IMO 5342883", { kind: "property", props: ["imoNumber"], value: "IMO5342883" }],
  ["Company Number IMO 5055293", { kind: "property", props: ["imoNumber"], value: "IMO5055293" }],
  [
    "International Maritime Organization No. (5777731)",
    { kind: "property", props: ["imoNumber"], value: "IMO5777731" },
  ],
  ["MMSI 572469210", { kind: "property", props: ["mmsi"], value: "572469210" }],
  ["Other Vessel Flag Tanzania", { kind: "property", props: ["flag"], value: "Tanzania" }],
  ["Former Vessel Flag Malta", { kind: "property", props: ["pastFlags"], value: "Malta" }],
  ["Other Vessel Type Roll-on Roll-off", { kind: "property", props: ["type"], value: "Roll-on Roll-off" }],
  ["Other Vessel Call Sign 5IM713", { kind: "property", props: ["callSign"], value: "5IM713" }],
  ["Vessel Year of Build 2007", { kind: "property", props: ["buildDate"], value: "2007" }],
  ["Aircraft Manufacture Date 1992", { kind: "property", props: ["buildDate"], value: "1992" }],
  ["Aircraft Model Ilyushin IL-76TD", { kind: "property", props: ["model"], value: "Ilyushin IL-76TD" }],
  [
    "Aircraft Manufacturer's Serial Number (MSN) 1023409321",
    { kind: "property", props: ["serialNumber"], value: "1023409321" },
  ],
  ["Aircraft Tail Number EP-MMH", { kind: "property", props: ["registrationNumber"], value: "EP-MMH" }],
  [
    "Previous Aircraft Tail Number YI-NAE",
    { kind: "property", props: ["registrationNumber"], value: "YI-NAE" },
  ],
  ["Aircraft Operator YAS AIR", { kind: "operator", name: "YAS AIR" }],
  ["Aircraft Construction Number (also called L/N or S/N or F/N) 8401", { kind: "note" }],
  ["Aircraft Mode S Transponder Code 7342B3", { kind: "note" }],
  ["Linked To: HIZBALLAH", { kind: "linked", name: "HIZBALLAH" }],
  [
    "Linked To: ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE",
    { kind: "linked", name: "ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE" },
  ],
  [
    "Digital Currency Address - XBT 12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h",
    { kind: "crypto", currency: "XBT", address: "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h" },
  ],
  [
    "alt. Digital Currency Address - ETH 0x7F367cC41522cE07553e823bf3be79A889DEbe1B",
    { kind: "crypto", currency: "ETH", address: "0x7F367cC41522cE07553e823bf3be79A889DEbe1B", alt: true },
  ],
  [
    "Additional Sanctions Information - Subject to Secondary Sanctions Pursuant to the Hizballah Financial Sanctions Regulations",
    { kind: "sanction" },
  ],
  [
    "Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.210",
    { kind: "sanction" },
  ],
  [
    "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions: North Korea Sanctions Regulations section 510.214",
    { kind: "sanction" },
  ],
  ["Executive Order 13662 Directive Determination - Subject to Directive 2", { kind: "sanction" }],
  [
    "Executive Order 13846 information: LOANS FROM UNITED STATES FINANCIAL INSTITUTIONS.  Sec. 5(a)(i)",
    { kind: "sanction" },
  ],
  ["CAATSA Section 235 Information: EXPORT SANCTIONS Sec. 235(a)(2)", { kind: "sanction" }],
  ["IFCA Determination - Involved in Energy Sector", { kind: "sanction" }],
  ["Listing Date (EO 14024 Directive 2): 24 Feb 2022", { kind: "sanction" }],
  [
    "For more information on directives, please visit the following link: http://www.treasury.gov/resource-center/sanctions/Programs/Pages/ukraine.aspx#directives.",
    {
      kind: "sanction",
      url: "http://www.treasury.gov/resource-center/sanctions/Programs/Pages/ukraine.aspx#directives",
    },
  ],
  ["all offices worldwide", { kind: "sanction" }],
  [
    "Passport 1084010 (Egypt)",
    { kind: "document", label: "Passport", number: "1084010", country: "Egypt", notes: [], props: [] },
  ],
  [
    "Passport BE5978421 (Pakistan) issued 14 Nov 2007 expires 12 Nov 2012",
    {
      kind: "document",
      number: "BE5978421",
      country: "Pakistan",
      issued: "14 Nov 2007",
      expires: "12 Nov 2012",
    },
  ],
  [
    "Passport G025057 issued 23 Jun 1999 expires 05 Feb 2004",
    {
      kind: "document",
      number: "G025057",
      country: undefined,
      issued: "23 Jun 1999",
      expires: "05 Feb 2004",
    },
  ],
  ["alt. Passport Booklet A5250088 (Pakistan)", { kind: "document", label: "Passport Booklet", alt: true }],
  [
    "Diplomatic Passport 008827 (Iran) issued 1999",
    { kind: "document", label: "Diplomatic Passport", issued: "1999" },
  ],
  [
    "National ID No. 660000 73767 (Belgium)",
    { kind: "document", number: "660000 73767", country: "Belgium" },
  ],
  ["Cedula No. V-8348784 (Venezuela)", { kind: "document", label: "Cedula No.", number: "V-8348784" }],
  ["Tax ID No. AABA 670850 Y", { kind: "document", number: "AABA 670850 Y", props: ["taxNumber"] }],
  ["SSN 523-33-8386 (United States)", { kind: "document", label: "SSN", country: "United States" }],
  ["Registration ID 14063277", { kind: "document", label: "Registration ID", props: ["registrationNumber"] }],
  ["Identification Number 2.194.575 (Paraguay)", { kind: "document", label: "Identification Number" }],
  [
    "C.U.R.P. AIMM67125HCHRRG06 (Mexico) issued 1968",
    { kind: "document", label: "C.U.R.P.", issued: "1968" },
  ],
  ["R.F.C. DIB-771110-HQ1 (Mexico)", { kind: "document", label: "R.F.C.", number: "DIB-771110-HQ1" }],
  ["NIT # 800018928-0 (Colombia)", { kind: "document", label: "NIT #", number: "800018928-0" }],
  ["RUC # 20108363101 (Peru)", { kind: "document", label: "RUC #", props: ["taxNumber"] }],
  ["D.N.I. 78.865.882 (Spain)", { kind: "document", label: "D.N.I.", number: "78.865.882" }],
  ["Driver's License No. 180839 (Mexico)", { kind: "document", label: "Driver's License No." }],
  [
    "Business Registration Document # F01000003035 (United States)",
    { kind: "document", label: "Business Registration Document #", number: "F01000003035" },
  ],
  ["Company Number 01074897 (United Kingdom)", { kind: "document", label: "Company Number" }],
  [
    "Business Registration Number 0582030 (Connecticut) (United States)",
    { kind: "document", number: "0582030", country: "United States", notes: ["Connecticut"] },
  ],
  [
    "Unified Social Credit Code (USCC) 9113100033607322XK (China)",
    { kind: "document", label: "Unified Social Credit Code (USCC)", number: "9113100033607322XK" },
  ],
  [
    "Legal Entity Number 253400V1H6ART1UQ0N98 (Russia)",
    { kind: "document", number: "253400V1H6ART1UQ0N98", props: ["leiCode"] },
  ],
  ["BIK (RU) 044030707", { kind: "document", label: "BIK (RU)", number: "044030707" }],
  ["V.A.T. Number MT20084637 (Malta)", { kind: "document", props: ["vatCode"] }],
  ["D-U-N-S Number 542957624", { kind: "document", props: ["dunsCode"] }],
  ["ISIN KYG7114V1023", { kind: "document", props: ["isinCode"] }],
  ["Equity Ticker PME US", { kind: "property", props: ["ticker"], value: "PME US" }],
  // Identifier-shaped clauses under heads the table does not name.
  [
    "Military Registration Number 172985458137 (Congo, Democratic Republic of the)",
    { kind: "document", label: "Military Registration Number", country: "Congo, Democratic Republic of the" },
  ],
  ["Tourism License No. 585026 (United Arab Emirates)", { kind: "document", label: "Tourism License No." }],
  // Prose and the unknown.
  ["ICTY indictee in custody", { kind: "remark" }],
  ["wife of Izzat Ibrahim Al-Duri", { kind: "remark" }],
  ["arrested 23 Apr 2002", { kind: "note" }],
  ["Tribe: Noorzai", { kind: "note" }],
  ["named in UNSCR 1483", { kind: "unknown", head: "named in UNSCR" }],
  ["Passport issued in Sarajevo, Bosnia-Herzegovina", { kind: "unknown" }],
  ["Operations in Afghanistan: Herat, Jalalabad", { kind: "unknown", head: "Operations in Afghanistan" }],
];

describe("parseClause", () => {
  for (const [raw, expected] of CLAUSES) {
    it(raw, () => {
      const clause: Record<string, unknown> = { ...parseClause(raw) };
      assert.equal(clause.raw, raw);
      for (const [k, v] of Object.entries(expected)) assert.deepEqual(clause[k], v, `${k} of ${raw}`);
    });
  }
});

describe("parseDocument", () => {
  it("takes trailing parentheses that are countries as the country, the rest as notes", () => {
    assert.deepEqual(parseDocument("HRA 738077 (Stuttgart) (Germany)"), {
      number: "HRA 738077",
      country: "Germany",
      issued: undefined,
      expires: undefined,
      notes: ["Stuttgart"],
    });
  });
  it("reads expires without issued", () => {
    const d = parseDocument("U8356901 (Iran) expires 09 May 2011");
    assert.equal(d.number, "U8356901");
    assert.equal(d.expires, "09 May 2011");
    assert.equal(d.issued, undefined);
  });
});

describe("parseRemarks", () => {
  it("reads a whole real field (SAEED, Muhammad, ent_num 10689)", () => {
    const remarks =
      "DOB 05 Jun 1950; POB Sargodha, Punjab, Pakistan; nationality Pakistan; Passport BE5978421 (Pakistan) issued 14 Nov 2007 expires 12 Nov 2012; alt. Passport Booklet A5250088 (Pakistan); National ID No. 3520025509842-7 (Pakistan); alt. National ID No. 23250460642 (Pakistan); a.k.a. 'HAFIZ SAHIB'; a.k.a. 'TATA JI'.";
    assert.deepEqual(
      parseRemarks(remarks).map((c) => c.kind),
      ["property", "property", "property", "document", "document", "document", "document", "alias", "alias"],
    );
  });
});
