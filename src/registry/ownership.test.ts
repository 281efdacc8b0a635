// The 50 % rule's arithmetic, as tables of real-shaped chains (OFAC FAQ 398, 399, 401).

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applyFiftyPercentRule, edgesFromFtm, type OwnershipEdge } from "./ownership.js";

const own = (owner: string, asset: string, percentage: number): OwnershipEdge => ({
  owner,
  asset,
  percentage,
  kind: "ownership",
});
const control = (owner: string, asset: string): OwnershipEdge => ({
  owner,
  asset,
  percentage: 0,
  kind: "control",
});

function blocked(edges: OwnershipEdge[], listed: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of applyFiftyPercentRule(edges, new Set(listed))) if (f.blocked) out.set(f.id, f.share);
  return out;
}

describe("50 % rule", () => {
  const cases: [string, OwnershipEdge[], string[], Record<string, number>][] = [
    ["direct 50 % blocks", [own("X", "A", 50)], ["X"], { A: 50 }],
    ["direct 49.9 % does not", [own("X", "A", 49.9)], ["X"], {}],
    [
      "aggregate of two blocked owners (FAQ 399): 30 + 25",
      [own("X", "A", 30), own("Y", "A", 25)],
      ["X", "Y"],
      { A: 55 },
    ],
    ["an unlisted co-owner does not count", [own("X", "A", 30), own("U", "A", 45)], ["X"], {}],
    [
      "FAQ 401 ex. 1: through a blocked entity, two levels",
      [own("X", "A", 50), own("A", "B", 50)],
      ["X"],
      { A: 50, B: 50 },
    ],
    [
      "FAQ 401 ex. 2: X 50 % of A and B, each 25 % of C",
      [own("X", "A", 50), own("X", "B", 50), own("A", "C", 25), own("B", "C", 25)],
      ["X"],
      { A: 50, B: 50, C: 50 },
    ],
    [
      "FAQ 401 ex. 3: X 50 % of A and 10 % of B, A 40 % of B",
      [own("X", "A", 50), own("X", "B", 10), own("A", "B", 40)],
      ["X"],
      { A: 50, B: 50 },
    ],
    [
      "through an unblocked intermediary nothing counts: X 40 % of A, A 100 % of B",
      [own("X", "A", 40), own("A", "B", 100)],
      ["X"],
      {},
    ],
    [
      "three levels, then a stake that falls short",
      [own("X", "A", 60), own("A", "B", 70), own("B", "C", 51), own("C", "D", 20), own("Y", "D", 20)],
      ["X", "Y"],
      { A: 60, B: 70, C: 51 },
    ],
    ["control is not ownership (FAQ 398)", [control("X", "A"), own("X", "A", 10)], ["X"], {}],
  ];
  for (const [what, edges, listed, expected] of cases) {
    it(what, () => assert.deepEqual(Object.fromEntries(blocked(edges, listed)), expected));
  }

  it("explains the chain: direct and via a blocked intermediary", () => {
    const names: Record<string, string> = { X: "Ivanov", Y: "Petrov", Z: "Holding Z", T: "Target LLC" };
    const f = applyFiftyPercentRule(
      [own("X", "T", 30), own("Y", "Z", 60), own("Z", "T", 25)],
      new Set(["X", "Y"]),
      (id) => names[id] ?? id,
    ).find((x) => x.id === "T");
    assert.ok(f?.blocked);
    assert.equal(f.share, 55);
    assert.match(f.explanation, /Ivanov 30 % \(listed\) \+ Holding Z 25 % \(blocked: Petrov 60 %\)/);
  });

  it("control and a stake under 50 % are cautions, not blocks", () => {
    const f = applyFiftyPercentRule([control("X", "A"), own("X", "B", 30)], new Set(["X"]));
    assert.deepEqual(
      f.map((x) => [x.id, x.blocked]),
      [
        ["B", false],
        ["A", false],
      ],
    );
    assert.match(f.find((x) => x.id === "A")?.cautions[0] ?? "", /control is not ownership/);
    assert.match(f.find((x) => x.id === "B")?.cautions[0] ?? "", /30 %.*under 50 %/);
  });

  it("refuses a cycle, naming it", () => {
    assert.throws(
      () => applyFiftyPercentRule([own("A", "B", 50), own("B", "C", 50), own("C", "A", 50)], new Set(["A"])),
      /ownership cycle: A → B → C → A/,
    );
  });

  it("refuses stakes over 100 % in total and percentages out of range", () => {
    assert.throws(
      () => applyFiftyPercentRule([own("X", "A", 60), own("Y", "A", 50)], new Set()),
      /add up to 110 %/,
    );
    assert.throws(() => applyFiftyPercentRule([own("X", "A", 120)], new Set()), /between 0 and 100/);
  });

  it("reads FtM Ownership entities; one without a share is a link, not a stake", () => {
    const edges = edgesFromFtm([
      { id: "o1", schema: "Ownership", properties: { owner: ["X"], asset: ["A"], percentage: ["50.5 %"] } },
      { id: "o2", schema: "Ownership", properties: { owner: ["X"], asset: ["B"] } },
    ]);
    assert.deepEqual(
      edges.map((e) => [e.asset, e.percentage, e.kind]),
      [
        ["A", 50.5, "ownership"],
        ["B", 0, "control"],
      ],
    );
  });
});
