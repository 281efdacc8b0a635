// SWIFT MT103 (single customer credit transfer) in FIN text, read into a Payment. The message
// has blocks {1:basic header}{2:application header}{3:user header}{4:text -}{5:trailer};
// block 4 holds the fields, each starting a line with :TAG: and running on until the next tag.
//
// Checked: blocks 1, 2 and 4 present; block 2 says message type 103; mandatory fields 20, 23B,
// 32A (date, currency, amount), 50a (A, F or K), 59a (no letter, A or F) and 71A. An error names
// the field (tag) and the line, counted from the first line of the message.
//
// Screened: the sender (block 1) and receiver (block 2) BICs, 50a ordering customer, 52a ordering
// institution, 53a–55a correspondents and reimbursement institution, 56a intermediary, 57a account
// with institution, 59a beneficiary; free text 70 (remittance) and 72 (sender to receiver).

import {
  emptyParty,
  type Field,
  inputError,
  isBic,
  PAYMENT_LIMITS,
  type Payment,
  type PaymentParty,
} from "./model.js";

interface Tag {
  readonly tag: string;
  readonly lines: string[];
  /** Line of the :TAG: in the whole message. */
  readonly line: number;
}

const ROLES: Record<string, [string, "party" | "agent"]> = {
  "50": ["debtor", "party"],
  "52": ["debtor_agent", "agent"],
  "53": ["senders_correspondent", "agent"],
  "54": ["receivers_correspondent", "agent"],
  "55": ["third_reimbursement_institution", "agent"],
  "56": ["intermediary_agent", "agent"],
  "57": ["creditor_agent", "agent"],
  "59": ["creditor", "party"],
};

const MANDATORY: [RegExp, string, string][] = [
  [/^20$/, "20", "sender's reference"],
  [/^23B$/, "23B", "bank operation code"],
  [/^32A$/, "32A", "value date, currency, interbank settled amount"],
  [/^50[AFK]$/, "50a", "ordering customer"],
  [/^59[AF]?$/, "59a", "beneficiary customer"],
  [/^71A$/, "71A", "details of charges"],
];

const lineAt = (text: string, index: number): number => {
  let n = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
};

/** Reads one MT103. Throws INTERDICT_E_INPUT naming the block or field and the line. */
export function parseMt103(message: string): Payment {
  const text = message.replace(/\r\n?/g, "\n");
  if (text.length > PAYMENT_LIMITS.maxChars) throw inputError("message too long", "body");
  const start = text.search(/\S/);
  if (start < 0 || !text.startsWith("{1:", start)) {
    throw inputError(
      "not a SWIFT FIN message: it must start with the basic header block {1:…}",
      "1",
      lineAt(text, Math.max(start, 0)),
    );
  }
  const blocks = new Map<string, { body: string; at: number }>();
  let i = start;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] ?? "")) i++;
    if (i >= text.length) break;
    const head = /^\{([1-5S]):/.exec(text.slice(i, i + 4));
    if (!head?.[1]) throw inputError("expected a block {n:…}", "block", lineAt(text, i));
    const id = head[1];
    const open = i + head[0].length;
    let end: number;
    if (id === "4") {
      const close = text.indexOf("\n-}", open);
      if (close < 0) throw inputError('block 4 is not closed by a line "-}"', "4", lineAt(text, i));
      end = close + 3;
      blocks.set(id, { body: text.slice(open, close + 1), at: open });
    } else {
      // Blocks 3 and 5 nest {tag:value} pairs: match braces.
      let depth = 1;
      end = open;
      while (end < text.length && depth > 0) {
        if (text[end] === "{") depth++;
        else if (text[end] === "}") depth--;
        end++;
      }
      if (depth > 0) throw inputError(`block ${id} is not closed`, id, lineAt(text, i));
      blocks.set(id, { body: text.slice(open, end - 1), at: open });
    }
    i = end;
  }
  const b1 = blocks.get("1");
  const b2 = blocks.get("2");
  const b4 = blocks.get("4");
  if (!b1) throw inputError("missing basic header block {1:}", "1", 1);
  if (!b2) throw inputError("missing application header block {2:}", "2", lineAt(text, b1.at));
  if (!b4) throw inputError("missing text block {4:…-}", "4", lineAt(text, b2.at));
  const h1 =
    /^F01([A-Z0-9]{12})\d{4}\d{6}$/.exec(b1.body.trim()) ?? /^F01([A-Z0-9]{12})/.exec(b1.body.trim());
  if (!h1?.[1])
    throw inputError(
      "basic header must be F01 + 12-character LT address + session + sequence",
      "1",
      lineAt(text, b1.at),
    );
  const h2 = /^([IO])(\d{3})/.exec(b2.body.trim());
  if (!h2)
    throw inputError("application header must start I or O and the message type", "2", lineAt(text, b2.at));
  if (h2[2] !== "103") throw inputError(`message type MT${h2[2]}, expected MT103`, "2", lineAt(text, b2.at));
  // Input: I103 + receiver's 12-character address; output: O103 + time + MIR (sender's address inside).
  const receiver = h2[1] === "I" ? /^I103([A-Z0-9]{12})/.exec(b2.body.trim())?.[1] : undefined;

  const firstLine = lineAt(text, b4.at);
  const tags = readTags(b4.body, firstLine);
  for (const [re, name, what] of MANDATORY) {
    if (!tags.some((t) => re.test(t.tag))) {
      throw inputError(
        `mandatory field ${name} (${what}) is missing`,
        name,
        lineAt(text, b4.at + b4.body.length),
      );
    }
  }
  const get = (tag: string): Tag | undefined => tags.find((t) => t.tag === tag);
  const f20 = get("20")!;
  const ref = f20.lines.join("").trim();
  if (!ref || ref.length > 16 || ref.startsWith("/") || ref.endsWith("/") || ref.includes("//")) {
    throw inputError("must be 1-16 characters, not starting or ending with / nor holding //", "20", f20.line);
  }
  const f23 = get("23B")!;
  if (!/^[A-Z]{4}$/.test(f23.lines.join("").trim()))
    throw inputError("must be a 4-letter code (CRED…)", "23B", f23.line);
  const f32 = get("32A")!;
  const m32 = /^(\d{6})([A-Z]{3})(\d{1,12},\d{0,2})$/.exec(f32.lines.join("").trim());
  if (!m32)
    throw inputError(
      "must be YYMMDD, a currency and an amount with a decimal comma (240315USD1000,00)",
      "32A",
      f32.line,
    );
  const f71 = get("71A")!;
  if (!/^(BEN|OUR|SHA)$/.test(f71.lines.join("").trim()))
    throw inputError("must be BEN, OUR or SHA", "71A", f71.line);

  const parties: PaymentParty[] = [];
  const header = (role: string, field: string, address: string, line: number): void => {
    const p = emptyParty(role, "agent");
    // LT address: BIC8 + logical terminal letter + branch; the BIC is the 8 + the branch.
    const bic = address.slice(0, 8) + address.slice(9, 12);
    p.bics.push({ field, value: bic.endsWith("XXX") ? bic.slice(0, 8) : bic, line });
    parties.push(p);
  };
  header("sender", "1", h1[1], lineAt(text, b1.at));
  if (receiver) header("receiver", "2", receiver, lineAt(text, b2.at));

  const freeText: Field[] = [];
  for (const t of tags) {
    const role = ROLES[t.tag.slice(0, 2)];
    if (role) parties.push(readPartyField(t, role[0], role[1]));
    else if (t.tag === "70" || t.tag === "72") {
      const value = t.lines
        .map((l) => l.trim())
        .join(" ")
        .replace(/\s+/g, " ")
        .trim();
      if (value) freeText.push({ field: t.tag, value, line: t.line });
    }
  }
  return {
    format: "MT103",
    version: "MT103",
    messageId: ref,
    amount: { value: m32[3]!.replace(",", "."), currency: m32[2]! },
    parties,
    freeText,
  };
}

function readTags(body: string, firstLine: number): Tag[] {
  const tags: Tag[] = [];
  const lines = body.split("\n");
  lines.forEach((raw, k) => {
    const line = firstLine + k;
    const m = /^:(\d{2}[A-Z]?):(.*)$/.exec(raw);
    if (m?.[1]) tags.push({ tag: m[1], lines: [m[2] ?? ""], line });
    else if (raw.trim()) {
      const last = tags.at(-1);
      if (!last) throw inputError("text before the first field tag", "4", line);
      last.lines.push(raw);
    }
  });
  return tags;
}

/**
 * One party or institution field, by option: A (optional /account, then BIC), B (location), C
 * (account only), D (name and address), F (structured: numbered lines), K / no letter (optional
 * /account, then name and address).
 */
function readPartyField(t: Tag, role: string, kind: "party" | "agent"): PaymentParty {
  const p = emptyParty(role, kind);
  const option = t.tag.slice(2);
  const lines = t.lines.map((l) => l.trim()).filter(Boolean);
  const f = (value: string, offset = 0): Field => ({ field: t.tag, value, line: t.line + offset });
  let k = 0;
  // A first line "/…" (or "/C/…", "/D/…") is an account or party identifier.
  const first = lines[0] ?? "";
  if (first.startsWith("/")) {
    const acct = first.replace(/^\/([CD]\/)?/, "");
    if (acct) p.accounts.push(f(acct));
    k = 1;
  } else if (option === "F" && /^[A-Z]{4}\/[A-Z]{2}\//.test(first)) {
    // 50F party identifier: code/country/identifier (passport, customer number…)
    const [, cc, id] = first.split("/");
    if (cc) p.countries.push(f(cc));
    if (id) p.identifiers.push(f(id));
    k = 1;
  }
  const rest = lines.slice(k);
  if (option === "A") {
    const bic = rest[0];
    if (bic) (isBic(bic) ? p.bics : p.identifiers).push(f(bic, k));
  } else if (option === "F") {
    rest.forEach((l, j) => {
      const m = /^([1-8])\/(.*)$/.exec(l);
      if (!m) return;
      const [, n, v = ""] = m;
      if (n === "1") p.names.push(f(v, k + j));
      else if (n === "2") p.address.push(f(v, k + j));
      else if (n === "3") {
        const [cc, town] = v.split("/");
        if (cc) p.countries.push(f(cc, k + j));
        if (town) p.address.push(f(town, k + j));
      } else if (n === "4" && /^\d{8}$/.test(v))
        p.birthDates.push(`${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6)}`);
      else if (n === "5") {
        const [cc] = v.split("/");
        if (cc) p.countries.push(f(cc, k + j));
      } else if (n === "6" || n === "7") {
        const parts = v.split("/");
        const id = parts.at(-1);
        if (parts[0]) p.countries.push(f(parts[0], k + j));
        if (id) p.identifiers.push(f(id, k + j));
      }
    });
  } else if (option === "B") {
    if (rest[0]) p.address.push(f(rest[0], k));
  } else if (option !== "C") {
    // D, K or no letter: the name first, then the address lines.
    const [name, ...address] = rest;
    if (name) p.names.push(f(name, k));
    address.forEach((a, j) => {
      p.address.push(f(a, k + 1 + j));
    });
  }
  return p;
}
