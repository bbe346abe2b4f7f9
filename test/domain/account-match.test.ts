// Fuzzy customer lookup: normalisation, ranking across scripts and typos, and the match verdict.
import { describe, expect, it } from "vitest";
import {
  type AccountCandidate,
  buildMatchIndex,
  classifyMatch,
  MATCH_TUNING,
  normalizeName,
  type RankedAccount,
  rankAccounts,
} from "../../src/domain/account-match.ts";

function account(id: string, name: string, aliases: string[] = [], externalId = ""): AccountCandidate {
  return { id, name, aliases, externalId };
}

const ACCOUNTS: AccountCandidate[] = [
  account("acme", "ACME Corporation", [], "C-1001"),
  account("muller", "Müller GmbH", ["Mueller"], "C-1002"),
  account("huawei", "华为技术有限公司", ["Huawei"], "C-1003"),
  account("alibaba", "阿里巴巴集团", ["Alibaba Group"], "C-1004"),
  account("globex", "Globex Inc", [], "C-1006"),
  account("initech", "Initech", [], "C-1007"),
  account("romashka", "ООО «Ромашка»", [], "RU-77"),
  account("aramco", "أرامكو السعودية", ["Saudi Aramco"], "SA-1"),
  account("toyota", "トヨタ自動車株式会社", ["Toyota Motor"], "JP-7203"),
  account("home-depot", "The Home Depot, Inc.", [], "HD-1"),
  account("mcd", "McDonald's Corp.", [], "MCD-9"),
  account("nestle", "Nestlé S.A.", [], "CH-1"),
  account("sony", "ソニーグループ株式会社", ["Sony"], "JP-6758"),
];
const INDEX = buildMatchIndex(ACCOUNTS);

describe("normalizeName", () => {
  it.each([
    ["ACME Corporation", "acme"],
    ["  Müller   GmbH ", "muller"],
    ["Nestlé S.A.", "nestle"],
    ["Siemens AG", "siemens"],
    ["GmbH & Co. KG", "gmbh"],
    ["Limited", "limited"],
    ["Co.", "co"],
    ["Acme Holdings Group Ltd", "acme"],
    ["The Home Depot, Inc.", "home depot"],
    ["McDonald's Corp.", "mcdonalds"],
    ["I.B.M. Corp", "ibm"],
    ["3M Company", "3m"],
    ["A.P. Møller - Mærsk A/S", "ap moller maersk"],
    ["Straße AG", "strasse"],
    ["İSTANBUL Ltd", "istanbul"],
    ["ＡＣＭＥ\u3000Ｉｎｃ", "acme"],
    ["华为技术有限公司", "华为技术"],
    ["阿里巴巴集团", "阿里巴巴"],
    ["阿里巴巴（中国）有限公司", "阿里巴巴 中国"],
    ["中国平安保险(集团)股份有限公司", "中国平安保险"],
    ["有限公司", "有限公司"],
    ["トヨタ自動車株式会社", "トヨタ自動車"],
    ["株式会社資生堂", "資生堂"],
    ["ﾄﾖﾀ", "トヨタ"],
    ["ブリヂストン", "ブリヂストン"],
    ["(주)삼성전자", "삼성전자"],
    ["ООО «Ромашка»", "ромашка"],
    ["Ёлка", "елка"],
    ["أرامكو السعودية", "ارامكو السعودية"],
    ["ΟΔΟΣ", "οδοσ"],
    ["", ""],
    ["!!! ---", ""],
  ])("%j -> %j", (input, expected) => {
    expect(normalizeName(input)).toBe(expected);
  });
});

describe("rankAccounts", () => {
  it.each<[string, string, RankedAccount["matchedOn"], string]>([
    // exact external id, with or without separators and case
    ["C-1003", "huawei", "externalId", "C-1003"],
    ["c1003", "huawei", "externalId", "C-1003"],
    // exact names and aliases once normalised
    ["华为技术", "huawei", "name", "华为技术有限公司"],
    ["阿里巴巴", "alibaba", "name", "阿里巴巴集团"],
    ["muller", "muller", "name", "Müller GmbH"],
    ["mueller", "muller", "alias", "Mueller"],
    ["sony", "sony", "alias", "Sony"],
    ["ромашка", "romashka", "name", "ООО «Ромашка»"],
    ["Ромашка ООО", "romashka", "name", "ООО «Ромашка»"],
    ["home depot", "home-depot", "name", "The Home Depot, Inc."],
    ["mcdonalds", "mcd", "name", "McDonald's Corp."],
    ["mc donalds", "mcd", "name", "McDonald's Corp."],
    ["nestle", "nestle", "name", "Nestlé S.A."],
    // prefixes, also in scripts without spaces
    ["华为", "huawei", "name", "华为技术有限公司"],
    ["トヨタ", "toyota", "name", "トヨタ自動車株式会社"],
    ["ソニー", "sony", "name", "ソニーグループ株式会社"],
    ["ارامكو", "aramco", "name", "أرامكو السعودية"],
    ["toyota", "toyota", "alias", "Toyota Motor"],
    ["acm corp", "acme", "name", "ACME Corporation"],
    ["glo", "globex", "name", "Globex Inc"],
    // inside a name
    ["depot", "home-depot", "name", "The Home Depot, Inc."],
    ["技术", "huawei", "name", "华为技术有限公司"],
    // typos
    ["acmee", "acme", "name", "ACME Corporation"],
    ["initek", "initech", "name", "Initech"],
    ["nestel", "nestle", "name", "Nestlé S.A."],
    ["huawe", "huawei", "alias", "Huawei"],
    ["aramco saudi", "aramco", "alias", "Saudi Aramco"],
  ])("%j finds %s by %s", (query, id, matchedOn, matchedText) => {
    const [top] = rankAccounts(query, INDEX);
    expect(top).toMatchObject({ id, matchedOn, matchedText });
  });

  it.each([
    ["exact external id", "C-1001", 1],
    ["exact name with its legal form", "Globex Inc.", 1],
    ["exact name without its legal form", "globex", MATCH_TUNING.exactCore],
    ["same letters without spaces", "mc donalds", MATCH_TUNING.exactTight],
  ])("scores an %s at the top of the scale", (_name, query, score) => {
    expect(rankAccounts(query, INDEX)[0]?.score).toBe(score);
  });

  it("orders the tiers: exact > prefix > word > substring > fuzzy", () => {
    const accounts = [
      account("exact", "Orion"),
      account("prefix", "Orionis Labs"),
      account("word", "Big Orion Foods"),
      account("substring", "Memorion"),
      account("fuzzy", "Oryon"),
    ];
    expect(rankAccounts("orion", accounts).map((r) => r.id)).toEqual([
      "exact",
      "prefix",
      "word",
      "substring",
      "fuzzy",
    ]);
  });

  it("a swapped pair of letters costs one edit, not two", () => {
    // "inietch" vs "initech": one transposition (similarity 6/7); plain Levenshtein would say 2.
    const [top] = rankAccounts("inietch", [account("initech", "Initech")]);
    expect(top?.score).toBeCloseTo(MATCH_TUNING.fuzzyWeight * (6 / 7), 4);
  });

  it("pruning by shared bigrams keeps a transposition that lost three of them", () => {
    // The distractors share 5 of the query's 7 bigrams but are 2 edits away; the target shares
    // only 4 (a swap breaks three) yet is 1 edit away, so it must still come first.
    const distractors = ["abcdefXY", "abcdefXZ", "abcdefXW", "abcdefQY", "abcdefQZ"].map((name) =>
      account(name, name),
    );
    const ranked = rankAccounts("abcdefgh", [...distractors, account("target", "abdcefgh")]);
    expect(ranked[0]?.id).toBe("target");
  });

  it("prefers the name that the query covers more of", () => {
    const ranked = rankAccounts("glob", [
      account("long", "Globalization Partners"),
      account("short", "Globo"),
    ]);
    expect(ranked.map((r) => r.id)).toEqual(["short", "long"]);
  });

  it("returns nothing for an empty or punctuation-only query", () => {
    expect(rankAccounts("", INDEX)).toEqual([]);
    expect(rankAccounts("  ", INDEX)).toEqual([]);
    expect(rankAccounts("?!", INDEX)).toEqual([]);
  });

  it("drops candidates below the fuzzy floor", () => {
    expect(rankAccounts("xyzzy", INDEX)).toEqual([]);
    expect(rankAccounts("qqqqqqqq", INDEX)).toEqual([]);
    for (const r of rankAccounts("ini", INDEX)) {
      expect(r.score).toBeGreaterThanOrEqual(MATCH_TUNING.fuzzyWeight * MATCH_TUNING.fuzzyFloorSimilarity);
    }
  });

  it("copes with a pasted paragraph instead of a name", () => {
    const paragraph = "Please look up the account for ACME Corporation, thanks! ".repeat(200);
    expect(() => rankAccounts(paragraph, INDEX)).not.toThrow();
  });

  it("respects the limit", () => {
    const many = Array.from({ length: 20 }, (_, i) => account(`a${i}`, `Acme ${i}`));
    expect(rankAccounts("acme", many)).toHaveLength(5);
    expect(rankAccounts("acme", many, 2)).toHaveLength(2);
    expect(rankAccounts("acme", many, 0)).toEqual([]);
  });

  it("ranks ties deterministically: exact kind first, then shorter text, then id", () => {
    const accounts = [account("b", "Zeta Partners"), account("a", "Zeta Partners"), account("c", "Zeta")];
    expect(rankAccounts("zet", accounts).map((r) => r.id)).toEqual(["c", "a", "b"]);
  });

  it("gives the same answer from a candidate list and from a prebuilt index", () => {
    for (const query of ["acme", "华为", "acmee", "c-1002", "depot"]) {
      expect(rankAccounts(query, ACCOUNTS)).toEqual(rankAccounts(query, INDEX));
    }
  });

  it("reports each account once, by its best match", () => {
    const ranked = rankAccounts("huawei", INDEX);
    expect(ranked.filter((r) => r.id === "huawei")).toHaveLength(1);
    expect(ranked[0]).toMatchObject({ id: "huawei", matchedOn: "alias", score: 1 });
  });

  it("an external id does not fuzzy-match another id", () => {
    const ranked = rankAccounts("C-1009", [account("x", "Foo", [], "C-1001")]);
    expect(ranked).toEqual([]);
  });

  it("still finds the right account among many similar ones", () => {
    const syllables = ["ka", "ro", "mi", "tex", "ber", "lin", "dor", "sta", "vel", "gen", "pro", "tri"];
    const generated: AccountCandidate[] = [];
    for (let i = 0; i < 20_000; i++) {
      const name = [i % 12, (i * 7) % 12, (i * 5 + 3) % 12].map((k) => syllables[k]).join("");
      generated.push(account(`g${i}`, `${name} ${["Inc", "GmbH", "有限公司", ""][i % 4]}`, [], `G-${i}`));
    }
    const index = buildMatchIndex([...generated, ...ACCOUNTS]);
    expect(rankAccounts("acmee", index)[0]?.id).toBe("acme");
    expect(rankAccounts("华为", index)[0]?.id).toBe("huawei");
    expect(rankAccounts("G-12345", index)[0]?.id).toBe("g12345");
    expect(classifyMatch(rankAccounts("initech", index))).toEqual({ kind: "one", id: "initech" });
    // Pruning by the current top 5 must not change the top 5.
    for (const query of ["karotex", "krotexx", "stalin dor", "acmee", "berkami"]) {
      expect(rankAccounts(query, index, 5)).toEqual(rankAccounts(query, index, 2_000).slice(0, 5));
    }
  });
});

function ranked(...entries: [string, number][]): RankedAccount[] {
  return entries.map(([id, score]) => ({ id, score, matchedOn: "name", matchedText: id }));
}

describe("classifyMatch", () => {
  it.each<[string, RankedAccount[], ReturnType<typeof classifyMatch>]>([
    ["nothing ranked", [], { kind: "none", suggestions: [] }],
    ["a single match", ranked(["a", 0.5]), { kind: "one", id: "a" }],
    ["two exact matches", ranked(["a", 1], ["b", 1]), { kind: "several", ids: ["a", "b"] }],
    ["exact with legal form beats exact without", ranked(["a", 1], ["b", 0.97]), { kind: "one", id: "a" }],
    ["two equal normalised names", ranked(["a", 0.97], ["b", 0.97]), { kind: "several", ids: ["a", "b"] }],
    ["exact name beats a close prefix", ranked(["a", 0.97], ["b", 0.94]), { kind: "one", id: "a" }],
    ["two close prefixes", ranked(["a", 0.9], ["b", 0.85]), { kind: "several", ids: ["a", "b"] }],
    ["a lead of exactly the margin", ranked(["a", 0.9], ["b", 0.8]), { kind: "one", id: "a" }],
    ["runner-up below the threshold", ranked(["a", 0.45], ["b", 0.3]), { kind: "one", id: "a" }],
    [
      "weak matches are left out of several",
      ranked(["a", 0.9], ["b", 0.85], ["c", 0.3]),
      { kind: "several", ids: ["a", "b"] },
    ],
    [
      "nothing passes: up to three suggestions",
      ranked(["a", 0.37], ["b", 0.33], ["c", 0.3], ["d", 0.29]),
      { kind: "none", suggestions: ranked(["a", 0.37], ["b", 0.33], ["c", 0.3]) },
    ],
  ])("%s", (_name, input, expected) => {
    expect(classifyMatch(input)).toEqual(expected);
  });

  it.each([
    ["acme", "one"],
    ["acm", "several"],
    ["glbx", "none"],
  ])("end to end: %j is %s", (query, kind) => {
    const accounts = [...ACCOUNTS, account("acme-w", "Acme Widgets Ltd", [], "C-1005")];
    expect(classifyMatch(rankAccounts(query, accounts)).kind).toBe(kind);
  });

  it("two subsidiaries with the same name: the legal form decides", () => {
    const accounts = [account("inc", "Acme Inc"), account("gmbh", "Acme GmbH")];
    expect(classifyMatch(rankAccounts("acme", accounts))).toEqual({ kind: "several", ids: ["inc", "gmbh"] });
    expect(classifyMatch(rankAccounts("Acme GmbH", accounts))).toEqual({ kind: "one", id: "gmbh" });
  });

  it("offers the closest names as suggestions when nothing matches well", () => {
    const verdict = classifyMatch(rankAccounts("glbx", INDEX));
    expect(verdict.kind).toBe("none");
    if (verdict.kind === "none") expect(verdict.suggestions.map((s) => s.id)).toEqual(["globex"]);
  });
});
