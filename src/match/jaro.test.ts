import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { jaro, jaroWinkler } from "./jaro.js";

const near = (actual: number, expected: number, digits = 3): void =>
  assert.equal(actual.toFixed(digits), expected.toFixed(digits), `${actual} ≠ ${expected}`);

/** The textbook algorithm, written plainly, to check the fast paths against. */
function reference(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  if (x.length === 0 || y.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(x.length, y.length) / 2) - 1);
  const usedY = new Array<boolean>(y.length).fill(false);
  const matchedX: string[] = [];
  x.forEach((c, i) => {
    for (let j = Math.max(0, i - window); j <= Math.min(y.length - 1, i + window); j++) {
      if (!usedY[j] && y[j] === c) {
        usedY[j] = true;
        matchedX.push(c);
        return;
      }
    }
  });
  const m = matchedX.length;
  if (m === 0) return 0;
  const matchedY = y.filter((_, j) => usedY[j]);
  const t = Math.floor(matchedX.filter((c, i) => c !== matchedY[i]).length / 2);
  return (m / x.length + m / y.length + (m - t) / m) / 3;
}

describe("jaro / jaroWinkler: textbook values", () => {
  const cases: [string, string, number, number][] = [
    // Winkler (1990) and the Jaro-Winkler literature's worked examples.
    ["MARTHA", "MARHTA", 0.944, 0.961],
    ["DWAYNE", "DUANE", 0.822, 0.84],
    ["DIXON", "DICKSONX", 0.767, 0.813],
    ["JELLYFISH", "SMELLYFISH", 0.896, 0.896],
  ];
  for (const [a, b, j, jw] of cases) {
    it(`${a} / ${b}: Jaro ${j}, Jaro-Winkler ${jw}`, () => {
      near(jaro(a, b), j);
      near(jaroWinkler(a, b), jw);
      near(jaroWinkler(b, a), jw);
    });
  }
});

describe("jaro / jaroWinkler: properties", () => {
  it("identical names score 1, in any script", () => {
    for (const name of ["PUTIN", "Путин", "بوتين", "金正恩", "김정은", "Πούτιν", "𠀋𠀍"]) {
      assert.equal(jaro(name, name), 1);
      assert.equal(jaroWinkler(name, name), 1);
    }
  });
  it("an empty name is similar to nothing, itself included", () => {
    assert.equal(jaro("", ""), 0);
    assert.equal(jaroWinkler("", "PUTIN"), 0);
    assert.equal(jaroWinkler("PUTIN", ""), 0);
  });
  it("names with no character in common score 0", () => {
    assert.equal(jaroWinkler("PUTIN", "Путин"), 0);
    assert.equal(jaroWinkler("KIM", "OLEG"), 0);
  });
  it("compares code points: an astral character counts once", () => {
    near(jaro("𠀋A", "𠀋B"), jaro("XA", "XB"));
  });
  it("is case-sensitive (normalising is the caller's)", () => {
    assert.ok(jaroWinkler("Putin", "PUTIN") < 0.7);
  });
  it("the prefix bonus waits for Jaro ≥ 0.7 unless boostThreshold says otherwise", () => {
    const [a, b] = ["NEW", "NEW PEOPLE'S ARMY / COMMUNIST PARTY OF THE PHILIPPINES"];
    const j = jaro(a, b);
    assert.ok(j < 0.7);
    assert.equal(jaroWinkler(a, b), j);
    near(jaroWinkler(a, b, 0.1, 0), j + 0.3 * (1 - j), 6);
    near(
      jaroWinkler("NEW PEOPLE", b, 0.1, 0, 6),
      jaro("NEW PEOPLE", b) + 0.6 * (1 - jaro("NEW PEOPLE", b)),
      6,
    );
  });
  it("the prefix is capped at prefixMax and at the shorter name", () => {
    const j = jaro("KADYROV", "KADYROVA");
    near(jaroWinkler("KADYROV", "KADYROVA"), j + 0.4 * (1 - j), 6);
    near(jaroWinkler("KADYROV", "KADYROVA", 0.1, 0.7, 6), j + 0.6 * (1 - j), 6);
    near(jaroWinkler("KIM", "KIMA", 0.1, 0.7, 6), jaro("KIM", "KIMA") + 0.3 * (1 - jaro("KIM", "KIMA")), 6);
  });
  it("refuses a prefix scale that could lift a score above 1", () => {
    assert.throws(() => jaroWinkler("A", "B", 0.3), RangeError);
    assert.throws(() => jaroWinkler("A", "B", 0.2, 0.7, 6), RangeError);
    assert.throws(() => jaroWinkler("A", "B", Number.NaN), RangeError);
  });
  it("is symmetric and stays within [0, 1]", () => {
    const names = ["SECHIN, Igor Ivanovich", "SECHIN IGOR", "ROTENBERG, Arkady", "ROTENBERG, Boris", "KIM"];
    for (const a of names) {
      for (const b of names) {
        const s = jaroWinkler(a, b, 0.1, 0, 6);
        assert.ok(s >= 0 && s <= 1);
        assert.equal(s, jaroWinkler(b, a, 0.1, 0, 6));
      }
    }
  });
});

describe("jaro: the fast paths agree with the textbook algorithm", () => {
  // Real list names: short parts (bitmask path), whole names longer than 32 characters (flag
  // arrays), other scripts, and astral Han characters (code-point loading).
  const names = [
    "KADYROV",
    "KADIROV",
    "KADYROV, Ramzan Akhmatovich",
    "KADYROV RAMZAN AKHMATOVICH",
    "RAMZAN AKHMATOVICH KADYROV",
    "AKHMAT KADYROV FOUNDATION",
    "REVOLUTIONARY PEOPLE'S STRUGGLE",
    "REVOLUTIONARY PEOPLE'S LIBERATION PARTY/FRONT",
    "NEW PEOPLE'S ARMY / COMMUNIST PARTY OF THE PHILIPPINES",
    "JULAIDAN, Wa'el Hamza Abd Al-Fatah",
    "Кадыров Рамзан Ахматович",
    "Кадиров Рамзан Ахмадович",
    "عبد الرحمن",
    "عبدالرحمن",
    "김정은",
    "金正恩",
    "𠀋正恩",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
  ];
  it("on every pair of a table of real names", () => {
    for (const a of names) for (const b of names) near(jaro(a, b), reference(a, b), 12);
  });
});
