// Fuzzy customer lookup for `/customer <query>`: name normalisation, a cacheable index, ranking, and the verdict.

export interface AccountCandidate {
  readonly id: string;
  readonly name: string;
  readonly aliases: readonly string[];
  readonly externalId: string;
}

export type MatchedOn = "externalId" | "name" | "alias";

export interface RankedAccount {
  readonly id: string;
  /** 0..1; tiers: exact 0.95–1, prefix 0.80–0.95, word 0.65–0.80, substring 0.55–0.65, fuzzy ≤ 0.55. */
  readonly score: number;
  readonly matchedOn: MatchedOn;
  /** The original text that matched (the name, the alias or the external id). */
  readonly matchedText: string;
}

export type MatchVerdict =
  | { readonly kind: "one"; readonly id: string }
  | { readonly kind: "several"; readonly ids: readonly string[] }
  /** The closest candidates below the threshold (at most 3), best first. */
  | { readonly kind: "none"; readonly suggestions: readonly RankedAccount[] };

/**
 * Score bands. Each tier's band sits above the next so that any exact hit beats any prefix hit
 * and so on; inside a band, the more of the name the query covers, the higher the score.
 */
export const MATCH_TUNING = {
  /** Same external id, or same normalised name with its legal form kept ("acme inc" = "ACME, Inc."). */
  exact: 1,
  /** Same name once legal forms are dropped ("acme corp" = "ACME Corporation"). */
  exactCore: 0.97,
  /** Same letters once spaces are ignored ("mcdonalds" = "Mc Donald's"). */
  exactTight: 0.95,
  prefix: { base: 0.8, span: 0.15 },
  wordStart: { base: 0.65, span: 0.15 },
  substring: { base: 0.55, span: 0.1 },
  /** Fuzzy score = weight × similarity (0..1), so it never reaches the substring band. */
  fuzzyWeight: 0.55,
  /** Factor on a fuzzy hit on a prefix or a later word: base + span × share of the name covered. */
  partialFuzzy: { base: 0.75, span: 0.2 },
  /** Similarity below this is noise; such candidates are not returned at all. */
  fuzzyFloorSimilarity: 0.5,
  /** Score a match needs to be offered as the answer (fuzzy similarity ≈ 0.69: one typo in five letters). */
  matchThreshold: 0.38,
  /** Lead over the runner-up at which the top match is taken as the only answer. */
  clearMargin: 0.1,
  suggestions: 3,
} as const;

const T = MATCH_TUNING;
const SUGGESTION_FLOOR = T.fuzzyWeight * T.fuzzyFloorSimilarity;

// ---- normalisation ------------------------------------------------------------------------

// Only diacritics of Latin/Greek/Cyrillic and the optional vowel marks of Arabic and Hebrew:
// stripping every combining mark would merge different kana (が→か) and break Indic scripts.
const STRIPPED_MARKS =
  /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed]/g;

// Letters that are not "letter + mark" in Unicode, so NFD alone does not fold them.
const LETTER_FOLDS: Readonly<Record<string, string>> = {
  ß: "ss",
  æ: "ae",
  œ: "oe",
  ø: "o",
  đ: "d",
  ð: "d",
  ł: "l",
  þ: "th",
  ı: "i",
  ħ: "h",
  ŧ: "t",
  ς: "σ",
};
const FOLDABLE = /[ßæœøđðłþıħŧς]/g;
const APOSTROPHES = /['\u2019\u02bc`]/g;
const SEPARATORS = /[^\p{L}\p{N}\p{M}]+/gu;
const SINGLE_LATIN_LETTER = /^[a-z]$/;

// Legal forms as whole tokens, after punctuation is gone and "s.a." has become "sa".
const LEGAL_SUFFIX_TOKENS = new Set([
  "inc",
  "incorporated",
  "corp",
  "corporation",
  "co",
  "company",
  "ltd",
  "limited",
  "llc",
  "llp",
  "lp",
  "plc",
  "pllc",
  "gmbh",
  "mbh",
  "ag",
  "kg",
  "kgaa",
  "ohg",
  "ug",
  "ev",
  "se",
  "sa",
  "sas",
  "sarl",
  "srl",
  "spa",
  "sl",
  "slu",
  "bv",
  "nv",
  "oy",
  "oyj",
  "ab",
  "as",
  "asa",
  "aps",
  "kk",
  "pte",
  "pty",
  "pvt",
  "sdn",
  "bhd",
  "ltda",
  "sro",
  "kft",
  "zrt",
  "jsc",
  "pjsc",
  "ojsc",
  "cjsc",
  "group",
  "holding",
  "holdings",
  "ооо",
  "оао",
  "зао",
  "пао",
]);
const LEGAL_PREFIX_TOKENS = new Set(["the", "pt", "ооо", "оао", "зао", "пао", "ао", "ип", "주", "株"]);

// CJK legal forms are written without a space, so they are cut off the end (or start) of a token.
// Longest first, so "股份有限公司" goes before "有限公司" and "公司".
const CJK_LEGAL_SUFFIXES = [
  "集团股份有限公司",
  "股份有限公司",
  "有限责任公司",
  "有限責任公司",
  "有限公司",
  "株式会社",
  "有限会社",
  "合同会社",
  "주식회사",
  "유한회사",
  "总公司",
  "總公司",
  "集团",
  "集團",
  "公司",
];
const CJK_LEGAL_PREFIXES = ["株式会社", "有限会社", "合同会社", "주식회사", "유한회사"];

interface NameForms {
  /** Normalised, legal form kept. */
  readonly full: string;
  /** Normalised, legal form dropped: what `normalizeName` returns. */
  readonly core: string;
}

// Printable ASCII; anything else (tabs included) takes the full Unicode path.
const ASCII_ONLY = /^[ -~]*$/;

function normalizedTokens(text: string): string[] {
  // Unicode normalisation is a no-op on ASCII, which most names are; skipping it halves index builds.
  const folded = ASCII_ONLY.test(text)
    ? text.toLowerCase().replace(APOSTROPHES, "")
    : text
        .normalize("NFKC")
        .toLowerCase()
        .normalize("NFD")
        .replace(STRIPPED_MARKS, "")
        .normalize("NFC")
        .replace(FOLDABLE, (ch) => LETTER_FOLDS[ch] ?? ch)
        .replace(APOSTROPHES, "");
  const raw = folded.replace(SEPARATORS, " ").trim();
  if (raw === "") return [];
  // "S.A.", "I.B.M." arrive as runs of single letters; joining them lets "sa" and "ibm" match.
  const tokens: string[] = [];
  let run = "";
  for (const token of raw.split(" ")) {
    if (SINGLE_LATIN_LETTER.test(token)) {
      run += token;
      continue;
    }
    if (run) tokens.push(run);
    run = "";
    tokens.push(token);
  }
  if (run) tokens.push(run);
  return tokens;
}

function stripLegalForms(tokens: readonly string[]): string[] {
  const out = [...tokens];
  let changed = true;
  while (changed && out.length > 0) {
    changed = false;
    const last = out[out.length - 1] ?? "";
    const first = out[0] ?? "";
    if (out.length > 1 && LEGAL_SUFFIX_TOKENS.has(last)) {
      out.pop();
      changed = true;
      continue;
    }
    if (out.length > 1 && LEGAL_PREFIX_TOKENS.has(first)) {
      out.shift();
      changed = true;
      continue;
    }
    const suffix = CJK_LEGAL_SUFFIXES.find((s) => last.endsWith(s));
    if (suffix !== undefined) {
      if (last.length > suffix.length) out[out.length - 1] = last.slice(0, -suffix.length);
      else if (out.length > 1) out.pop();
      else continue;
      changed = true;
      continue;
    }
    const prefix = CJK_LEGAL_PREFIXES.find((p) => first.startsWith(p));
    if (prefix !== undefined) {
      if (first.length > prefix.length) out[0] = first.slice(prefix.length);
      else if (out.length > 1) out.shift();
      else continue;
      changed = true;
    }
  }
  return out;
}

function nameForms(text: string): NameForms {
  const tokens = normalizedTokens(text);
  return { full: tokens.join(" "), core: stripLegalForms(tokens).join(" ") };
}

/**
 * Comparable form of a company name: NFKC, lowercase (locale-independent), diacritics stripped,
 * punctuation and whitespace collapsed to single spaces, legal forms (Inc, GmbH, 有限公司 …)
 * dropped as long as something else remains.
 */
export function normalizeName(text: string): string {
  return nameForms(text).core;
}

// External ids are compared without case or separators: "C-1001" and "c1001" are the same id.
function compactId(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(SEPARATORS, "");
}

function codePoints(text: string): Int32Array {
  const out = new Int32Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i) ?? 0;
    out[n++] = cp;
    if (cp > 0xffff) i++;
  }
  return n === out.length ? out : out.slice(0, n);
}

const SPACE = 0x20;

// Characters get small ids per index so that a bigram key stays a small integer: V8 hashes
// those far faster than the large numbers raw code-point pairs would give.
const SMALL_ID_LIMIT = 0x8000;

function bigramKey(first: number, second: number): number {
  return first < SMALL_ID_LIMIT && second < SMALL_ID_LIMIT
    ? first * SMALL_ID_LIMIT + second
    : SMALL_ID_LIMIT * SMALL_ID_LIMIT + first * 0x200000 + second;
}

/** Small ids for characters: a flat table for the Basic Multilingual Plane, a map beyond it. */
class CharIds {
  private readonly bmp = new Int32Array(0x10000);
  private readonly astral = new Map<number, number>();
  private count = 0;

  /** The id of `cp`, or -1 if it was never seen and `assign` is false. */
  idOf(cp: number, assign: boolean): number {
    const known = cp < 0x10000 ? (this.bmp[cp] ?? 0) : (this.astral.get(cp) ?? 0);
    if (known !== 0 || !assign) return known === 0 ? -1 : known;
    this.count += 1;
    if (cp < 0x10000) this.bmp[cp] = this.count;
    else this.astral.set(cp, this.count);
    return this.count;
  }
}

/**
 * Distinct bigrams of a name with its spaces skipped, as keys. With `assign`, unseen characters
 * get new ids; without (queries), a bigram with an unseen character gets a unique negative key:
 * it is in no posting list but still counts towards the query's bigram total.
 */
function distinctBigrams(
  codes: ArrayLike<number>,
  from: number,
  to: number,
  charIds: CharIds,
  assign: boolean,
): number[] {
  const keys: number[] = [];
  let previousId = 0;
  let unseen = 0;
  for (let i = from; i < to; i++) {
    const cp = codes[i] ?? SPACE;
    if (cp === SPACE) continue;
    const currentId = charIds.idOf(cp, assign);
    if (previousId !== 0) {
      const key = previousId < 0 || currentId < 0 ? -1 - unseen++ : bigramKey(previousId, currentId);
      // Names are short: a linear scan beats allocating a Set per name.
      if (!keys.includes(key)) keys.push(key);
    }
    previousId = currentId;
  }
  return keys;
}

// ---- index --------------------------------------------------------------------------------

// Growable Int32Array: building the index pushes millions of integers, which plain arrays
// handle far more slowly.
class IntBuffer {
  private data = new Int32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  at(i: number): number {
    return this.data[i] ?? 0;
  }

  /** A view of [from, to); valid until the next push. */
  view(from: number, to: number): Int32Array {
    return this.data.subarray(from, to);
  }

  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * Precomputed forms of every candidate; build once per account list and reuse across queries.
 * Per-entry data (one entry per name and per alias) lives in flat typed arrays with offsets,
 * because a small typed array per name made building 100,000 accounts GC-bound.
 */
export interface MatchIndex {
  readonly size: number;
  readonly ids: readonly string[];
  readonly externalIds: readonly string[];
  readonly externalCompact: readonly string[];
  readonly entryCandidate: Int32Array;
  readonly entryIsAlias: Uint8Array;
  readonly entryText: readonly string[];
  readonly entryFull: readonly string[];
  readonly entryCore: readonly string[];
  readonly entryTight: readonly string[];
  /** Code points of every core name back to back; entry e is codes[codeStart[e], codeStart[e + 1]). */
  readonly codes: Int32Array;
  readonly codeStart: Int32Array;
  /** [start, end) offsets into `codes` of each word after the first; entry e owns pairs wordStart[e]..wordStart[e + 1]. */
  readonly words: Int32Array;
  readonly wordStart: Int32Array;
  readonly entryBigramCount: Uint16Array;
  /** Bigram key -> slot; slot s lists entries postings[postingStart[s], postingStart[s + 1]). */
  readonly bigramSlot: ReadonlyMap<number, number>;
  readonly postings: Int32Array;
  readonly postingStart: Int32Array;
  readonly charIds: CharIds;
}

export function buildMatchIndex(candidates: readonly AccountCandidate[]): MatchIndex {
  const ids: string[] = [];
  const externalIds: string[] = [];
  const externalCompact: string[] = [];
  const entryCandidate: number[] = [];
  const entryIsAlias: number[] = [];
  const entryText: string[] = [];
  const entryFull: string[] = [];
  const entryCore: string[] = [];
  const entryTight: string[] = [];
  const codes = new IntBuffer();
  const codeStart = new IntBuffer();
  codeStart.push(0);
  const words = new IntBuffer();
  const wordStart = new IntBuffer();
  wordStart.push(0);
  const entryBigramCount: number[] = [];
  const charIds = new CharIds();
  const bigramSlot = new Map<number, number>();
  const slotSize: number[] = [];
  const pairSlot = new IntBuffer();

  const addEntry = (candidate: number, text: string, isAlias: boolean): void => {
    const forms = nameForms(text);
    if (forms.core === "") return;
    const from = codes.length;
    const core = forms.core;
    for (let i = 0; i < core.length; i++) {
      const cp = core.codePointAt(i) ?? 0;
      codes.push(cp);
      if (cp > 0xffff) i++;
    }
    const to = codes.length;
    codeStart.push(to);
    let wordIndex = 0;
    let wordFrom = -1;
    for (let i = from; i <= to; i++) {
      const isSpace = i === to || codes.at(i) === SPACE;
      if (!isSpace && wordFrom < 0) wordFrom = i;
      if (isSpace && wordFrom >= 0) {
        if (wordIndex > 0) {
          words.push(wordFrom);
          words.push(i);
        }
        wordIndex += 1;
        wordFrom = -1;
      }
    }
    wordStart.push(words.length);
    const keys = distinctBigrams(codes.view(from, to), 0, to - from, charIds, true);
    for (const key of keys) {
      let slot = bigramSlot.get(key);
      if (slot === undefined) {
        slot = slotSize.length;
        bigramSlot.set(key, slot);
        slotSize.push(0);
      }
      slotSize[slot] = (slotSize[slot] ?? 0) + 1;
      pairSlot.push(slot);
    }
    entryCandidate.push(candidate);
    entryIsAlias.push(isAlias ? 1 : 0);
    entryText.push(text);
    entryFull.push(forms.full);
    entryCore.push(forms.core);
    entryTight.push(forms.core.replaceAll(" ", ""));
    entryBigramCount.push(Math.min(keys.length, 0xffff));
  };

  candidates.forEach((candidate, i) => {
    ids.push(candidate.id);
    externalIds.push(candidate.externalId);
    externalCompact.push(compactId(candidate.externalId));
    addEntry(i, candidate.name, false);
    for (const alias of candidate.aliases) addEntry(i, alias, true);
  });

  // Counting sort of (bigram, entry) pairs into one array: entries are added in order, so each
  // posting list comes out ascending without a per-bigram array.
  const postingStart = new Int32Array(slotSize.length + 1);
  for (let slot = 0; slot < slotSize.length; slot++) {
    postingStart[slot + 1] = (postingStart[slot] ?? 0) + (slotSize[slot] ?? 0);
  }
  const fill = postingStart.slice(0, slotSize.length);
  const postings = new Int32Array(pairSlot.length);
  let pair = 0;
  for (let entry = 0; entry < entryBigramCount.length; entry++) {
    const count = entryBigramCount[entry] ?? 0;
    for (let k = 0; k < count; k++) {
      const slot = pairSlot.at(pair++);
      const at = fill[slot] ?? 0;
      postings[at] = entry;
      fill[slot] = at + 1;
    }
  }

  return {
    size: ids.length,
    ids,
    externalIds,
    externalCompact,
    entryCandidate: Int32Array.from(entryCandidate),
    entryIsAlias: Uint8Array.from(entryIsAlias),
    entryText,
    entryFull,
    entryCore,
    entryTight,
    codes: codes.toArray(),
    codeStart: codeStart.toArray(),
    words: words.toArray(),
    wordStart: wordStart.toArray(),
    entryBigramCount: Uint16Array.from(entryBigramCount),
    bigramSlot,
    postings,
    postingStart,
    charIds,
  };
}

// ---- edit distance ------------------------------------------------------------------------

// Reused rows: ranking runs this up to hundreds of thousands of times per query.
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);
let rowC = new Int32Array(64);
let prefixDistanceOut = 0;

/**
 * Optimal-string-alignment distance (Damerau-Levenshtein with adjacent transpositions) between
 * `a` and the first `columns` code points of `b`, giving up once it must exceed `maxDistance`.
 * Returns the distance to b[0..columns) and leaves in `prefixDistanceOut` the distance to the
 * closest prefix of it (how far `a` is from being the start of `b`).
 */
function boundedOsa(
  a: Int32Array,
  b: Int32Array,
  bStart: number,
  columns: number,
  maxDistance: number,
): number {
  const m = a.length;
  if (rowA.length <= columns) {
    const size = columns * 2 + 1;
    rowA = new Int32Array(size);
    rowB = new Int32Array(size);
    rowC = new Int32Array(size);
  }
  let twoBack = rowA;
  let previous = rowB;
  let current = rowC;
  for (let j = 0; j <= columns; j++) previous[j] = j;
  let previousMin = 0;
  for (let i = 1; i <= m; i++) {
    const ai = a[i - 1] ?? -1;
    const aPrev = i > 1 ? (a[i - 2] ?? -1) : -1;
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= columns; j++) {
      const bj = b[bStart + j - 1] ?? -2;
      const substitution = (previous[j - 1] ?? 0) + (ai === bj ? 0 : 1);
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
      if (i > 1 && j > 1 && ai === b[bStart + j - 2] && aPrev === bj) {
        value = Math.min(value, (twoBack[j - 2] ?? 0) + 1);
      }
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > maxDistance && previousMin > maxDistance) {
      prefixDistanceOut = maxDistance + 1;
      return maxDistance + 1;
    }
    previousMin = rowMin;
    const spare = twoBack;
    twoBack = previous;
    previous = current;
    current = spare;
  }
  let prefixBest = previous[0] ?? m;
  for (let j = 1; j <= columns; j++) prefixBest = Math.min(prefixBest, previous[j] ?? m);
  prefixDistanceOut = prefixBest;
  return previous[columns] ?? m;
}

// A fuzzy hit on the start of a name or on one of its words counts less than one on the whole
// name, and less the smaller the share of the name it covers: "acmee" is closer to "ACME" than
// to "Acme Widgets".
function partialFactor(covered: number, total: number): number {
  return T.partialFuzzy.base + T.partialFuzzy.span * Math.min(1, covered / Math.max(1, total));
}

// Largest edit distance that can still reach `minSimilarity` after scaling by `factor`; -1 if none can.
function editBudget(length: number, factor: number, minSimilarity: number): number {
  if (minSimilarity > factor) return -1;
  return Math.floor((1 - minSimilarity / factor) * length + 1e-9);
}

/**
 * Best fuzzy similarity (0..1) of the query against entry `e` from edit distance alone, or 0
 * when it cannot reach `minSimilarity` (which bounds the edit distance worth computing).
 */
function editSimilarity(index: MatchIndex, query: Int32Array, e: number, minSimilarity: number): number {
  const m = query.length;
  const from = index.codeStart[e] ?? 0;
  const n = (index.codeStart[e + 1] ?? from) - from;
  const longer = Math.max(m, n);
  let best = 0;
  const fullMax = editBudget(longer, 1, minSimilarity);
  const fullPossible = fullMax >= 0 && Math.abs(n - m) <= fullMax;
  // Typo'd prefixes only for queries long enough that a prefix says something about the name.
  const prefixFactor = partialFactor(m, n);
  const prefixMax = m >= 4 && n > m ? editBudget(m, prefixFactor, minSimilarity) : -1;
  if (fullPossible || prefixMax >= 0) {
    const maxDistance = Math.max(fullPossible ? fullMax : -1, prefixMax);
    const columns = fullPossible ? n : Math.min(n, m + maxDistance);
    const full = boundedOsa(query, index.codes, from, columns, maxDistance);
    if (fullPossible && full <= fullMax) best = 1 - full / longer;
    if (prefixMax >= 0 && prefixDistanceOut <= prefixMax) {
      best = Math.max(best, (1 - prefixDistanceOut / m) * prefixFactor);
    }
  }
  const wordsEnd = index.wordStart[e + 1] ?? 0;
  for (let w = index.wordStart[e] ?? 0; w < wordsEnd; w += 2) {
    const start = index.words[w] ?? 0;
    const wordLength = (index.words[w + 1] ?? 0) - start;
    const wordLonger = Math.max(m, wordLength);
    const factor = partialFactor(wordLength, n);
    const wordMax = editBudget(wordLonger, factor, minSimilarity);
    if (wordMax < 0 || Math.abs(wordLength - m) > wordMax) continue;
    const d = boundedOsa(query, index.codes, start, wordLength, wordMax);
    if (d <= wordMax) best = Math.max(best, (1 - d / wordLonger) * factor);
  }
  return best >= minSimilarity ? best : 0;
}

// ---- ranking ------------------------------------------------------------------------------

const EXTERNAL_ID = -2;
const NO_ENTRY = -1;
const MAX_QUERY_LENGTH = 200;

function bandScore(
  band: { readonly base: number; readonly span: number },
  covered: number,
  total: number,
): number {
  return band.base + band.span * Math.min(1, covered / Math.max(1, total));
}

// Where the query sits inside a longer name: at the start of a later word, or mid-word.
function innerMatchScore(core: string, query: string): number {
  let best = 0;
  let at = core.indexOf(query, 1);
  while (at > 0) {
    const band = core[at - 1] === " " ? T.wordStart : T.substring;
    best = Math.max(best, bandScore(band, query.length, core.length));
    if (band === T.wordStart) break;
    at = core.indexOf(query, at + 1);
  }
  return best;
}

interface Hit {
  readonly candidate: number;
  readonly score: number;
  readonly entry: number;
}

function matchedOnOf(index: MatchIndex, entry: number): MatchedOn {
  if (entry === EXTERNAL_ID) return "externalId";
  return index.entryIsAlias[entry] === 1 ? "alias" : "name";
}

const MATCHED_ON_ORDER: Readonly<Record<MatchedOn, number>> = { externalId: 0, name: 1, alias: 2 };

function matchedTextOf(index: MatchIndex, hit: Hit): string {
  return hit.entry === EXTERNAL_ID
    ? (index.externalIds[hit.candidate] ?? "")
    : (index.entryText[hit.entry] ?? "");
}

// Score first; then the kind of match; then the shorter text (closer to what was typed); then stable ids.
function compareHits(index: MatchIndex, a: Hit, b: Hit): number {
  if (a.score !== b.score) return b.score - a.score;
  const kind = MATCHED_ON_ORDER[matchedOnOf(index, a.entry)] - MATCHED_ON_ORDER[matchedOnOf(index, b.entry)];
  if (kind !== 0) return kind;
  const textA = matchedTextOf(index, a);
  const textB = matchedTextOf(index, b);
  if (textA.length !== textB.length) return textA.length - textB.length;
  if (textA !== textB) return textA < textB ? -1 : 1;
  const idA = index.ids[a.candidate] ?? "";
  const idB = index.ids[b.candidate] ?? "";
  return idA < idB ? -1 : idA > idB ? 1 : 0;
}

/**
 * Candidates for a query, best first, at most `limit`, none below the suggestion floor. Pass an
 * index from `buildMatchIndex` (cache it); a plain candidate list is indexed on the fly.
 */
export function rankAccounts(
  query: string,
  source: MatchIndex | readonly AccountCandidate[],
  limit = 5,
): RankedAccount[] {
  const index = isIndex(source) ? source : buildMatchIndex(source);
  // No company name is this long; the cap bounds the work a pasted paragraph could cause.
  const text = query.length > MAX_QUERY_LENGTH ? query.slice(0, MAX_QUERY_LENGTH) : query;
  const q = nameForms(text);
  const qCompact = compactId(text);
  if (limit < 1 || (q.core === "" && qCompact === "")) return [];

  const best = new Float64Array(index.size);
  const bestEntry = new Int32Array(index.size).fill(NO_ENTRY);
  const leaders = new Leaders(limit);
  const offer = (candidate: number, score: number, entry: number): void => {
    if (score > (best[candidate] ?? 0)) {
      best[candidate] = score;
      bestEntry[candidate] = entry;
      leaders.offer(candidate, score);
    }
  };

  if (qCompact !== "") {
    for (let c = 0; c < index.size; c++) {
      const ext = index.externalCompact[c] ?? "";
      if (ext === "") continue;
      if (ext === qCompact) offer(c, T.exact, EXTERNAL_ID);
      else if (qCompact.length >= 3 && ext.startsWith(qCompact)) {
        offer(c, bandScore(T.prefix, qCompact.length, ext.length), EXTERNAL_ID);
      }
    }
  }

  const qCore = q.core;
  const qTight = qCore.replaceAll(" ", "");
  const entries = index.entryCore.length;
  if (qCore !== "") {
    for (let e = 0; e < entries; e++) {
      const core = index.entryCore[e] ?? "";
      let score = 0;
      if (index.entryFull[e] === q.full) score = T.exact;
      else if (core === qCore) score = T.exactCore;
      else if (index.entryTight[e] === qTight) score = T.exactTight;
      else if (core.startsWith(qCore)) score = bandScore(T.prefix, qCore.length, core.length);
      if (score > 0) offer(index.entryCandidate[e] ?? 0, score, e);
    }
  }

  const qCodes = codePoints(qCore);
  if (qCodes.length >= 2) bigramPass(index, qCore, qCodes, offer, best, leaders);

  return topHits(index, best, bestEntry, limit).map((hit) => ({
    id: index.ids[hit.candidate] ?? "",
    score: Math.round(hit.score * 10_000) / 10_000,
    matchedOn: matchedOnOf(index, hit.entry),
    matchedText: matchedTextOf(index, hit),
  }));
}

/**
 * The `limit` best scores so far, one per candidate. Once it is full, its lowest score is a bar
 * that a fuzzy candidate must be able to reach to be worth an edit-distance computation.
 */
class Leaders {
  private readonly candidates: number[] = [];
  private readonly scores: number[] = [];
  private lowest = 0;

  constructor(private readonly capacity: number) {}

  /** Scores strictly below this cannot enter the result. */
  get bar(): number {
    return this.candidates.length < this.capacity ? 0 : this.lowest;
  }

  offer(candidate: number, score: number): void {
    const at = this.candidates.indexOf(candidate);
    if (at >= 0) this.scores[at] = Math.max(this.scores[at] ?? 0, score);
    else if (this.candidates.length < this.capacity) {
      this.candidates.push(candidate);
      this.scores.push(score);
    } else {
      if (score <= this.lowest) return;
      const weakest = this.scores.indexOf(this.lowest);
      this.candidates[weakest] = candidate;
      this.scores[weakest] = score;
    }
    this.lowest = Math.min(...this.scores);
  }
}

/**
 * Matches inside names and fuzzy matches, only for entries sharing a character bigram with the
 * query: a substring shares all of them, one typo leaves most intact, and posting lists keep this
 * cheap for names without spaces (CJK) too. Entries are visited from most to fewest shared
 * bigrams. Each edit removes at most three of the query's distinct bigrams, so `shared` caps the
 * reachable similarity; once that cap falls below what the current top `limit` already have, the
 * rest is skipped.
 */
function bigramPass(
  index: MatchIndex,
  qCore: string,
  qCodes: Int32Array,
  offer: (candidate: number, score: number, entry: number) => void,
  best: Float64Array,
  leaders: Leaders,
): void {
  const qBigrams = distinctBigrams(qCodes, 0, qCodes.length, index.charIds, false);
  const bigramCount = qBigrams.length;
  if (bigramCount === 0) return;
  const entries = index.entryCore.length;
  const shared = new Uint16Array(entries);
  const touched = new Int32Array(entries);
  let touchedCount = 0;
  for (const bigram of qBigrams) {
    const slot = index.bigramSlot.get(bigram);
    if (slot === undefined) continue;
    const end = index.postingStart[slot + 1] ?? 0;
    for (let i = index.postingStart[slot] ?? 0; i < end; i++) {
      const e = index.postings[i] ?? 0;
      const before = shared[e] ?? 0;
      if (before === 0) touched[touchedCount++] = e;
      shared[e] = before + 1;
    }
  }
  // Counting sort of the touched entries by shared bigrams, most first.
  const bucketStart = new Int32Array(bigramCount + 2);
  for (let i = 0; i < touchedCount; i++) {
    const slot = (shared[touched[i] ?? 0] ?? 0) + 1;
    bucketStart[slot] = (bucketStart[slot] ?? 0) + 1;
  }
  for (let c = 1; c < bucketStart.length; c++)
    bucketStart[c] = (bucketStart[c] ?? 0) + (bucketStart[c - 1] ?? 0);
  const fill = bucketStart.slice();
  const ordered = new Int32Array(touchedCount);
  for (let i = 0; i < touchedCount; i++) {
    const e = touched[i] ?? 0;
    const c = shared[e] ?? 0;
    const at = fill[c] ?? 0;
    ordered[at] = e;
    fill[c] = at + 1;
  }

  // Only entries holding every bigram of the query can contain it.
  for (let i = bucketStart[bigramCount] ?? 0; i < touchedCount; i++) {
    const e = ordered[i] ?? 0;
    const core = index.entryCore[e] ?? "";
    if (core.length > qCore.length) {
      const score = innerMatchScore(core, qCore);
      if (score > 0) offer(index.entryCandidate[e] ?? 0, score, e);
    }
  }

  const m = qCodes.length;
  for (let common = bigramCount; common >= 1; common--) {
    const minEdits = Math.ceil((bigramCount - common) / 3);
    const reachable = Math.max((2 * common) / (bigramCount + common), 1 - minEdits / (m + minEdits));
    const floor = Math.max(T.fuzzyFloorSimilarity, leaders.bar / T.fuzzyWeight);
    if (reachable < floor) break;
    const end = bucketStart[common + 1] ?? 0;
    for (let i = bucketStart[common] ?? 0; i < end; i++) {
      const e = ordered[i] ?? 0;
      const candidate = index.entryCandidate[e] ?? 0;
      const current = best[candidate] ?? 0;
      if (current >= T.fuzzyWeight * reachable) continue;
      const needed = Math.max(T.fuzzyFloorSimilarity, leaders.bar / T.fuzzyWeight, current / T.fuzzyWeight);
      const dice = (2 * common) / (bigramCount + (index.entryBigramCount[e] ?? 0));
      const edit = dice < reachable ? editSimilarity(index, qCodes, e, needed) : 0;
      const similarity = Math.max(dice, edit);
      if (similarity >= needed) offer(candidate, T.fuzzyWeight * similarity, e);
    }
  }
}

// Keeps the best `limit` hits in a small sorted array instead of sorting every candidate.
function topHits(index: MatchIndex, best: Float64Array, bestEntry: Int32Array, limit: number): Hit[] {
  const top: Hit[] = [];
  for (let c = 0; c < best.length; c++) {
    const score = best[c] ?? 0;
    if (score < SUGGESTION_FLOOR) continue;
    const hit: Hit = { candidate: c, score, entry: bestEntry[c] ?? NO_ENTRY };
    if (top.length === limit) {
      const worst = top[top.length - 1];
      if (worst && compareHits(index, hit, worst) >= 0) continue;
      top.pop();
    }
    let at = top.length;
    while (at > 0) {
      const before = top[at - 1];
      if (!before || compareHits(index, hit, before) >= 0) break;
      at -= 1;
    }
    top.splice(at, 0, hit);
  }
  return top;
}

function isIndex(source: MatchIndex | readonly AccountCandidate[]): source is MatchIndex {
  return !Array.isArray(source);
}

/**
 * What to do with a ranked list (best first, as `rankAccounts` returns it; rank with limit ≥ 2
 * so the runner-up is known). "one": the only match, an exact match strictly better than the
 * rest, or a lead of at least `clearMargin`. "several": other matches are too close to call.
 * "none": nothing reaches `matchThreshold`; the closest few are offered as suggestions.
 */
export function classifyMatch(ranked: readonly RankedAccount[]): MatchVerdict {
  const matches = ranked.filter((r) => r.score >= T.matchThreshold);
  const top = matches[0];
  if (!top) return { kind: "none", suggestions: ranked.slice(0, T.suggestions) };
  const second = matches[1];
  if (!second) return { kind: "one", id: top.id };
  const exactAhead = top.score >= T.exactTight && top.score > second.score;
  if (exactAhead || top.score - second.score >= T.clearMargin - 1e-9) return { kind: "one", id: top.id };
  return { kind: "several", ids: matches.map((m) => m.id) };
}
