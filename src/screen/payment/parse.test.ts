// Payment parsers on hand-written real-format samples: what each format yields (parties, agents,
// accounts, free text, with their field paths and lines), and every malformed case refused with
// the code and the field.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { InterdictError } from "../../errors.js";
import { parsePayment } from "./index.js";
import { isBic, isIban, type Payment } from "./model.js";
import { nameWindows } from "./screen.js";

const FIXTURES = "src/screen/payment/fixtures";
const read = (name: string): string => readFileSync(join(FIXTURES, name), "utf8");
const XML = "application/xml";
const FIN = "text/plain";
const JSON_TYPE = "application/json";

const role = (p: Payment, r: string) => p.parties.filter((x) => x.role === r);

describe("pacs.008", () => {
  it("reads parties, agents, accounts and free text with their paths", () => {
    const p = parsePayment(read("pacs008-clean.xml"), XML);
    assert.equal(p.format, "pacs.008");
    assert.equal(p.version, "pacs.008.001.08");
    assert.equal(p.messageId, "INGBNL2A-240611-000193");
    assert.deepEqual(p.amount, { value: "4820.50", currency: "EUR" });
    assert.deepEqual(
      p.parties.map((x) => x.role),
      ["debtor", "initiating_party", "creditor", "ultimate_creditor", "debtor_agent", "creditor_agent"],
    );
    const [dbtr] = role(p, "debtor");
    assert.deepEqual(
      dbtr?.names.map((f) => [f.field, f.value]),
      [["Dbtr/Nm", "Van der Berg Bloemen B.V."]],
    );
    assert.deepEqual(
      dbtr?.accounts.map((f) => [f.field, f.value]),
      [["DbtrAcct/Id/IBAN", "NL91ABNA0417164300"]],
    );
    assert.deepEqual(
      dbtr?.countries.map((f) => f.field),
      ["Dbtr/PstlAdr/Ctry"],
    );
    assert.deepEqual(
      dbtr?.identifiers.map((f) => [f.field, f.value]),
      [["Dbtr/Id/OrgId/Othr/Id", "34123456"]],
    );
    assert.deepEqual(
      role(p, "creditor_agent")[0]?.bics.map((f) => [f.field, f.value]),
      [["CdtrAgt/FinInstnId/BICFI", "NWBKGB2LXXX"]],
    );
    assert.deepEqual(
      p.freeText.map((f) => f.field),
      ["RmtInf/Ustrd"],
    );
    assert.ok((p.freeText[0]?.line ?? 0) > 1, "free text keeps its line");
  });

  it("accepts later versions (.10), intermediary agents and an agent's name and address", () => {
    const p = parsePayment(read("pacs008-designated-creditor-agent.xml"), XML);
    assert.equal(p.version, "pacs.008.001.10");
    assert.deepEqual(
      role(p, "intermediary_agent")[0]?.bics.map((f) => f.field),
      ["IntrmyAgt1/FinInstnId/BICFI"],
    );
    const agent = role(p, "creditor_agent")[0];
    assert.deepEqual(
      agent?.names.map((f) => f.value),
      ["AB ROSSIYA"],
    );
    assert.deepEqual(
      agent?.countries.map((f) => [f.field, f.value]),
      [["CdtrAgt/FinInstnId/PstlAdr/Ctry", "RU"]],
    );
  });

  it("reads every remittance line, and instructions and proprietary purpose as free text", () => {
    const xml = read("pacs008-remittance-name.xml").replace(
      "<RmtInf>",
      "<InstrForCdtrAgt><InstrInf>call beneficiary before credit</InstrInf></InstrForCdtrAgt>" +
        "<InstrForNxtAgt><InstrInf>/REC/urgent</InstrInf></InstrForNxtAgt><Purp><Prtry>spare parts end user</Prtry></Purp><RmtInf>",
    );
    const p = parsePayment(xml, XML);
    assert.deepEqual(
      p.freeText.map((f) => f.field),
      ["RmtInf/Ustrd", "RmtInf/Ustrd", "Purp/Prtry", "InstrForCdtrAgt/InstrInf", "InstrForNxtAgt/InstrInf"],
    );
  });

  it("names the transaction in a batch, and checks NbOfTxs against it", () => {
    const one = read("pacs008-clean.xml");
    const tx = one.slice(
      one.indexOf("<CdtTrfTxInf>"),
      one.indexOf("</CdtTrfTxInf>") + "</CdtTrfTxInf>".length,
    );
    const two = one.replace(tx, tx + tx.replace("Hollingworth Garden Supplies Ltd", "Second Creditor Ltd"));
    assert.throws(
      () => parsePayment(two, XML),
      (e: InterdictError) =>
        e.where.field === "FIToFICstmrCdtTrf/GrpHdr/NbOfTxs" && /holds 2/.test(e.message),
    );
    const p = parsePayment(two.replace("<NbOfTxs>1</NbOfTxs>", "<NbOfTxs>2</NbOfTxs>"), XML);
    const creditors = role(p, "creditor").map((x) => x.names[0]?.field);
    assert.deepEqual(creditors, ["CdtTrfTxInf[1]/Cdtr/Nm", "CdtTrfTxInf[2]/Cdtr/Nm"]);
  });

  it("finds the Document inside an envelope with its business application header", () => {
    const doc = read("pacs008-clean.xml").replace('<?xml version="1.0" encoding="UTF-8"?>\n', "");
    const env = `<Envelope><AppHdr xmlns="urn:iso:std:iso:20022:tech:xsd:head.001.001.02"><BizMsgIdr>X</BizMsgIdr></AppHdr>${doc}</Envelope>`;
    assert.equal(parsePayment(env, "application/iso20022+xml").messageId, "INGBNL2A-240611-000193");
  });
});

describe("MT103", () => {
  it("reads the header BICs, party fields by option, and free text 70 across its lines", () => {
    const p = parsePayment(read("mt103-designated-debtor.txt"), FIN);
    assert.equal(p.format, "MT103");
    assert.equal(p.messageId, "NWBK240611731");
    assert.deepEqual(p.amount, { value: "184250.00", currency: "USD" });
    assert.deepEqual(
      role(p, "sender")[0]?.bics.map((f) => [f.field, f.value]),
      [["1", "NWBKGB2L"]],
    );
    assert.deepEqual(
      role(p, "receiver")[0]?.bics.map((f) => f.value),
      ["CITIUS33"],
    );
    const debtor = role(p, "debtor")[0];
    assert.deepEqual(
      debtor?.names.map((f) => [f.field, f.value, f.line]),
      [["50K", "JOINT STOCK COMPANY SOVCOMFLOT", 6]],
    );
    assert.deepEqual(
      debtor?.accounts.map((f) => f.value),
      ["40702840500000017745"],
    );
    assert.deepEqual(
      debtor?.address.map((f) => f.value),
      ["GAPSALSKAYA ULITSA 6", "SAINT PETERSBURG RU"],
    );
    assert.deepEqual(
      role(p, "debtor_agent")[0]?.bics.map((f) => [f.field, f.value]),
      [["52A", "NWBKGB2L"]],
    );
    assert.deepEqual(
      role(p, "creditor")[0]?.names.map((f) => f.field),
      ["59"],
    );
    assert.deepEqual(p.freeText, [{ field: "70", value: "CHARTER HIRE JUNE 2024 /INV/HPSM-2291", line: 14 }]);
  });

  it("reads 50F structured lines, 56A and 72", () => {
    const p = parsePayment(read("mt103-remittance-name.txt"), FIN);
    const debtor = role(p, "debtor")[0];
    assert.deepEqual(
      debtor?.names.map((f) => f.value),
      ["ANATOLIA ENDUSTRIYEL TEDARIK A.S."],
    );
    assert.deepEqual(
      debtor?.countries.map((f) => f.value),
      ["TR"],
    );
    assert.deepEqual(
      debtor?.accounts.map((f) => f.value),
      ["TR330006100519786457841326"],
    );
    assert.deepEqual(
      p.freeText.map((f) => f.field),
      ["70", "72"],
    );
    const q = parsePayment(read("mt103-designated-creditor-agent.txt"), FIN);
    assert.deepEqual(
      role(q, "intermediary_agent")[0]?.bics.map((f) => [f.field, f.value]),
      [["56A", "DEUTDEFF"]],
    );
  });
});

describe("JSON", () => {
  it("reads the documented shape with JSON paths", () => {
    const p = parsePayment(read("payment-designated-creditor-agent.json"), JSON_TYPE);
    assert.equal(p.format, "json");
    assert.deepEqual(
      role(p, "creditor_agent")[0]?.bics.map((f) => f.field),
      ["creditor_agent/bic"],
    );
    assert.deepEqual(
      role(p, "intermediary_agent")[0]?.bics.map((f) => f.field),
      ["intermediary_agents[0]/bic"],
    );
    assert.deepEqual(
      p.freeText.map((f) => f.field),
      ["remittance_information[0]"],
    );
  });
});

describe("the content type picks the parser; without one the body does", () => {
  it("sniffs when the type is missing or generic", () => {
    assert.equal(parsePayment(read("pacs008-clean.xml"), "").format, "pacs.008");
    assert.equal(parsePayment(read("mt103-clean.txt"), "application/octet-stream").format, "MT103");
    assert.equal(parsePayment(read("payment-clean.json"), "").format, "json");
    assert.equal(parsePayment(read("mt103-clean.txt"), "text/plain; charset=utf-8").format, "MT103");
  });
});

describe("malformed messages are refused with the code and the field", () => {
  const clean = read("pacs008-clean.xml");
  const mt = read("mt103-clean.txt");
  const CASES: [string, string, string, string, number?][] = [
    [
      "pacs.008 missing CdtrAgt",
      read("pacs008-missing-cdtragt.xml"),
      XML,
      "FIToFICstmrCdtTrf/CdtTrfTxInf/CdtrAgt",
    ],
    ["pacs.008 of version .07", read("pacs008-version-07.xml"), XML, "Document/@xmlns"],
    ["another message (pacs.009)", read("pacs008-not-pacs008.xml"), XML, "Document/@xmlns"],
    ["DOCTYPE with an external entity (XXE)", read("pacs008-xxe.xml"), XML, "DOCTYPE", 2],
    ["billion laughs", read("pacs008-billion-laughs.xml"), XML, "DOCTYPE"],
    ["GrpHdr without MsgId", clean.replace(/<MsgId>.*<\/MsgId>/, ""), XML, "FIToFICstmrCdtTrf/GrpHdr/MsgId"],
    [
      "amount without a currency",
      clean.replace('Ccy="EUR"', ""),
      XML,
      "FIToFICstmrCdtTrf/CdtTrfTxInf/IntrBkSttlmAmt",
    ],
    ["no Dbtr", clean.replace(/<Dbtr>[\s\S]*?<\/Dbtr>/, ""), XML, "FIToFICstmrCdtTrf/CdtTrfTxInf/Dbtr"],
    ["unclosed XML", clean.slice(0, 400), XML, "body"],
    ["garbage as XML", "\u0000\u0001 not xml at all", XML, "body"],
    ["an XML that is not ISO 20022", "<invoice><total>3</total></invoice>", XML, "Document"],
    ["MT103 missing 59a", read("mt103-missing-59.txt"), FIN, "59a", 14],
    [
      "MT103 with a bad 32A",
      mt.replace(":32A:240611EUR4820,50", ":32A:11-06-2024 EUR 4820.50"),
      FIN,
      "32A",
      4,
    ],
    ["MT103 with a bad 71A", mt.replace(":71A:SHA", ":71A:ALL"), FIN, "71A"],
    ["an MT202, not an MT103", mt.replace("{2:I103", "{2:I202"), FIN, "2", 1],
    ["block 4 never closed", mt.replace("\n-}", "\n"), FIN, "4"],
    ["no text block", "{1:F01INGBNL2AAXXX0193000193}{2:I103NWBKGB2LXXXXN}", FIN, "4"],
    ["garbage as FIN", "hello, this is not a payment", FIN, "1"],
    ["garbage with no type", "%PDF-1.7 binary", "", "body"],
    ["malformed JSON", '{"debtor": {"name": "x"', JSON_TYPE, "body"],
    ["JSON without a creditor", '{"debtor": {"name": "A B"}}', JSON_TYPE, "creditor"],
    [
      "JSON creditor without name or account",
      '{"debtor": {"name": "A"}, "creditor": {"country": "GB"}}',
      JSON_TYPE,
      "creditor/name",
    ],
    [
      "JSON with an unknown field",
      '{"debtor": {"name": "A"}, "creditor": {"name": "B"}, "benificiary": 1}',
      JSON_TYPE,
      "benificiary",
    ],
    [
      "JSON agent with neither BIC nor name",
      '{"debtor": {"name": "A"}, "creditor": {"name": "B"}, "creditor_agent": {"country": "RU"}}',
      JSON_TYPE,
      "creditor_agent",
    ],
    ["an unsupported content type", mt, "application/pdf", "Content-Type"],
    ["an empty body", "  \n", XML, "body"],
  ];
  for (const [what, body, type, field, line] of CASES) {
    it(`${what} → ${field}`, () => {
      assert.throws(
        () => parsePayment(body, type),
        (e: unknown) => {
          assert.ok(e instanceof InterdictError, String(e));
          assert.equal(e.code, "INTERDICT_E_INPUT");
          assert.equal(e.where.field, field, e.message);
          if (line !== undefined) assert.equal(e.where.line, line, e.message);
          return true;
        },
      );
    });
  }

  it("a billion-laughs payload is refused before any entity is expanded (fast, no growth)", () => {
    const before = process.memoryUsage().heapUsed;
    assert.throws(() => parsePayment(read("pacs008-billion-laughs.xml"), XML));
    assert.ok(process.memoryUsage().heapUsed - before < 50 * 1024 * 1024);
  });
});

describe("identifiers and windows", () => {
  it("IBAN check digits and BIC shapes", () => {
    for (const iban of ["DE89370400440532013000", "GB29NWBK60161331926819", "FR1420041010050500013M02606"]) {
      assert.ok(isIban(iban), iban);
    }
    assert.ok(!isIban("DE89370400440532013001"), "one digit off");
    assert.ok(!isIban("40702840500000017745"), "a Russian account number is not an IBAN");
    assert.ok(isBic("ROSYRU2P") && isBic("ROSYRU2PXXX"));
    assert.ok(!isBic("ROSYRU2") && !isBic("ROSYRU2PXX"));
  });

  it("free-text windows skip payment words and anything with digits", () => {
    const w = nameWindows("Settlement of invoice MC-4471 spare parts for end user Rosoboroneksport");
    assert.ok(w.includes("Rosoboroneksport"));
    assert.ok(w.includes("end user Rosoboroneksport"));
    assert.ok(!w.some((x) => /\d/.test(x)), JSON.stringify(w));
    assert.ok(
      !w.some((x) => /^(of|invoice|for)\b/i.test(x) || /\b(of|invoice|for)$/i.test(x)),
      JSON.stringify(w),
    );
    assert.deepEqual(nameWindows("invoice 123 for services"), []);
  });
});
