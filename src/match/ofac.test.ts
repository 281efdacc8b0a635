import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { OFAC_SETTINGS, ofacScore, ofacSimilarity, prepareOfacName } from "./ofac.js";

type Expected = number | [min: number, max: number];

function check(query: string, candidate: string, expected: Expected): void {
  const { score, detail } = ofacScore(query, candidate);
  if (typeof expected === "number") assert.equal(score, expected, detail);
  else assert.ok(score >= expected[0] && score <= expected[1], `${score} ∉ [${expected}]: ${detail}`);
}

// Listed names as the SDN list writes them; queries as a user would type them.
describe("ofacScore: behaviour of OFAC's tool on listed names", () => {
  const cases: [string, string, Expected, string][] = [
    ["KADYROV, Ramzan Akhmatovich", "KADYROV, Ramzan Akhmatovich", 1, "identical"],
    ["RAMZAN KADYROV", "KADYROV, Ramzan Akhmatovich", 1, "reordered; the patronymic costs nothing"],
    ["OLEG DERIPASKA", "DERIPASKA, Oleg Vladimirovich", 1, "reordered"],
    ["NICOLAS MADURO", "MADURO MOROS, Nicolas", 1, "second surname missing from the query"],
    ["Nicolás MADURO MOROS", "MADURO MOROS, Nicolas", 1, "diacritics dropped"],
    ["nicolas maduro", "MADURO MOROS, Nicolas", 1, "case ignored"],
    ["AYMAN AL-ZAWAHIRI", "AL ZAWAHIRI, Dr. Ayman", 1, "hyphen splits parts; AL set aside"],
    ["GAMAA AL ISLAMIYYA", "GAMA'A AL-ISLAMIYYA", 1, "apostrophe dropped inside a part"],
    ["WAEL JULAIDAN", "JULAIDAN, Wa'el Hamza Abd Al-Fatah", 1, "apostrophe dropped inside a part"],
    ["KIM JONG UN", "KIM, Jong Un", 1, "exact"],
    ["KIM JONG UN", "KIM, Jong Sik", 1, "the tool's quirk: two-letter UN is set aside"],
    ["KADYROV", "AKHMAT KADYROV FOUNDATION", 1, "one-part query found anywhere in the name"],
    ["MADURO", "FELIX B. MADURO S.A.", 1, "one-part query found anywhere in the name"],
    ["RAMZAN KADYROW", "KADYROV, Ramzan Akhmatovich", [0.95, 0.99], "typo in the surname"],
    ["RAMZAN KADIROV", "KADYROV, Ramzan Akhmatovich", [0.95, 0.99], "transliteration variant"],
    ["ALEXANDER LUKASHENKO", "LUKASHENKA, Alyaksandr Ryhorovich", [0.85, 0.95], "Russian vs Belarusian form"],
    ["NICOLAS MADURO", "FLORES DE MADURO, Cilia Adela", [0.8, 0.9], "same surname, other given name"],
    ["HASAN SMITH", "NASRALLAH, Hasan", 0.5, "a part under 50% similar counts 0: half the query"],
    ["ARKADY ROTENBERG", "ROTENBERG, Boris Romanovich", 0.5, "first letters differ: parts only"],
    ["ROTENBERG ARKADY", "ROTENBERG, Boris Romanovich", [0.85, 0.9], "same first letter: whole name wins"],
    ["Рамзан Кадыров", "KADYROV, Ramzan Akhmatovich", 0, "no transliteration, as the tool"],
    ["Кадыров KADYROV", "KADYROV, Ramzan Akhmatovich", 0.5, "mixed scripts: the Cyrillic part finds nothing"],
  ];
  for (const [query, candidate, expected, why] of cases) {
    it(`${query} ~ ${candidate}: ${JSON.stringify(expected)} (${why})`, () =>
      check(query, candidate, expected));
  }

  it("scores in whole points within [0, 1], the same through the prepared API", () => {
    for (const [query, candidate] of cases) {
      const { score } = ofacScore(query, candidate);
      assert.ok(score >= 0 && score <= 1);
      assert.equal(Math.round(score * 100), score * 100);
      assert.equal(ofacSimilarity(prepareOfacName(query), prepareOfacName(candidate)), score);
    }
  });
});

describe("ofacScore: the two techniques", () => {
  it("compares whole names only when their first letters agree", () => {
    const reordered = ofacScore("RAMZAN KADYROV", "KADYROV, Ramzan Akhmatovich").detail;
    assert.match(reordered, /whole name not compared \(first letters R≠K\)/);
    const sameOrder = ofacScore("KADYROV RAMZAN", "KADYROV, Ramzan Akhmatovich").detail;
    assert.match(sameOrder, /whole name JW 0\.\d\d/);
  });
  it("compares whole names as written, punctuation included", () => {
    assert.equal(prepareOfacName(" 'ABU OBAIDAH AL-TURKI' ").whole, "ABU OBAIDAH AL-TURKI");
    assert.equal(prepareOfacName("KADYROV,\u0000Ramzan\u200b").whole, "KADYROV, RAMZAN");
    assert.deepEqual(prepareOfacName("J.P. O'BRIEN-SMITH").parts, ["JP", "OBRIEN", "SMITH"]);
  });
  it("explains the part pairs, the floor and what was set aside", () => {
    assert.equal(
      ofacScore("KIM JONG UN", "KIM, Jong Sik").detail,
      "whole name JW 0.89; best part-wise 1.00 (KIM~KIM 1.00, JONG~JONG 1.00); UN set aside (≤2 characters)",
    );
    assert.match(ofacScore("HASAN SMITH", "NASRALLAH, Hasan").detail, /SMITH~NASRALLAH 0\.44→0/);
  });
  it("keeps a weak pair whose Soundex codes agree", () => {
    // MAXIM and MOSHKANI (both M250, parts of SDN names) are under 50% similar by Jaro-Winkler.
    const { score, detail } = ofacScore("MAXIM KADYROV", "KADYROV, Moshkani");
    assert.equal(score, 0.75);
    assert.match(detail, /MAXIM~MOSHKANI 0\.50 \(Soundex M250\)/);
  });
  it("declares its tunables once", () => {
    assert.equal(OFAC_SETTINGS.partFloor, 0.5);
    assert.equal(OFAC_SETTINGS.prefixMax, 6);
  });
});

describe("ofacScore: bad input never matches on nothing", () => {
  const nothing: [string, string][] = [
    ["", "KADYROV, Ramzan"],
    ["   ", "KADYROV, Ramzan"],
    ["---", "KADYROV, Ramzan"],
    ["\u0000\u0007\u200b", "KADYROV, Ramzan"],
    ["KADYROV", ""],
    ["KADYROV", "'.,"],
  ];
  for (const [query, candidate] of nothing) {
    it(`${JSON.stringify(query)} ~ ${JSON.stringify(candidate)} → 0`, () => {
      const { score, detail } = ofacScore(query, candidate);
      assert.equal(score, 0);
      assert.match(detail, /nothing to compare/);
    });
  }
  it("cuts a 10,000-character name and says so", () => {
    const long = `KADYROV ${"RAMZAN ".repeat(1500)}`;
    const { score, detail } = ofacScore(long, "KADYROV, Ramzan Akhmatovich");
    assert.equal(score, 1);
    assert.match(detail, /names cut at 256 characters/);
    assert.equal(ofacScore("X".repeat(10_000), "KADYROV").score, 0);
  });
});

describe("prepareOfacName: other scripts stay whole", () => {
  it("keeps Hangul syllables and Han characters as written", () => {
    assert.deepEqual(prepareOfacName("김정은").parts, ["김정은"]);
    assert.deepEqual(prepareOfacName("金正恩").parts, ["金正恩"]);
    assert.equal(ofacScore("김정은", "김정은").score, 1);
  });
});
