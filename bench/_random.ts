// A small seeded generator (mulberry32), so a benchmark builds the same synthetic data every run.

export function seeded(start: number): {
  random: () => number;
  pick: <T>(xs: readonly T[]) => T;
} {
  let seed = start;
  const random = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  return { random, pick };
}
