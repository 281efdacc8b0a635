// A payment message as screening reads it, whatever format it came in: every party, agent and
// account, and the free text, each value with the path of the field it came from, so a hit can
// say where it was found (`Cdtr/Nm`, `CdtrAgt/FinInstnId/BICFI`, `59`, `70`).

import { InterdictError } from "../../errors.js";

/** One value and where in the message it was. */
export interface Field {
  /** pacs.008: the XML path below the transaction (`Dbtr/Nm`); MT103: the tag (`50K`); JSON: `debtor/name`. */
  readonly field: string;
  readonly value: string;
  /** 1-based line in the message, where the format has lines. */
  readonly line?: number;
}

/** A party (debtor, creditor…) or an agent (a bank in the chain). */
export interface PaymentParty {
  /** debtor, ultimate_debtor, initiating_party, creditor, ultimate_creditor, debtor_agent, creditor_agent,
   * intermediary_agent, previous_instructing_agent, instructing_agent, instructed_agent, sender, receiver… */
  readonly role: string;
  readonly kind: "party" | "agent";
  readonly names: Field[];
  readonly bics: Field[];
  /** Account numbers: IBANs (their country is screened) and others. */
  readonly accounts: Field[];
  /** LEI, national ids, registration numbers, clearing member ids. */
  readonly identifiers: Field[];
  /** ISO 3166 alpha-2 (or as written) from the address, residence, birth. */
  readonly countries: Field[];
  /** Address lines and town names: screened for sanctioned places. */
  readonly address: Field[];
  readonly birthDates: string[];
}

export interface Payment {
  readonly format: "pacs.008" | "MT103" | "json";
  /** pacs.008.001.NN, or MT103. */
  readonly version: string;
  /** GrpHdr/MsgId, MT103 field 20, JSON message_id. */
  readonly messageId: string;
  readonly amount?: { readonly value: string; readonly currency: string };
  readonly parties: PaymentParty[];
  /** Remittance information, purpose, instructions: where a listed name may be hidden. */
  readonly freeText: Field[];
}

export const PAYMENT_LIMITS = {
  /** A pacs.008 with one transaction is a few KiB; a batch of a few hundred stays under this. */
  maxChars: 1024 * 1024,
  maxDepth: 40,
  maxElements: 50_000,
};

export function emptyParty(role: string, kind: "party" | "agent"): PaymentParty {
  return {
    role,
    kind,
    names: [],
    bics: [],
    accounts: [],
    identifiers: [],
    countries: [],
    address: [],
    birthDates: [],
  };
}

export function inputError(message: string, field: string, line?: number): InterdictError {
  return new InterdictError("INTERDICT_E_INPUT", message, { field, ...(line ? { line } : {}) });
}

const BIC = /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$/;

/** A BIC (ISO 9362): 4 letters bank, 2 letters country, 2 location, optional 3 branch. */
export function isBic(text: string): boolean {
  return BIC.test(text);
}

/** An IBAN whose ISO 13616 check digits are right (mod 97 = 1). */
export function isIban(text: string): boolean {
  const s = text.replace(/\s+/g, "").toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(s)) return false;
  const moved = s.slice(4) + s.slice(0, 4);
  let rest = 0;
  for (const ch of moved) {
    const v = ch >= "A" ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rest = (rest * 10 + Number(d)) % 97;
  }
  return rest === 1;
}
