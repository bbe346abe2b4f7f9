// Speed of `/customer` ranking over 100,000 accounts; run with `npx vitest bench --run test/domain/account-match.bench.ts`.
import { bench, describe } from "vitest";
import { type AccountCandidate, buildMatchIndex, rankAccounts } from "../../src/domain/account-match.ts";

// Deterministic synthetic names: Latin names built from few syllables share many bigrams, which
// is the hard case for the fuzzy pass; a share of Chinese names exercises the no-space path.
function syntheticAccounts(count: number): AccountCandidate[] {
  let seed = 42;
  const random = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const syllables = [
    "ka",
    "ro",
    "mi",
    "tex",
    "ber",
    "lin",
    "dor",
    "sta",
    "vel",
    "gen",
    "pro",
    "tri",
    "nor",
    "sol",
  ];
  const words = [
    "Global",
    "Industrial",
    "Systems",
    "Foods",
    "Logistics",
    "Partners",
    "Medical",
    "Energy",
    "Steel",
  ];
  const suffixes = ["Inc", "Ltd", "GmbH", "LLC", "Corp", "S.A.", "AG", "Co., Ltd.", ""];
  const han =
    "华为阿里巴腾讯中国平安京东百度美团小米联想海尔格力万科招商银行建设工商农业交通电力石油化工钢铁";
  const accounts: AccountCandidate[] = [];
  for (let i = 0; i < count; i++) {
    let name: string;
    if (random() < 0.15) {
      const length = 2 + Math.floor(random() * 5);
      name =
        Array.from({ length }, () => pick([...han])).join("") + pick(["有限公司", "集团", "股份有限公司"]);
    } else {
      const base = Array.from({ length: 2 + Math.floor(random() * 2) }, () => pick(syllables)).join("");
      const word = random() < 0.6 ? `${pick(words)} ` : "";
      name = `${base.charAt(0).toUpperCase()}${base.slice(1)} ${word}${pick(suffixes)}`.trim();
    }
    const aliases = random() < 0.3 ? [`${name.split(" ")[0]} ${pick(words)}`] : [];
    accounts.push({ id: `acc_${i}`, name, aliases, externalId: `C-${100_000 + i}` });
  }
  accounts.push({ id: "acme", name: "ACME Corporation", aliases: [], externalId: "X-1" });
  accounts.push({ id: "huawei", name: "华为技术有限公司", aliases: ["Huawei"], externalId: "X-2" });
  return accounts;
}

const accounts = syntheticAccounts(100_000);
const index = buildMatchIndex(accounts);

describe("rankAccounts over 100,000 accounts", () => {
  for (const query of [
    "acme",
    "acmee",
    "acm corp",
    "华为",
    "karotex",
    "kaberlin industrial",
    "C-150123",
    "zzqqxx",
  ]) {
    bench(JSON.stringify(query), () => {
      rankAccounts(query, index);
    });
  }
});

describe("buildMatchIndex", () => {
  bench(
    "100,000 accounts",
    () => {
      buildMatchIndex(accounts);
    },
    { iterations: 3, time: 0 },
  );
});
