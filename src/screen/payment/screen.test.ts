// Payment screening decisions on the real OFAC SDN list (2024-05-03): a designated debtor, a
// designated creditor agent (Bank Rossiya's BIC), a listed name hidden in remittance text and a
// clean payment, each as pacs.008, MT103 and (two of them) JSON; places; free text that must not
// raise alerts.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ingest } from "../../ingest/ingest.js";
import { Matcher } from "../../match/matcher.js";
import { SqliteStore } from "../../store/sqlite.js";
import { type PaymentScreening, parsePayment, screenPayment } from "./index.js";

const SDN = "../shared/data/lists/us_ofac_sdn/2024-05-03";
const FIXTURES = "src/screen/payment/fixtures";
const read = (name: string): string => readFileSync(join(FIXTURES, name), "utf8");
const typeOf = (name: string): string =>
  name.endsWith(".xml") ? "application/xml" : name.endsWith(".json") ? "application/json" : "text/plain";

describe("screenPayment on the real SDN list", () => {
  const store = new SqliteStore(":memory:");
  let matcher: Matcher;
  before(async () => {
    await ingest(store, [SDN], { force: true });
    matcher = await Matcher.fromStore(store);
  });
  after(() => store.close());

  const screen = (body: string, type: string): PaymentScreening =>
    screenPayment(parsePayment(body, type), matcher);
  const screenFile = (name: string): PaymentScreening => screen(read(name), typeOf(name));

  // [fixture, decision, rule, field of the deciding hit, entity]
  const CASES: [string, string, string, string, string][] = [
    ["pacs008-designated-debtor.xml", "block", "block-confirmed-match", "Dbtr/Nm", "us_ofac_sdn:34741"],
    ["mt103-designated-debtor.txt", "block", "block-confirmed-match", "50K", "us_ofac_sdn:34741"],
    [
      "pacs008-designated-creditor-agent.xml",
      "block",
      "block-confirmed-match",
      "CdtrAgt/FinInstnId/BICFI",
      "us_ofac_sdn:16681",
    ],
    ["mt103-designated-creditor-agent.txt", "block", "block-confirmed-match", "57A", "us_ofac_sdn:16681"],
    [
      "payment-designated-creditor-agent.json",
      "block",
      "block-confirmed-match",
      "creditor_agent/bic",
      "us_ofac_sdn:16681",
    ],
    ["pacs008-remittance-name.xml", "hold", "hold-free-text", "RmtInf/Ustrd", "us_ofac_sdn:18782"],
    ["mt103-remittance-name.txt", "hold", "hold-free-text", "70", "us_ofac_sdn:18782"],
  ];
  for (const [file, decision, rule, field, entity] of CASES) {
    it(`${file}: ${decision} (${rule}) on ${field}`, () => {
      const s = screenFile(file);
      assert.equal(s.decision, decision, s.rule);
      assert.ok(s.rule.startsWith(`${rule}: ${field} `), s.rule);
      const hit = s.hits.find((h) => h.field === field && h.entity_id === entity);
      assert.ok(hit, JSON.stringify(s.hits.map((h) => [h.field, h.entity_id])));
      assert.ok(hit.explanation.length > 0 && hit.explanation.every((e) => e.length > 10));
      assert.ok(hit.legal_grounds.length > 0);
      assert.ok(hit.value.length > 0);
    });
  }

  it("the creditor agent is found by its BIC, not its name (the message calls it AB ROSSIYA)", () => {
    const s = screenFile("pacs008-designated-creditor-agent.xml");
    const hit = s.hits.find((h) => h.entity_id === "us_ofac_sdn:16681");
    assert.equal(hit?.value, "ROSYRU2PXXX");
    assert.equal(hit?.confirmed, true);
    assert.ok(hit?.explanation.some((e) => e.startsWith("identifier_match")));
    assert.equal(hit?.role, "creditor_agent");
  });

  it("the hidden name is reported as the words that matched, not the whole line", () => {
    const s = screenFile("pacs008-remittance-name.xml");
    assert.equal(s.hits[0]?.value, "Rosoboroneksport");
    assert.equal(s.hits[0]?.outcome, "hold");
  });

  for (const file of ["pacs008-clean.xml", "mt103-clean.txt", "payment-clean.json"]) {
    it(`${file}: release with no hits`, () => {
      const s = screenFile(file);
      assert.equal(s.decision, "release", s.rule);
      assert.deepEqual(s.hits, []);
      assert.match(s.rule, /^release-clean/);
    });
  }

  it("a close but inexact debtor name is held for review, not blocked", () => {
    const xml = read("pacs008-designated-debtor.xml").replace(
      "JOINT STOCK COMPANY SOVCOMFLOT",
      "SOVKOMFLOT JSC",
    );
    const s = screen(xml, "application/xml");
    assert.equal(s.decision, "hold", s.rule);
    assert.match(s.rule, /^hold-potential-match: Dbtr\/Nm /);
    assert.equal(s.hits[0]?.confirmed, false);
  });

  describe("places (OFAC FAQ 36)", () => {
    const clean = read("pacs008-clean.xml");
    it("a bank in Iran (BIC country letters) is blocked: an Iranian financial institution's interest", () => {
      const s = screen(
        clean.replace("<BICFI>NWBKGB2LXXX</BICFI>", "<BICFI>ABCDIRTHXXX</BICFI>"),
        "application/xml",
      );
      assert.equal(s.decision, "block");
      assert.match(
        s.rule,
        /^block-jurisdiction: CdtrAgt\/FinInstnId\/BICFI "ABCDIRTHXXX" is jurisdiction:ir/,
      );
    });
    it("a creditor in Iran with banks elsewhere is rejected: prohibited, nothing blockable", () => {
      const s = screen(
        clean.replace("<TwnNm>Spalding</TwnNm><Ctry>GB</Ctry>", "<TwnNm>Tehran</TwnNm><Ctry>IR</Ctry>"),
        "application/xml",
      );
      assert.equal(s.decision, "reject", s.rule);
      assert.match(s.rule, /^reject-jurisdiction: Cdtr\/PstlAdr\//);
    });
    it("an address line in Crimea rejects; one in Donetsk is held (it may lie outside the covered region)", () => {
      const crimea = read("mt103-clean.txt").replace("SPALDING GB", "SIMFEROPOL");
      const s = screen(crimea, "text/plain");
      assert.equal(s.decision, "reject", s.rule);
      assert.match(s.rule, /^reject-jurisdiction: 59 "SIMFEROPOL" is region:Crimea/);
      const donetsk = screen(read("mt103-clean.txt").replace("SPALDING GB", "DONETSK UA"), "text/plain");
      assert.equal(donetsk.decision, "hold", donetsk.rule);
      assert.match(donetsk.rule, /^hold-place/);
    });
    it("an IBAN held in Cuba blocks", () => {
      const json = JSON.parse(read("payment-clean.json"));
      json.creditor.account = "CU1234567890123456789012"; // Cuba has no IBAN: not a valid one, so by address
      json.creditor.address = ["Calle 23, La Habana"];
      const s = screen(JSON.stringify(json), "application/json");
      assert.equal(s.decision, "block", s.rule);
      assert.match(
        s.rule,
        /^block-jurisdiction: creditor\/address\[0\] "Calle 23, La Habana" is jurisdiction:cu/,
      );
    });
    it("a potential match outranks a reject: funds returned cannot be blocked later", () => {
      const xml = read("pacs008-designated-debtor.xml")
        .replace("JOINT STOCK COMPANY SOVCOMFLOT", "SOVKOMFLOT JSC")
        .replace("<TwnNm>Stamford</TwnNm><CtrySubDvsn>CT</CtrySubDvsn><Ctry>US</Ctry>", "<Ctry>IR</Ctry>");
      const s = screen(xml, "application/xml");
      assert.equal(s.decision, "hold", s.rule);
      assert.ok(s.hits.some((h) => h.outcome === "reject"));
    });
    it("a sanctioned country named in free text is a mention: held, not rejected", () => {
      const json = JSON.parse(read("payment-clean.json"));
      json.remittance_information = ["consignment via Tehran warehouse"];
      const s = screen(JSON.stringify(json), "application/json");
      assert.equal(s.decision, "hold", s.rule);
      assert.match(s.rule, /^hold-place: remittance_information\[0\] "tehran"/);
    });
  });

  it("everyday remittance lines raise no alert (no flooding from common words)", () => {
    const LINES = [
      "Salary October 2024",
      "Rent apartment 4B Kastanienallee 12 November",
      "PO 88213 office chairs and desks",
      "Consulting fees Q3 2024 as per agreement dated 01.07.2024",
      "Payment for freight Rotterdam to Antwerp container MSCU1234567",
      "Tuition fee spring semester student id 204411",
      "Donation to Red Cross flood relief",
      "Wedding gift for Maria and Jose",
      "Invoice INV-2024-0912 steel pipes grade A106",
      "Payment for hotel booking Istanbul conference",
      "Management fee Green Valley Properties",
      "Advance payment 30 percent machinery order Shanghai Industrial",
      "Payment for wheat shipment Odessa port vessel Ocean Star",
      "Family support from Ahmed to his mother",
      "Transfer to savings account",
      "Crude oil cargo demurrage charges",
      "Commission on sales agent Petrov",
      "Order 5521 spare parts Caterpillar excavator",
      "Freight charges Maersk Line booking 991122",
      "Annual membership fee chess club",
    ];
    const flagged: string[] = [];
    for (const line of LINES) {
      const json = JSON.parse(read("payment-clean.json"));
      json.remittance_information = [line];
      const s = screen(JSON.stringify(json), "application/json");
      if (s.hits.length)
        flagged.push(`${line} → ${s.hits.map((h) => `${h.value} ~ ${h.caption}`).join("; ")}`);
    }
    assert.deepEqual(flagged, []);
  });

  it("a vessel is found in free text by its IMO number, not by a one-word name", async () => {
    let vessel: { id: string; imo: string } | undefined;
    for await (const e of store.entities("us_ofac_sdn")) {
      const imo = e.properties.imoNumber?.[0]?.replace(/\D/g, "");
      if (e.schema === "Vessel" && imo?.length === 7) {
        vessel = { id: e.id, imo };
        break;
      }
    }
    assert.ok(vessel, "the SDN list has vessels with IMO numbers");
    const json = JSON.parse(read("payment-clean.json"));
    json.remittance_information = [`Demurrage for IMO ${vessel.imo} at Fujairah`];
    const s = screen(JSON.stringify(json), "application/json");
    assert.equal(s.decision, "hold", s.rule);
    assert.equal(s.hits[0]?.entity_id, vessel.id);
  });
});
