import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyseName } from "./names.js";

const kinds = (name: string, schema?: string): string[] =>
  analyseName(name, schema ? { schema } : {}).tokens.map((t) => `${t.forms[0]}:${t.kind}`);

describe("analyseName", () => {
  it("sets honorifics aside and keeps particles apart from words", () => {
    assert.deepEqual(kinds("Mullah Mohammed bin Salman al-Saud", "Person"), [
      "mullah:honorific",
      "mohammed:word",
      "bin:particle",
      "salman:word",
      "al:particle",
      "saud:word",
    ]);
  });

  it("maps legal forms to one class, phrases before words, for organisations only", () => {
    assert.deepEqual(kinds("OOO Romashka", "Company"), ["#llc:orgtype", "romashka:word"]);
    assert.deepEqual(kinds("Romashka Limited Liability Company", "Company"), [
      "romashka:word",
      "#llc:orgtype",
    ]);
    assert.deepEqual(kinds("Общество с ограниченной ответственностью Ромашка", "Company")[0], "#llc:orgtype");
    assert.deepEqual(kinds("Siemens Aktiengesellschaft", "Company"), ["siemens:word", "#jsc:orgtype"]);
    assert.deepEqual(kinds("Ao Ling", "Person"), ["ao:word", "ling:word"]);
  });

  it("marks generic words in organisation names, not in persons'", () => {
    assert.deepEqual(kinds("Bank Melli Iran", "Company"), ["bank:generic", "melli:word", "iran:word"]);
    assert.deepEqual(kinds("Trading Bank", "Person"), ["trading:word", "bank:word"]);
  });

  it("tells initials and numbers", () => {
    assert.deepEqual(kinds("N. Nazarbayev", "Person"), ["n:initial", "nazarbayev:word"]);
    assert.deepEqual(kinds("Zu Zag Bong 6", "Vessel"), ["zu:word", "zag:word", "bong:word", "6:number"]);
  });

  it("splits a Han or Hangul name into family and given name", () => {
    assert.deepEqual(
      analyseName("金正恩").tokens.map((t) => t.text),
      ["金", "正恩"],
    );
  });

  it("gives phonetic keys to words", () => {
    const [a] = analyseName("Kuznetsov").tokens;
    const [b] = analyseName("Kusnezow").tokens;
    assert.ok(a?.keys.some((k) => b?.keys.includes(k)));
  });

  it("survives names of nothing, only punctuation, or 10,000 characters", () => {
    assert.deepEqual(analyseName("").tokens, []);
    assert.deepEqual(analyseName("!!! ---").tokens, []);
    assert.ok(analyseName("x".repeat(10_000)).tokens.length <= 1);
  });
});
