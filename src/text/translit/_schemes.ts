// The rule engine the script romanisers share: a romanisation scheme is a table of context rules
// read from data/<script>.json, compiled once at load, and applied to a word left to right,
// longest rule first. Each scheme is applied as a whole (one spelling convention per output),
// never as a product of per-letter choices, so the variants stay few and real.
//
// Rule keys: `src` (one or more letters) with an optional context on either side, written as a
// class name in brackets: `[I]е` = е after a letter of class I, `ий[#]` = ий before a word
// boundary. Class strings list letters; `#` in a class stands for the word boundary (start or
// end of word, or a hyphen or space inside it). `^x` and `x$` are shorthand for `[#]x` and `x[#]`.
// At one position the longest `src` wins, then the rule with more context; letters without a
// rule are dropped, except ASCII a–z, which pass through.
//
// Speed: a word is read once into letter numbers shared by all its schemes; a letter with only a
// plain rule is a single array lookup.

export interface SchemeSpec {
  /** Another scheme of the same table whose rules this one starts from. */
  readonly extends?: string;
  readonly rules?: Readonly<Record<string, string>>;
  /** Collapse doubled letters in the output (conventions that simplify ‹nn› to ‹n›). */
  readonly collapse?: boolean;
}

export interface SchemeTable {
  readonly classes: Readonly<Record<string, string>>;
  readonly schemes: Readonly<Record<string, SchemeSpec>>;
}

/** Letter numbers below zero: a boundary inside the word, or a character no rule reads. */
const BOUNDARY = -2;
const UNKNOWN = -1;
const BOUNDARY_CHARS = "- \u2010\u2011\u2012\u2013\u2014";

interface CharClass {
  /** 1 where the letter number belongs to the class. */
  readonly member: Uint8Array;
  readonly boundary: boolean;
}

interface Rule {
  readonly src: readonly number[];
  readonly out: string;
  readonly before: CharClass | null;
  readonly after: CharClass | null;
}

export interface Scheme {
  readonly name: string;
  /** By letter number: the output of a letter whose only rule is plain. */
  readonly plain: readonly (string | undefined)[];
  /** By letter number: the rules of a letter with context or longer rules, most specific first. */
  readonly complex: readonly (readonly Rule[] | undefined)[];
  readonly collapse: boolean;
}

/** A compiled table: the letter numbering its schemes share, and the schemes by name. */
export interface CompiledTable {
  readonly letters: ReadonlyMap<number, number>;
  readonly schemes: ReadonlyMap<string, Scheme>;
}

function resolveRules(table: SchemeTable, name: string, seen: string[] = []): Record<string, string> {
  const spec = table.schemes[name];
  if (!spec) throw new Error(`romanisation table: unknown scheme "${name}"`);
  if (seen.includes(name)) throw new Error(`romanisation table: scheme cycle ${[...seen, name].join(" → ")}`);
  const base = spec.extends ? resolveRules(table, spec.extends, [...seen, name]) : {};
  return { ...base, ...spec.rules };
}

/** Compiles every scheme of a table (done once, at module load). */
export function compileSchemes(table: SchemeTable): CompiledTable {
  const letters = new Map<number, number>();
  const number = (c: string): number => {
    const code = c.charCodeAt(0);
    let n = letters.get(code);
    if (n === undefined) {
      n = letters.size;
      letters.set(code, n);
    }
    return n;
  };
  for (let c = 0x61; c <= 0x7a; c++) number(String.fromCharCode(c));
  const resolved = new Map<string, Record<string, string>>();
  for (const name of Object.keys(table.schemes)) {
    const rules = resolveRules(table, name);
    resolved.set(name, rules);
    for (const key of Object.keys(rules)) for (const c of key.replace(/\[[^\]]*\]|\^|\$/g, "")) number(c);
  }
  for (const chars of Object.values(table.classes)) for (const c of chars) if (c !== "#") number(c);
  const size = letters.size;
  // Capitals read as their lower-case letters: callers pass case-folded words, but a capital that
  // slips through costs nothing this way.
  for (const [code, n] of [...letters]) {
    const upper = String.fromCharCode(code).toUpperCase();
    if (upper.length === 1 && !letters.has(upper.charCodeAt(0))) letters.set(upper.charCodeAt(0), n);
  }

  const classes = new Map<string, CharClass>([["#", { member: new Uint8Array(size), boundary: true }]]);
  for (const [name, chars] of Object.entries(table.classes)) {
    const member = new Uint8Array(size);
    for (const c of chars) if (c !== "#") member[letters.get(c.charCodeAt(0))!] = 1;
    classes.set(name, { member, boundary: chars.includes("#") });
  }

  const schemes = new Map<string, Scheme>();
  for (const [name, rules] of resolved) {
    if (name.startsWith("_")) continue;
    const byFirst: Rule[][] = [];
    for (const [key, out] of Object.entries(rules)) {
      if (!/^[a-z]*$/.test(out))
        throw new Error(`romanisation table ${name}: rule "${key}" gives non-ASCII "${out}"`);
      const rule = parseKey(key, out, classes, letters, name);
      (byFirst[rule.src[0]!] ??= []).push(rule);
    }
    const plain: (string | undefined)[] = new Array(size).fill(undefined);
    const complex: (Rule[] | undefined)[] = new Array(size).fill(undefined);
    for (let c = 0x61; c <= 0x7a; c++) plain[letters.get(c)!] = String.fromCharCode(c);
    const specificity = (r: Rule) => r.src.length * 4 + (r.before ? 1 : 0) + (r.after ? 1 : 0);
    byFirst.forEach((list, n) => {
      if (list.length === 1 && list[0]!.src.length === 1 && !list[0]!.before && !list[0]!.after) {
        plain[n] = list[0]!.out;
      } else {
        complex[n] = list.sort((a, b) => specificity(b) - specificity(a));
        plain[n] = undefined;
      }
    });
    schemes.set(name, { name, plain, complex, collapse: table.schemes[name]?.collapse === true });
  }
  return { letters, schemes };
}

function parseKey(
  key: string,
  out: string,
  classes: ReadonlyMap<string, CharClass>,
  letters: ReadonlyMap<number, number>,
  where: string,
): Rule {
  let src = key;
  let before: CharClass | null = null;
  let after: CharClass | null = null;
  const cls = (name: string): CharClass => {
    const found = classes.get(name);
    if (!found) throw new Error(`romanisation table ${where}: unknown class [${name}] in rule "${key}"`);
    return found;
  };
  if (src.startsWith("^")) {
    before = cls("#");
    src = src.slice(1);
  } else if (src.startsWith("[")) {
    const end = src.indexOf("]");
    before = cls(src.slice(1, end));
    src = src.slice(end + 1);
  }
  if (src.endsWith("$")) {
    after = cls("#");
    src = src.slice(0, -1);
  } else if (src.endsWith("]")) {
    const start = src.lastIndexOf("[");
    after = cls(src.slice(start + 1, -1));
    src = src.slice(0, start);
  }
  if (src.length === 0) throw new Error(`romanisation table ${where}: empty rule "${key}"`);
  return { src: [...src].map((c) => letters.get(c.charCodeAt(0))!), out, before, after };
}

/** Looks up schemes by name, failing at load time on a misspelt one. */
export function pickSchemes(table: CompiledTable, names: readonly string[]): Scheme[] {
  return names.map((n) => {
    const s = table.schemes.get(n);
    if (!s) throw new Error(`romanisation table: unknown scheme "${n}"`);
    return s;
  });
}

/** Letter numbers of the word being romanised; reused between calls (no per-call allocation). */
let buffer = new Int32Array(64);

function encode(table: CompiledTable, word: string): Int32Array {
  if (word.length > buffer.length) buffer = new Int32Array(word.length * 2);
  for (let k = 0; k < word.length; k++) {
    const code = word.charCodeAt(k);
    const n = table.letters.get(code);
    buffer[k] = n !== undefined ? n : BOUNDARY_CHARS.includes(word[k]!) ? BOUNDARY : UNKNOWN;
  }
  return buffer;
}

function inClass(cls: CharClass, ids: Int32Array, n: number, at: number): boolean {
  if (at < 0 || at >= n) return cls.boundary;
  const id = ids[at]!;
  if (id === BOUNDARY) return cls.boundary;
  return id >= 0 && cls.member[id] === 1;
}

function collapseDoubles(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) if (s[i] !== s[i - 1]) out += s[i];
  return out;
}

function applyEncoded(scheme: Scheme, ids: Int32Array, n: number): string {
  let out = "";
  let i = 0;
  outer: while (i < n) {
    const id = ids[i]!;
    if (id < 0) {
      i++;
      continue;
    }
    const plain = scheme.plain[id];
    if (plain !== undefined) {
      out += plain;
      i++;
      continue;
    }
    const rules = scheme.complex[id];
    if (rules) {
      for (const r of rules) {
        const len = r.src.length;
        if (i + len > n) continue;
        let k = 1;
        while (k < len && ids[i + k] === r.src[k]) k++;
        if (k < len) continue;
        if (r.before && !inClass(r.before, ids, n, i - 1)) continue;
        if (r.after && !inClass(r.after, ids, n, i + len)) continue;
        out += r.out;
        i += len;
        continue outer;
      }
    }
    i++;
  }
  return scheme.collapse ? collapseDoubles(out) : out;
}

/** One word in one scheme: lower-case ASCII letters only. */
export function applyScheme(table: CompiledTable, scheme: Scheme, word: string): string {
  return applyEncoded(scheme, encode(table, word), word.length);
}

/** A word in several schemes, in order, without repeats or empty forms, at most `max`. */
export function applySchemes(
  table: CompiledTable,
  schemes: readonly Scheme[],
  word: string,
  max = 8,
): string[] {
  const ids = encode(table, word);
  const forms: string[] = [];
  for (const s of schemes) {
    const form = applyEncoded(s, ids, word.length);
    if (form.length > 0 && !forms.includes(form)) {
      forms.push(form);
      if (forms.length >= max) break;
    }
  }
  return forms;
}
