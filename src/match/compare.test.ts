import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyseName, type NameToken } from "../text/names.js";
import { COMPARE_DEFAULTS, compareNames, levenshtein, tokenSimilarity } from "./compare.js";
import { jaroWinkler } from "./jaro.js";

const score = (a: string, b: string, schema = "Person"): number =>
  compareNames(analyseName(a, { schema }), analyseName(b, { schema })).score;

describe("compareNames: the same name", () => {
  const same: [string, string, string?][] = [
    ["Pavel Karpov", "KARPOV, Pavel"],
    ["Vladimir Putin", "PUTIN, Vladimir Vladimirovich"],
    ["Kim Jong Un", "Kim Jong-un"],
    ["Kim Jongun", "KIM Jong Un"],
    ["Abdulrahman Al-Sudais", "Abdul Rahman al Sudais"],
    ["VladimirPutin", "Vladimir Putin"],
    ["Artem Kuznetsov", "KUZNETSOV, Artem"],
    ["Olga Stepanova", "Olga Vladislavovna STEPANOVA"],
    ["Mullah Mohammed Omar", "Mohammed OMAR"],
    ["OOO Romashka", "Romashka LLC", "Company"],
    ["Siemens AG", "Siemens Aktiengesellschaft", "Company"],
    ["Rosneft Oil Company", "ROSNEFT", "Company"],
    ["Deutsche Bank AG", "Deutsche Bank (Schweiz) AG", "Company"],
    ["Seven Seas Shipping", "7 Seas Shipping", "Company"],
    ["Mohammed Hassan Ahmadi", "Mohamed Hasan Ahmadi"],
  ];
  for (const [a, b, schema] of same) {
    it(`${a} ≈ ${b}`, () => assert.ok(score(a, b, schema) >= 0.8, `${score(a, b, schema)}`));
  }
});

describe("compareNames: typos stay close", () => {
  const typos: [string, string][] = [
    ["Olaf Scholze", "Olaf Scholz"],
    ["Sergei Lavrov", "Sergey LAVROV"],
    ["Vladimir Putn", "Vladimir Putin"],
  ];
  for (const [a, b] of typos) {
    it(`${a} ~ ${b}`, () => assert.ok(score(a, b) >= 0.8, `${score(a, b)}`));
  }
});

describe("compareNames: different names stay apart", () => {
  const different: [string, string, string?][] = [
    ["John Smith", "Jane Smith"],
    ["Alexander Lukashevich", "Alexander Lukashenko"],
    ["Putin", "PUTIN, Vladimir"],
    ["Vladimir Ivanov", "Vladimir Petrov"],
    ["Bank Melli Iran", "Bank Saderat Iran", "Company"],
    ["Trading Company", "International Trading Company", "Company"],
    ["Mohammed", "Mohammed Ali Hassan"],
  ];
  for (const [a, b, schema] of different) {
    it(`${a} ≠ ${b}`, () => assert.ok(score(a, b, schema) < 0.8, `${score(a, b, schema)}`));
  }
});

describe("compareNames: a name part that contradicts costs more than one that is missing", () => {
  it("a different family name on both sides is not the same person", () => {
    assert.ok(score("Yusuf Kamal Nasser Haddad", "Yusuf Kamal Nasser Khoury") < 0.8);
  });
  it("the same name with a part left out still matches", () => {
    assert.ok(score("Yusuf Kamal Nasser Haddad", "Yusuf Nasser Haddad") >= 0.8);
  });
  it("a substitution scores below an omission of the same part", () => {
    assert.ok(
      score("Igor Pavlovich Sokolov", "Igor Petrovich Sokolov") <
        score("Igor Sokolov", "Igor Pavlovich Sokolov"),
    );
  });
});

describe("compareNames: whose son (nasab)", () => {
  it("father and son are told apart when both names say whose son", () => {
    assert.ok(score("Khalid bin Saleh Al-Harbi", "Saleh bin Khalid Al-Harbi") < 0.8);
  });
  it("the same nasab in another order of spelling still matches", () => {
    assert.ok(score("Khalid ibn Saleh al-Harbi", "AL-HARBI, Khalid bin Saleh") >= 0.8);
  });
  it("without a particle on one side, parts align freely", () => {
    assert.ok(score("Khalid Saleh Al-Harbi", "Khalid bin Saleh Al-Harbi") >= 0.8);
  });
});

describe("compareNames: spelling variants", () => {
  it("doubled letters written once are the same spelling", () => {
    assert.equal(score("Mohammed Hassan", "Mohamed Hasan"), 1);
  });
  it("a number as digits or as a word is the same number", () => {
    assert.equal(score("Three Rivers Holding", "3 Rivers Holding", "Company"), 1);
  });
});

describe("compareNames: initials", () => {
  it("initials written apart are one word", () => {
    assert.ok(score("ABC Trading Co", "A.B.C. Trading Company", "Company") >= 0.8);
  });
  it("an organisation written as its initials", () => {
    assert.ok(score("KCNA", "Korean Central News Agency", "Organization") >= 0.8);
  });
  it("other letters are not those initials", () => {
    assert.ok(score("KCTV", "Korean Central News Agency", "Organization") < 0.8);
  });
});

describe("compareNames: edges", () => {
  it("one name part alone is capped, and says so", () => {
    const c = compareNames(
      analyseName("Karpov", { schema: "Person" }),
      analyseName("Pavel Karpov", { schema: "Person" }),
    );
    assert.equal(c.capped, true);
    assert.ok(c.score <= 0.65);
  });
  it("nothing against something is 0, never a crash", () => {
    assert.equal(score("", "Pavel Karpov"), 0);
    assert.equal(score("!!!", "Pavel Karpov"), 0);
    assert.ok(score("x".repeat(10_000), "Pavel Karpov") < 0.3);
  });
  it("levenshtein", () => {
    assert.equal(levenshtein("kitten", "sitting"), 3);
    assert.equal(levenshtein("", "abc"), 3);
    assert.equal(levenshtein("putin", "putin"), 0);
  });
  it("levenshtein agrees with the full table, short strings (bit vectors) and long", () => {
    const table = (a: string, b: string): number => {
      let row = Array.from({ length: b.length + 1 }, (_, j) => j);
      for (let i = 1; i <= a.length; i++) {
        const next = [i];
        for (let j = 1; j <= b.length; j++) {
          const sub = (row[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
          next.push(Math.min(sub, (row[j] as number) + 1, (next[j - 1] as number) + 1));
        }
        row = next;
      }
      return row[b.length] as number;
    };
    let seed = 11;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const letters = "abcab\u0430\u0431\u00e9";
    const word = (n: number): string =>
      Array.from({ length: n }, () => letters[random(letters.length)]).join("");
    for (let k = 0; k < 3000; k++) {
      const a = word(random(40));
      const b = word(random(40));
      assert.equal(levenshtein(a, b), table(a, b), `${a} / ${b}`);
    }
  });
});

describe("tokenSimilarity: the letter masks change no result", () => {
  // The measure as first written: letters shared counted one by one, then Jaro-Winkler and the
  // edit ratio. The masks that stand in for the count must agree on every pair.
  const shared = (a: string, b: string): number => {
    if (/[\ud800-\udfff]/.test(a + b)) return -1;
    const left = [...a];
    let n = 0;
    for (const ch of b) {
      const at = left.indexOf(ch);
      if (at >= 0) {
        left.splice(at, 1);
        n++;
      }
    }
    return n;
  };
  const form = (a: string, b: string, floor: number): number => {
    if (a === b) return 1;
    if (a.length < 3 || b.length < 3) return 0;
    const longest = Math.max(a.length, b.length);
    const s = shared(a, b);
    if (s >= 0) {
      const jaroBound = (s / a.length + s / b.length + 1) / 3;
      let prefix = 0;
      while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
      const jwBound = jaroBound + prefix * 0.1 * (1 - jaroBound);
      if ((jwBound + s / longest) / 2 < floor) return 0;
    }
    const jw = jaroWinkler(a, b);
    if ((jw + 1 - Math.abs(a.length - b.length) / longest) / 2 < floor) return 0;
    return (jw + 1 - levenshtein(a, b) / longest) / 2;
  };
  const high = (s: string): boolean => s.charCodeAt(0) > 0x7f;
  const reference = (q: NameToken, c: NameToken): number => {
    const o = COMPARE_DEFAULTS;
    if (q.kind === "initial" || c.kind === "initial") {
      const a = q.forms[0] ?? "";
      const b = c.forms[0] ?? "";
      if (q.kind === "initial" && c.kind === "initial") return a === b ? 1 : 0;
      return a[0] === b[0] ? o.initialSimilarity : 0;
    }
    for (const a of q.forms) if (c.forms.includes(a)) return 1;
    const floor = Math.min(o.minTokenSimilarity, o.phoneticFloor);
    let best = 0;
    const q0 = q.forms[0] ?? "";
    const c0 = c.forms[0] ?? "";
    for (const b of c.forms) if (high(q0) === high(b)) best = Math.max(best, form(q0, b, floor));
    for (const a of q.forms.slice(1)) if (high(a) === high(c0)) best = Math.max(best, form(a, c0, floor));
    if (q.script === c.script && q.script !== "latin") best = Math.max(best, form(q.text, c.text, floor));
    if (best < o.phoneticSimilarity && best >= o.phoneticFloor && q.keys.some((k) => c.keys.includes(k)))
      best = o.phoneticSimilarity;
    return best;
  };
  // Words and their slips: letters dropped, doubled, swapped, replaced; repeated letters (four
  // of one kind), other scripts, digits and apostrophes, and astral characters.
  const words = [
    "mohammed",
    "muhammad",
    "abdulrahman",
    "aaaabbbb",
    "alexander",
    "oleksandr",
    "nazarbayev",
    "lukashenko",
    "lukashevich",
    "scholz",
    "o'brien",
    "x5000",
    "владимир",
    "владимиров",
    "محمد",
    "محمود",
    "김정은",
    "习近平",
    "𠀋𠀌𠀍x",
    "zzzzzz",
    "papapapa",
  ];
  let seed = 7;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const slip = (w: string): string => {
    const ch = [...w];
    const i = random(ch.length);
    switch (random(4)) {
      case 0:
        ch.splice(i, 1);
        break;
      case 1:
        ch.splice(i, 0, ch[i] ?? "a");
        break;
      case 2:
        [ch[i], ch[0]] = [ch[0] ?? "", ch[i] ?? ""];
        break;
      default:
        ch[i] = "aeiouбвгд"[random(9)] ?? "a";
    }
    return ch.join("");
  };
  const variants = words.flatMap((w) => [w, slip(w), slip(slip(w)), slip(slip(slip(w)))]);
  const tokens = variants.flatMap((v) => analyseName(v).tokens);
  it(`agrees with counting letters one by one on ${tokens.length ** 2} pairs`, () => {
    let similar = 0;
    for (const q of tokens) {
      for (const c of tokens) {
        const want = reference(q, c);
        assert.equal(tokenSimilarity(q, c), want, `${q.text} ~ ${c.text}`);
        if (want >= 0.72) similar++;
      }
    }
    assert.ok(similar > tokens.length, `only ${similar} similar pairs: the test compares too little`);
  });
});

describe("compareNames: remembered similarities", () => {
  it("a comparison gives what it gave before anything was remembered", () => {
    const people = [
      "Mohammed Hassan Ahmadi",
      "Muhammad Hasan al-Ahmadi",
      "Abdul Rahman bin Hasan",
      "Hasan bin Abdulrahman",
      "Vladimir Vladimirovich Putin",
      "Wladimir Putin",
      "Kim Jong Un",
      "Kim Jong-il",
      "Olaf Scholz",
      "Aleksandr Lukashenko",
      "Alexander Lukashevich",
      "Владимир Путин",
      "习近平",
      "J. P. O'Brien-Smith",
    ];
    const names = people.map((n) => analyseName(n, { schema: "Person" }));
    // Options equal in value but another object: nothing remembered under the defaults is used.
    const fresh = { ...COMPARE_DEFAULTS };
    const cold = names.flatMap((a) => names.map((b) => compareNames(a, b, fresh)));
    // Many more pairs remembered (rows grow and are rehashed), then the same comparisons again.
    const more = Array.from({ length: 400 }, (_, i) => analyseName(`Name${i} Nome${i % 37} Nam${i % 11}`));
    for (const a of names) for (const b of more) compareNames(a, b, fresh);
    const warm = names.flatMap((a) => names.map((b) => compareNames(a, b, fresh)));
    const defaults = names.flatMap((a) => names.map((b) => compareNames(a, b)));
    assert.deepEqual(warm, cold);
    assert.deepEqual(defaults, cold);
    assert.ok(
      cold.some((c) => c.score > 0.8 && c.score < 1),
      "some pairs are alike but not the same",
    );
  });
});
