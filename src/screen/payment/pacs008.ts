// ISO 20022 pacs.008 (FI to FI customer credit transfer), versions .08 onwards, read into a
// Payment. The message is small, so it is built into a tree (with limits on size, depth and
// element count) and then walked. No DTD: a DOCTYPE is refused outright, which is how XXE and
// "billion laughs" payloads begin; saxes never fetches external entities.
//
// Checked (the structure screening relies on, named by path when missing): GrpHdr with MsgId,
// CreDtTm, NbOfTxs (equal to the transactions present) and SttlmInf; each CdtTrfTxInf with PmtId,
// IntrBkSttlmAmt (a decimal with a Ccy), ChrgBr, Dbtr, DbtrAgt/FinInstnId, CdtrAgt/FinInstnId, Cdtr.
// The message may come alone (root Document) or inside an envelope beside its AppHdr.

import { SaxesParser, type SaxesTagNS } from "saxes";
import {
  emptyParty,
  type Field,
  inputError,
  PAYMENT_LIMITS,
  type Payment,
  type PaymentParty,
} from "./model.js";

const NS = /^urn:iso:std:iso:20022:tech:xsd:pacs\.008\.001\.(\d{2})$/;
/** The first version with the party and agent shapes read here (PartyIdentification135, BICFI). */
const MIN_VERSION = 8;

interface Node {
  readonly name: string;
  readonly uri: string;
  readonly attrs: Record<string, string>;
  readonly children: Node[];
  text: string;
  readonly line: number;
}

function parseTree(xml: string): Node {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: Node[] = [];
  let root: Node | undefined;
  let count = 0;
  parser.on("doctype", () => {
    throw inputError(
      "a DOCTYPE is not allowed in a payment message (no DTDs, no entities)",
      "DOCTYPE",
      parser.line,
    );
  });
  parser.on("error", (e) => {
    throw inputError(`not well-formed XML: ${e.message.replace(/^\d+:\d+: /, "")}`, "body", parser.line);
  });
  parser.on("opentag", (tag: SaxesTagNS) => {
    if (++count > PAYMENT_LIMITS.maxElements) {
      throw inputError(`more than ${PAYMENT_LIMITS.maxElements} elements`, "body", parser.line);
    }
    if (stack.length >= PAYMENT_LIMITS.maxDepth) {
      throw inputError(`elements nested deeper than ${PAYMENT_LIMITS.maxDepth}`, tag.local, parser.line);
    }
    const attrs: Record<string, string> = {};
    for (const a of Object.values(tag.attributes)) attrs[a.local] = a.value;
    const node: Node = { name: tag.local, uri: tag.uri, attrs, children: [], text: "", line: parser.line };
    stack.at(-1)?.children.push(node);
    root ??= node;
    stack.push(node);
  });
  parser.on("text", (t) => {
    const top = stack.at(-1);
    if (top) top.text += t;
  });
  parser.on("closetag", () => {
    const node = stack.pop();
    if (node) node.text = node.text.replace(/\s+/g, " ").trim();
  });
  parser.write(xml).close();
  if (!root) throw inputError("no XML element", "body");
  return root;
}

const kid = (n: Node | undefined, name: string): Node | undefined => n?.children.find((c) => c.name === name);
const kids = (n: Node | undefined, name: string): Node[] => n?.children.filter((c) => c.name === name) ?? [];

function findDocument(n: Node): Node | undefined {
  if (n.name === "Document") return n;
  for (const c of n.children) {
    const d = findDocument(c);
    if (d) return d;
  }
  return undefined;
}

/** Reads one pacs.008 message. Throws INTERDICT_E_INPUT naming the element path and line. */
export function parsePacs008(xml: string): Payment {
  const root = parseTree(xml);
  const doc = findDocument(root);
  if (!doc) throw inputError(`no ISO 20022 Document element (root is <${root.name}>)`, "Document", root.line);
  const m = NS.exec(doc.uri);
  if (!m) {
    throw inputError(
      `namespace "${doc.uri}" is not pacs.008 (expected urn:iso:std:iso:20022:tech:xsd:pacs.008.001.NN)`,
      "Document/@xmlns",
      doc.line,
    );
  }
  const version = Number(m[1]);
  if (version < MIN_VERSION) {
    throw inputError(
      `pacs.008.001.${m[1]} is not accepted: versions .08 onwards only (the ISO 20022 migration's versions)`,
      "Document/@xmlns",
      doc.line,
    );
  }
  const top = "FIToFICstmrCdtTrf";
  const body = kid(doc, top);
  if (!body) throw inputError(`missing ${top}`, `Document/${top}`, doc.line);
  const need = (parent: Node, name: string, path: string): Node => {
    const n = kid(parent, name);
    if (!n) throw inputError(`missing mandatory element ${path}/${name}`, `${path}/${name}`, parent.line);
    return n;
  };
  const grpHdr = need(body, "GrpHdr", top);
  const msgId = need(grpHdr, "MsgId", `${top}/GrpHdr`);
  need(grpHdr, "CreDtTm", `${top}/GrpHdr`);
  const nbOfTxs = need(grpHdr, "NbOfTxs", `${top}/GrpHdr`);
  need(grpHdr, "SttlmInf", `${top}/GrpHdr`);
  if (!msgId.text) throw inputError("empty MsgId", `${top}/GrpHdr/MsgId`, msgId.line);
  const txs = kids(body, "CdtTrfTxInf");
  if (txs.length === 0) throw inputError("missing mandatory element", `${top}/CdtTrfTxInf`, body.line);
  if (nbOfTxs.text !== String(txs.length)) {
    throw inputError(
      `NbOfTxs says ${nbOfTxs.text || "nothing"} but the message holds ${txs.length} CdtTrfTxInf`,
      `${top}/GrpHdr/NbOfTxs`,
      nbOfTxs.line,
    );
  }

  const parties: PaymentParty[] = [];
  const freeText: Field[] = [];
  let amount: Payment["amount"];
  txs.forEach((tx, i) => {
    // Paths are relative to the transaction; a batch names which one.
    const prefix = txs.length > 1 ? `CdtTrfTxInf[${i + 1}]/` : "";
    const txPath = `${top}/CdtTrfTxInf${txs.length > 1 ? `[${i + 1}]` : ""}`;
    for (const name of ["PmtId", "ChrgBr", "Dbtr", "Cdtr"]) need(tx, name, txPath);
    const amt = need(tx, "IntrBkSttlmAmt", txPath);
    if (!/^\d{1,18}(\.\d{1,5})?$/.test(amt.text) || !/^[A-Z]{3}$/.test(amt.attrs.Ccy ?? "")) {
      throw inputError(
        "must be a decimal amount with a Ccy attribute (ISO 4217)",
        `${txPath}/IntrBkSttlmAmt`,
        amt.line,
      );
    }
    amount ??= { value: amt.text, currency: amt.attrs.Ccy ?? "" };
    for (const agent of ["DbtrAgt", "CdtrAgt"])
      need(need(tx, agent, txPath), "FinInstnId", `${txPath}/${agent}`);

    const field = (path: string, n: Node): Field => ({ field: prefix + path, value: n.text, line: n.line });
    const party = (el: string, role: string, acct?: string): void => {
      const n = kid(tx, el);
      if (!n) return;
      const p = emptyParty(role, "party");
      readParty(n, el, p, field);
      if (acct) readAccount(kid(tx, acct), acct, p, field);
      parties.push(p);
    };
    const agent = (el: string, role: string): void => {
      const n = kid(tx, el);
      if (!n) return;
      const p = emptyParty(role, "agent");
      readAgent(n, el, p, field);
      readAccount(kid(tx, `${el}Acct`), `${el}Acct`, p, field);
      parties.push(p);
    };
    party("Dbtr", "debtor", "DbtrAcct");
    party("UltmtDbtr", "ultimate_debtor");
    party("InitgPty", "initiating_party");
    party("Cdtr", "creditor", "CdtrAcct");
    party("UltmtCdtr", "ultimate_creditor");
    agent("DbtrAgt", "debtor_agent");
    agent("CdtrAgt", "creditor_agent");
    for (const k of [1, 2, 3]) agent(`IntrmyAgt${k}`, "intermediary_agent");
    for (const k of [1, 2, 3]) agent(`PrvsInstgAgt${k}`, "previous_instructing_agent");
    agent("InstgAgt", "instructing_agent");
    agent("InstdAgt", "instructed_agent");

    const text = (path: string, n: Node | undefined): void => {
      if (n?.text) freeText.push(field(path, n));
    };
    const rmt = kid(tx, "RmtInf");
    for (const u of kids(rmt, "Ustrd")) text("RmtInf/Ustrd", u);
    for (const s of kids(rmt, "Strd")) {
      for (const a of kids(s, "AddtlRmtInf")) text("RmtInf/Strd/AddtlRmtInf", a);
      for (const r of kids(s, "RfrdDocInf")) text("RmtInf/Strd/RfrdDocInf/Nb", kid(r, "Nb"));
      const inv = kid(s, "Invcr");
      if (inv) text("RmtInf/Strd/Invcr/Nm", kid(inv, "Nm"));
      const invcee = kid(s, "Invcee");
      if (invcee) text("RmtInf/Strd/Invcee/Nm", kid(invcee, "Nm"));
    }
    text("Purp/Prtry", kid(kid(tx, "Purp"), "Prtry"));
    for (const ins of kids(tx, "InstrForCdtrAgt")) text("InstrForCdtrAgt/InstrInf", kid(ins, "InstrInf"));
    for (const ins of kids(tx, "InstrForNxtAgt")) text("InstrForNxtAgt/InstrInf", kid(ins, "InstrInf"));
  });

  return {
    format: "pacs.008",
    version: `pacs.008.001.${m[1]}`,
    messageId: msgId.text,
    ...(amount ? { amount } : {}),
    parties,
    freeText,
  };
}

type FieldOf = (path: string, n: Node) => Field;

function readAddress(adr: Node | undefined, path: string, p: PaymentParty, field: FieldOf): void {
  if (!adr) return;
  const ctry = kid(adr, "Ctry");
  if (ctry?.text) p.countries.push(field(`${path}/Ctry`, ctry));
  for (const name of ["AdrLine", "TwnNm", "CtrySubDvsn", "StrtNm", "DstrctNm", "TwnLctnNm"]) {
    for (const n of kids(adr, name)) if (n.text) p.address.push(field(`${path}/${name}`, n));
  }
}

/** PartyIdentification135 and later: Nm, PstlAdr, Id (OrgId / PrvtId), CtryOfRes. */
function readParty(n: Node, path: string, p: PaymentParty, field: FieldOf): void {
  const nm = kid(n, "Nm");
  if (nm?.text) p.names.push(field(`${path}/Nm`, nm));
  readAddress(kid(n, "PstlAdr"), `${path}/PstlAdr`, p, field);
  const res = kid(n, "CtryOfRes");
  if (res?.text) p.countries.push(field(`${path}/CtryOfRes`, res));
  const id = kid(n, "Id");
  const org = kid(id, "OrgId");
  const bic = kid(org, "AnyBIC");
  if (bic?.text) p.bics.push(field(`${path}/Id/OrgId/AnyBIC`, bic));
  const lei = kid(org, "LEI");
  if (lei?.text) p.identifiers.push(field(`${path}/Id/OrgId/LEI`, lei));
  for (const o of kids(org, "Othr")) {
    const v = kid(o, "Id");
    if (v?.text) p.identifiers.push(field(`${path}/Id/OrgId/Othr/Id`, v));
  }
  const prv = kid(id, "PrvtId");
  const birth = kid(prv, "DtAndPlcOfBirth");
  const dt = kid(birth, "BirthDt");
  if (dt?.text) p.birthDates.push(dt.text);
  const cob = kid(birth, "CtryOfBirth");
  if (cob?.text) p.countries.push(field(`${path}/Id/PrvtId/DtAndPlcOfBirth/CtryOfBirth`, cob));
  for (const o of kids(prv, "Othr")) {
    const v = kid(o, "Id");
    if (v?.text) p.identifiers.push(field(`${path}/Id/PrvtId/Othr/Id`, v));
  }
}

/** BranchAndFinancialInstitutionIdentification6 and later: FinInstnId (BICFI, ClrSysMmbId, LEI, Nm, PstlAdr). */
function readAgent(n: Node, path: string, p: PaymentParty, field: FieldOf): void {
  const fin = kid(n, "FinInstnId");
  const base = `${path}/FinInstnId`;
  const bic = kid(fin, "BICFI");
  if (bic?.text) p.bics.push(field(`${base}/BICFI`, bic));
  const nm = kid(fin, "Nm");
  if (nm?.text) p.names.push(field(`${base}/Nm`, nm));
  const lei = kid(fin, "LEI");
  if (lei?.text) p.identifiers.push(field(`${base}/LEI`, lei));
  const mmb = kid(kid(fin, "ClrSysMmbId"), "MmbId");
  if (mmb?.text) p.identifiers.push(field(`${base}/ClrSysMmbId/MmbId`, mmb));
  readAddress(kid(fin, "PstlAdr"), `${base}/PstlAdr`, p, field);
}

/** CashAccount38 and later: Id/IBAN or Id/Othr/Id, and the account's name. */
function readAccount(n: Node | undefined, path: string, p: PaymentParty, field: FieldOf): void {
  if (!n) return;
  const id = kid(n, "Id");
  const iban = kid(id, "IBAN");
  if (iban?.text) p.accounts.push(field(`${path}/Id/IBAN`, iban));
  const other = kid(kid(id, "Othr"), "Id");
  if (other?.text) p.accounts.push(field(`${path}/Id/Othr/Id`, other));
  const nm = kid(n, "Nm");
  if (nm?.text) p.names.push(field(`${path}/Nm`, nm));
}
