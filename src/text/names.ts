// Names as tokens ready to compare: each token of a name is classified (a word, an initial, a
// particle such as "bin" or "van", an honorific, a legal form such as "OOO", a generic word such
// as "Trading") and carries its ASCII forms (romanised when it is written in another script)
// and phonetic keys. Comparison (match/compare.ts) then never looks at raw text again.

import { doubleMetaphone } from "double-metaphone";
import generic from "./data/generic.json" with { type: "json" };
import honorifics from "./data/honorifics.json" with { type: "json" };
import numbers from "./data/numbers.json" with { type: "json" };
import orgTypes from "./data/org-types.json" with { type: "json" };
import particles from "./data/particles.json" with { type: "json" };
import { type RawToken, type Script, tokenise } from "./normalise.js";
import { romanise } from "./romanise.js";
import { splitHanName } from "./translit/han.js";
import { splitKoreanName } from "./translit/hangul.js";

export type TokenKind = "word" | "initial" | "particle" | "honorific" | "orgtype" | "generic" | "number";

export interface NameToken {
  /** The token as normalised, in its own script. */
  readonly text: string;
  readonly script: Script;
  readonly kind: TokenKind;
  /** ASCII forms, primary first; a legal form's is its class (`#llc`). */
  readonly forms: readonly string[];
  /** Double Metaphone keys of the forms. */
  readonly keys: readonly string[];
}

export interface AnalysedName {
  readonly name: string;
  readonly tokens: readonly NameToken[];
  /** A person's name (true), an organisation's or vessel's (false), or not known. */
  readonly person?: boolean;
}

const HONORIFICS = new Set(honorifics.words.flatMap((w) => tokenise(w).map((t) => t.text)));
const GENERIC = new Set(generic.words.flatMap((w) => tokenise(w).map((t) => t.text)));
const PARTICLES = new Set(particles.words);

/** Legal-form phrases as token sequences, longest first, with their class. */
const ORG_PHRASES: { tokens: string[]; cls: string }[] = Object.entries(orgTypes.classes)
  .flatMap(([cls, phrases]) => phrases.map((p) => ({ tokens: tokenise(p).map((t) => t.text), cls })))
  .filter((p) => p.tokens.length > 0)
  .sort((a, b) => b.tokens.length - a.tokens.length);
const ORG_FIRST = new Set(ORG_PHRASES.map((p) => p.tokens[0]));

const keyCache = new Map<string, readonly string[]>();
function phoneticKeys(forms: readonly string[]): readonly string[] {
  const id = forms.join(" ");
  const hit = keyCache.get(id);
  if (hit) return hit;
  const keys = new Set<string>();
  for (const f of forms) {
    if (f.length < 2 || /\d/.test(f)) continue;
    const [a, b] = doubleMetaphone(f);
    if (a) keys.add(a);
    if (b) keys.add(b);
  }
  const out = [...keys];
  if (keyCache.size > 200_000) keyCache.clear();
  keyCache.set(id, out);
  return out;
}

/**
 * Tokens are interned: the same word in the same role is one object wherever it occurs, so the
 * lists' hundreds of thousands of names share a few tens of thousands of tokens, and a
 * comparison can remember its results per token pair.
 */
const interned = new Map<string, NameToken>();

const NUMBER_WORDS = new Map<string, string>(
  Object.entries(numbers.words).flatMap(([digits, word]) => [
    [digits, word],
    [word, digits],
  ]),
);

/**
 * Spellings a Latin token is also written with: doubled letters written once ("Jong-uun",
 * "Mohammed" → "mohamed"), and numbers as digits or words ("3" / "three").
 */
function latinVariants(forms: readonly string[]): string[] {
  const out = [...forms];
  for (const f of forms) {
    const once = f.replace(/([a-z])\1+/g, "$1");
    if (once !== f && once.length >= 2 && !out.includes(once)) out.push(once);
    const n = NUMBER_WORDS.get(f);
    if (n && !out.includes(n)) out.push(n);
  }
  return out;
}
const MAX_INTERNED = 1_000_000;

function token(raw: RawToken, kind: TokenKind): NameToken {
  const id = `${kind}:${raw.script}:${raw.text}`;
  const hit = interned.get(id);
  if (hit) return hit;
  const ascii = romanise(raw.text, raw.script);
  // A token in another script also keeps its own spelling, so two names in one script compare
  // letter for letter (and a script with no romaniser still compares at all).
  const forms =
    raw.script === "latin" || raw.script === "digit" ? latinVariants(ascii) : [...ascii, raw.text];
  const k: TokenKind =
    kind === "word" && forms.length > 0 && forms.every((f) => f.length === 1) ? "initial" : kind;
  const t: NameToken = {
    text: raw.text,
    script: raw.script,
    kind: k,
    forms,
    keys: k === "word" ? phoneticKeys(ascii) : [],
  };
  if (interned.size >= MAX_INTERNED) interned.clear();
  interned.set(id, t);
  return t;
}

function classify(raw: RawToken, schema: string | undefined): TokenKind {
  if (raw.script === "digit") return "number";
  const person = schema === "Person";
  if (HONORIFICS.has(raw.text) && (person || !schema)) return "honorific";
  if (PARTICLES.has(raw.text) && (person || !schema)) return "particle";
  if (!person && GENERIC.has(raw.text)) return "generic";
  return "word";
}

/**
 * Han and Hangul write a whole name without spaces ("习近平", "김정은"); Latin writes the family
 * name apart. The family name (one syllable, or a known two-syllable one: 欧阳, 남궁) is split off.
 */
function splitEastAsian(raw: RawToken): RawToken[] {
  const split =
    raw.script === "han" ? splitHanName(raw.text) : raw.script === "hangul" ? splitKoreanName(raw.text) : 0;
  if (split <= 0 || split >= raw.text.length) return [raw];
  return [
    { text: raw.text.slice(0, split), script: raw.script },
    { text: raw.text.slice(split), script: raw.script },
  ];
}

export interface AnalyseOptions {
  /** The schema of the named thing: legal forms and generic words are recognised for non-persons. */
  readonly schema?: string;
}

/** Tokens of a name, classified and romanised. */
export function analyseName(name: string, opts: AnalyseOptions = {}): AnalysedName {
  const person = opts.schema === "Person";
  const raw = tokenise(name.length > 1000 ? name.slice(0, 1000) : name).flatMap(splitEastAsian);
  const tokens: NameToken[] = [];
  for (let i = 0; i < raw.length; i++) {
    const r = raw[i] as RawToken;
    if (!person && ORG_FIRST.has(r.text)) {
      const phrase = ORG_PHRASES.find((p) => p.tokens.every((t, j) => raw[i + j]?.text === t));
      if (phrase) {
        tokens.push({
          text: phrase.tokens.join(" "),
          script: r.script,
          kind: "orgtype",
          forms: [`#${phrase.cls}`],
          keys: [],
        });
        i += phrase.tokens.length - 1;
        continue;
      }
    }
    tokens.push(token(r, classify(r, opts.schema)));
  }
  return { name, tokens, ...(opts.schema ? { person } : {}) };
}
