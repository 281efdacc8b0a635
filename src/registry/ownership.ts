// The 50 % rule, pure: which entities are blocked because blocked persons own 50 % or more of
// them, in aggregate, directly or indirectly, each with the chain that explains it.
//
// OFAC's reading, which this follows:
//   - aggregate: the stakes of every blocked person count together, whatever their programme
//     (FAQ 399);
//   - indirect: a stake held by an entity that is itself blocked (listed, or blocked by this
//     rule) counts in full as blocked ownership (FAQ 401, examples 1–3: X owns 50 % of A and B,
//     A and B each own 25 % of C, so X "indirectly owns" 25 % + 25 % of C and C is blocked). A
//     stake held through an entity that is not blocked does not count at all: nothing is
//     multiplied through an unblocked intermediary;
//   - ownership, not control (FAQ 398): control without 50 % ownership blocks nothing; it and a
//     blocked stake under 50 % are shown as cautions.
// Entities are settled in topological order of the ownership graph, so a stake counts once its
// owner is settled. Cycles and an asset whose stakes add up to more than 100 % are refused.

import { InterdictError } from "../errors.js";

export interface OwnershipEdge {
  readonly owner: string;
  readonly asset: string;
  /** Share of the asset, 0–100. Control edges may leave it 0. */
  readonly percentage: number;
  /** `control` (director, power to appoint, agreement…) never counts toward the 50 %. */
  readonly kind: "ownership" | "control";
  /** Where the edge comes from: an FtM Ownership entity's id, the registry, a CSV line. */
  readonly source?: string;
}

export interface Contribution {
  readonly owner: string;
  readonly percentage: number;
  /** Why the owner counts: `listed`, or its own 50 % explanation. */
  readonly because: string;
}

export interface OwnershipFinding {
  readonly id: string;
  /** Blocked by the rule (not itself listed). */
  readonly blocked: boolean;
  /** Aggregate share held by blocked persons, 0–100. */
  readonly share: number;
  readonly contributions: readonly Contribution[];
  /** One line: the rule and the chain (`X 30 % (listed) + Z 25 % (blocked: Y 60 %)`). */
  readonly explanation: string;
  /** Blocked stake under 50 %, or control by a blocked person: not blocked, but be careful. */
  readonly cautions: readonly string[];
}

export const OWNERSHIP_DEFAULTS = {
  /** OFAC's threshold: 50 % or more. */
  threshold: 50,
  /** Shares are summed in floating point: 33.33 + 16.67 must still reach 50. */
  epsilon: 1e-6,
};

const pct = (n: number): string => `${Number(n.toFixed(2))} %`;

/** Refuses what cannot be right: a bad percentage, a self-edge, over 100 % in total. */
export function validateEdges(edges: readonly OwnershipEdge[]): void {
  const totals = new Map<string, number>();
  for (const e of edges) {
    const where = { record: e.source ?? `${e.owner} → ${e.asset}` };
    if (!Number.isFinite(e.percentage) || e.percentage < 0 || e.percentage > 100) {
      throw new InterdictError(
        "INTERDICT_E_INPUT",
        `ownership percentage must be between 0 and 100, not ${e.percentage}`,
        where,
      );
    }
    if (e.owner === e.asset) {
      throw new InterdictError("INTERDICT_E_INPUT", `${e.owner} cannot own itself`, where);
    }
    if (e.kind === "ownership") totals.set(e.asset, (totals.get(e.asset) ?? 0) + e.percentage);
  }
  for (const [asset, total] of totals) {
    if (total > 100 + OWNERSHIP_DEFAULTS.epsilon) {
      throw new InterdictError(
        "INTERDICT_E_INPUT",
        `the stakes in ${asset} add up to ${pct(total)}, over 100 %`,
        { record: asset },
      );
    }
  }
}

/** Owners before assets; a cycle is refused, naming it. */
function topologicalOrder(edges: readonly OwnershipEdge[]): string[] {
  const owned = new Map<string, string[]>();
  const nodes = new Set<string>();
  for (const e of edges) {
    if (e.kind !== "ownership") continue;
    nodes.add(e.owner);
    nodes.add(e.asset);
    owned.set(e.owner, [...(owned.get(e.owner) ?? []), e.asset]);
  }
  const state = new Map<string, 1 | 2>();
  const order: string[] = [];
  // Iterative depth-first search: deep chains must not exhaust the call stack.
  for (const start of [...nodes].sort()) {
    if (state.has(start)) continue;
    const stack: { id: string; next: number }[] = [{ id: start, next: 0 }];
    state.set(start, 1);
    while (stack.length) {
      const top = stack[stack.length - 1] as { id: string; next: number };
      const children = owned.get(top.id) ?? [];
      if (top.next < children.length) {
        const child = children[top.next++] as string;
        const s = state.get(child);
        if (s === 1) {
          const path = stack.map((f) => f.id);
          const cycle = [...path.slice(path.indexOf(child)), child];
          throw new InterdictError(
            "INTERDICT_E_INPUT",
            `ownership cycle: ${cycle.join(" → ")}; a cycle of stakes has no defined aggregate, fix the edges`,
            { record: child },
          );
        }
        if (s === undefined) {
          state.set(child, 1);
          stack.push({ id: child, next: 0 });
        }
      } else {
        state.set(top.id, 2);
        order.push(top.id);
        stack.pop();
      }
    }
  }
  return order.reverse();
}

/**
 * Applies the rule. `listed` are the blocked persons (designated on any list that freezes
 * assets); `name` gives a display name for explanations. Returns a finding for every entity
 * that is blocked by the rule or carries a caution, in topological order.
 */
export function applyFiftyPercentRule(
  edges: readonly OwnershipEdge[],
  listed: ReadonlySet<string>,
  name: (id: string) => string = (id) => id,
  opts: Partial<typeof OWNERSHIP_DEFAULTS> = {},
): OwnershipFinding[] {
  const o = { ...OWNERSHIP_DEFAULTS, ...opts };
  validateEdges(edges);
  const order = topologicalOrder(edges);
  const into = new Map<string, OwnershipEdge[]>();
  for (const e of edges) into.set(e.asset, [...(into.get(e.asset) ?? []), e]);

  const derived = new Map<string, string>(); // id → short reason, for the chains of others
  const out: OwnershipFinding[] = [];
  const isBlocked = (id: string) => listed.has(id) || derived.has(id);
  const because = (id: string) => (listed.has(id) ? "listed" : `blocked: ${derived.get(id)}`);

  const settle = (id: string) => {
    const stakes = into.get(id) ?? [];
    const contributions: Contribution[] = [];
    const cautions: string[] = [];
    let share = 0;
    for (const e of stakes) {
      if (!isBlocked(e.owner)) continue;
      if (e.kind === "control") {
        cautions.push(
          `controlled by ${name(e.owner)} (${because(e.owner)}): control is not ownership (FAQ 398)`,
        );
        continue;
      }
      share += e.percentage;
      contributions.push({ owner: e.owner, percentage: e.percentage, because: because(e.owner) });
    }
    const chain = contributions
      .map((c) => `${name(c.owner)} ${pct(c.percentage)} (${c.because})`)
      .join(" + ");
    const blocked = !listed.has(id) && share + o.epsilon >= o.threshold;
    if (blocked) {
      derived.set(id, contributions.map((c) => `${name(c.owner)} ${pct(c.percentage)}`).join(" + "));
    } else if (share > 0 && !listed.has(id)) {
      cautions.push(
        `owned ${pct(share)} by blocked persons, under ${o.threshold} %: not blocked by the rule, but a significant blocked interest (FAQ 398): ${chain}`,
      );
    }
    if (!blocked && cautions.length === 0) return;
    out.push({
      id,
      blocked,
      share,
      contributions,
      explanation: blocked
        ? `blocked by the 50 % rule: owned ${pct(share)} in aggregate by blocked persons: ${chain}`
        : cautions.join("; "),
      cautions: blocked ? [] : cautions,
    });
  };

  for (const id of order) settle(id);
  // Entities reached only through control edges are not in the ownership order.
  const seen = new Set(order);
  for (const e of edges) {
    if (e.kind === "control" && !seen.has(e.asset)) {
      seen.add(e.asset);
      settle(e.asset);
    }
  }
  return out;
}

/** Ownership edges from FtM Ownership entities (`owner`, `asset`, `percentage`). */
export function edgesFromFtm(
  entities: Iterable<{ id: string; schema: string; properties: Record<string, string[]> }>,
): OwnershipEdge[] {
  const out: OwnershipEdge[] = [];
  for (const e of entities) {
    if (e.schema !== "Ownership") continue;
    const owner = e.properties.owner?.[0];
    const asset = e.properties.asset?.[0];
    if (!owner || !asset) continue;
    const raw = e.properties.percentage?.[0];
    const percentage = raw === undefined ? Number.NaN : parsePercentage(raw);
    // An Ownership without a share states an interest of unknown size: it cannot count toward
    // the 50 %, but it is still a link worth a caution.
    out.push(
      Number.isFinite(percentage)
        ? { owner, asset, percentage, kind: "ownership", source: e.id }
        : { owner, asset, percentage: 0, kind: "control", source: e.id },
    );
  }
  return out;
}

/** `30`, `30 %`, `30.5%`, `0,3`? — a share as a number 0–100; NaN when it is not one. */
export function parsePercentage(text: string): number {
  const m = /^\s*(\d+(?:[.,]\d+)?)\s*%?\s*$/.exec(text);
  return m ? Number((m[1] as string).replace(",", ".")) : Number.NaN;
}
