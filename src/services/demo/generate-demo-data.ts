// A realistic, reproducible demo book of business: accounts, contacts and three years of orders.
import { minorToDecimalString, minorUnitDigits } from "../../domain/money.ts";
import { seededRandom } from "../../domain/seeded-random.ts";

export type DemoOptions = { seed: number; accounts: number; now: Date; ownerSlackId?: string | undefined };

/** How an account's orders behave; the card should tell these apart at a glance. */
export type DemoPattern = "steady" | "growing" | "declining" | "divided_heart" | "gone_quiet" | "seasonal";

export type DemoAccount = {
  externalId: string;
  name: string;
  aliases: string[];
  segment: string;
  region: string;
  currency: string;
  pattern: DemoPattern;
};

const MS_PER_DAY = 86_400_000;
const HISTORY_DAYS = 3 * 365;

const englishStems = [
  "Northwind",
  "Bluewater",
  "Ironbridge",
  "Summit",
  "Redwood",
  "Harbor",
  "Silverline",
  "Evergreen",
  "Keystone",
  "Pioneer",
  "Granite",
  "Lakeside",
  "Brightfield",
  "Oakmont",
  "Crescent",
  "Falcon",
  "Meridian",
  "Sterling",
  "Westbrook",
  "Cobalt",
];
const englishTrades = [
  "Industrial Supply",
  "Packaging",
  "Foods",
  "Logistics",
  "Machinery",
  "Retail Group",
  "Electronics",
  "Building Materials",
  "Pharma Distribution",
  "Auto Parts",
];
const englishForms = ["Inc.", "Ltd", "LLC", "Corporation", "GmbH", "& Co."];
const chineseCities = [
  ["华东", "Huadong"],
  ["杭州", "Hangzhou"],
  ["深圳", "Shenzhen"],
  ["成都", "Chengdu"],
  ["苏州", "Suzhou"],
  ["武汉", "Wuhan"],
  ["青岛", "Qingdao"],
  ["南京", "Nanjing"],
  ["厦门", "Xiamen"],
  ["天津", "Tianjin"],
] as const;
const chineseWords = [
  ["星辰", "Xingchen"],
  ["恒通", "Hengtong"],
  ["新源", "Xinyuan"],
  ["宏达", "Hongda"],
  ["瑞丰", "Ruifeng"],
  ["华美", "Huamei"],
  ["金桥", "Jinqiao"],
  ["盛世", "Shengshi"],
] as const;
const chineseTrades = [
  ["精密机械", "Precision Machinery"],
  ["电子", "Electronics"],
  ["食品", "Foods"],
  ["包装材料", "Packaging"],
  ["物流", "Logistics"],
  ["建材", "Building Materials"],
] as const;
const segments = ["Manufacturing", "Retail", "Distribution", "Food & Beverage", "Construction", "Healthcare"];
const englishRegions = ["North America", "Europe", "UK & Ireland"];
const chineseRegions = ["East China", "South China", "West China", "North China"];
const firstNames = [
  "Anna",
  "Ben",
  "Clara",
  "David",
  "Emma",
  "Felix",
  "Grace",
  "Henry",
  "Iris",
  "Jonas",
  "Kate",
  "Liam",
  "Maya",
  "Noah",
  "Olivia",
  "Paul",
];
const lastNames = [
  "Becker",
  "Carter",
  "Dubois",
  "Evans",
  "Fischer",
  "Garcia",
  "Hughes",
  "Jensen",
  "Keller",
  "Larsen",
  "Moreau",
  "Novak",
];
const chineseNames = [
  "李伟",
  "王芳",
  "张敏",
  "刘洋",
  "陈静",
  "杨帆",
  "赵磊",
  "黄丽",
  "周杰",
  "吴婷",
  "徐强",
  "孙悦",
];

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new RangeError("pick from an empty list");
  return item;
}

function patternFor(random: () => number): DemoPattern {
  const roll = random();
  if (roll < 0.5) return "steady";
  if (roll < 0.62) return "growing";
  if (roll < 0.77) return "declining";
  if (roll < 0.85) return "divided_heart";
  if (roll < 0.92) return "gone_quiet";
  return "seasonal";
}

export function generateDemoAccounts(options: DemoOptions): DemoAccount[] {
  const random = seededRandom(options.seed);
  const used = new Map<string, number>();
  const accounts: DemoAccount[] = [];
  while (accounts.length < options.accounts) {
    const chinese = random() < 0.4;
    let name: string;
    let aliases: string[];
    let region: string;
    let currency: string;
    if (chinese) {
      const city = pick(random, chineseCities);
      const word = pick(random, chineseWords);
      const trade = pick(random, chineseTrades);
      name = `${city[0]}${word[0]}${trade[0]}有限公司`;
      aliases = [`${city[1]} ${word[1]} ${trade[1]}`];
      region = pick(random, chineseRegions);
      currency = "CNY";
    } else {
      const stem = pick(random, englishStems);
      const trade = pick(random, englishTrades);
      name = `${stem} ${trade} ${pick(random, englishForms)}`;
      aliases = random() < 0.3 ? [stem] : [];
      region = pick(random, englishRegions);
      currency = region === "Europe" ? "EUR" : region === "UK & Ireland" ? "GBP" : "USD";
    }
    // Name combinations run out after a few hundred: later ones become numbered branches.
    const key = name.replace(/\s+(Inc\.|Ltd|LLC|Corporation|GmbH|& Co\.)$/, "");
    const seen = (used.get(key) ?? 0) + 1;
    used.set(key, seen);
    if (seen > 1) {
      if (random() < 0.9 && used.size < 600) continue;
      name = chinese ? `${name}第${seen}分公司` : `${name} (Branch ${seen})`;
    }
    accounts.push({
      externalId: `D-${String(accounts.length + 1).padStart(4, "0")}`,
      name,
      aliases,
      segment: pick(random, segments),
      region,
      currency,
      pattern: patternFor(random),
    });
  }
  return accounts;
}

export type DemoContact = {
  externalId: string;
  accountExternalId: string;
  name: string;
  role: string;
  email: string;
  phone: string;
  startedOn: string;
  endedOn: string | null;
};

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function generateDemoContacts(accounts: readonly DemoAccount[], options: DemoOptions): DemoContact[] {
  const random = seededRandom(options.seed ^ 0x5bd1e995);
  const contacts: DemoContact[] = [];
  const start = new Date(options.now.getTime() - HISTORY_DAYS * MS_PER_DAY);
  for (const account of accounts) {
    const chinese = account.currency === "CNY";
    const person = () =>
      chinese ? pick(random, chineseNames) : `${pick(random, firstNames)} ${pick(random, lastNames)}`;
    const domain = `${account.externalId.toLowerCase()}.example.com`;
    const add = (role: string, startedOn: Date, endedOn: Date | null) => {
      const n = contacts.length + 1;
      contacts.push({
        externalId: `DC-${String(n).padStart(5, "0")}`,
        accountExternalId: account.externalId,
        name: person(),
        role,
        email: `contact${n}@${domain}`,
        phone: chinese
          ? `+86 21 5555 ${String(1000 + (n % 9000))}`
          : `+1 555 01${String(n % 100).padStart(2, "0")}`,
        startedOn: isoDay(startedOn),
        endedOn: endedOn ? isoDay(endedOn) : null,
      });
    };
    // Declining accounts often changed purchasing contact a few months ago (§3).
    if (account.pattern === "declining" || random() < 0.1) {
      const changed = new Date(options.now.getTime() - Math.floor(60 + random() * 120) * MS_PER_DAY);
      add("purchasing", start, changed);
      add("purchasing", changed, null);
    } else {
      add("purchasing", start, null);
    }
    add("decision_maker", start, null);
    if (random() < 0.5) add("user", start, null);
  }
  return contacts;
}

export type DemoOrder = {
  accountExternalId: string;
  orderExternalId: string;
  orderedAt: string;
  quantity: number;
  amount: string;
  cost: string;
  currency: string;
};

/** Multiplier on frequency and size by pattern, for an order `ageDays` old (0 = today). */
function patternFactors(
  pattern: DemoPattern,
  ageDays: number,
  random: () => number,
): { rate: number; size: number } {
  switch (pattern) {
    case "steady":
      return { rate: 1, size: 1 };
    case "growing":
      return { rate: 1, size: 1 + ((HISTORY_DAYS - ageDays) / HISTORY_DAYS) * 0.8 };
    case "declining":
      // Slides from full volume to ~30% over the last nine months: fewer and smaller orders.
      return ageDays > 270
        ? { rate: 1, size: 1 }
        : { rate: 0.35 + (ageDays / 270) * 0.65, size: 0.55 + (ageDays / 270) * 0.45 };
    case "divided_heart":
      // A competitor takes part of each order: frequency holds, quantity halves over six months.
      return { rate: 1, size: ageDays > 180 ? 1 : 0.45 + (ageDays / 180) * 0.55 };
    case "gone_quiet":
      return { rate: ageDays < 120 ? 0 : 1, size: 1 };
    case "seasonal": {
      const dayOfYear = ageDays % 365;
      return { rate: dayOfYear < 90 ? 1.8 : 0.6, size: 1 + random() * 0.1 };
    }
  }
}

/** Orders oldest first, streamed so a large demo never sits in memory whole. */
export function* generateDemoOrders(
  accounts: readonly DemoAccount[],
  options: DemoOptions,
): Generator<DemoOrder> {
  const random = seededRandom(options.seed ^ 0x27d4eb2f);
  let serial = 0;
  for (const account of accounts) {
    const digits = minorUnitDigits(account.currency);
    const unitPrice = (account.currency === "CNY" ? 80 : 12) * (1 + random() * 4) * 10 ** digits;
    const baseQuantity = 20 + Math.floor(random() * 200);
    const ordersPerMonth = 1 + random() * 4;
    const margin = 0.12 + random() * 0.25;
    for (let age = HISTORY_DAYS; age >= 0; age--) {
      const { rate, size } = patternFactors(account.pattern, age, random);
      if (random() >= (ordersPerMonth / 30) * rate) continue;
      const quantity = Math.max(1, Math.round(baseQuantity * size * (0.7 + random() * 0.6)));
      const amount = BigInt(Math.round(quantity * unitPrice));
      const cost = BigInt(Math.round(Number(amount) * (1 - margin * (0.85 + random() * 0.3))));
      const at = new Date(options.now.getTime() - age * MS_PER_DAY - Math.floor(random() * 8) * 3_600_000);
      serial += 1;
      yield {
        accountExternalId: account.externalId,
        orderExternalId: `DO-${String(serial).padStart(7, "0")}`,
        orderedAt: at.toISOString(),
        quantity,
        amount: minorToDecimalString(amount, digits),
        cost: minorToDecimalString(cost, digits),
        currency: account.currency,
      };
    }
  }
}
