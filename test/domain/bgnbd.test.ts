// BG/NBD model: summaries, the CDNOW figures of Fader, Hardie & Lee (2005), special functions, fit on simulated data.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type BgNbdModel,
  type BgNbdParameters,
  bgNbdLogLikelihood,
  expectedTransactions,
  expectedTransactionsSinceFirst,
  fitBgNbd,
  hasRepeatHistory,
  hypergeometric2F1,
  logGamma,
  probabilityAlive,
  type RfmSummary,
  summarizeCustomer,
} from "../../src/domain/bgnbd.ts";
import { seededRandom } from "../../src/domain/seeded-random.ts";

const MS_PER_DAY = 86_400_000;

function dayNumber(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

/** Purchase days per sample customer id, from the fixture's columns: master id, sample id, YYYYMMDD, CDs, dollars. */
function readCdnowSample(): Map<number, number[]> {
  const text = readFileSync(new URL("../fixtures/cdnow/CDNOW_sample.txt", import.meta.url), "utf8");
  const byCustomer = new Map<number, number[]>();
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === "") continue;
    const [, sampleId, date] = line.trim().split(/\s+/);
    if (sampleId === undefined || date === undefined || !/^\d{8}$/.test(date)) {
      throw new Error(`Unexpected CDNOW line: ${JSON.stringify(line)}`);
    }
    const day = dayNumber(Number(date.slice(0, 4)), Number(date.slice(4, 6)), Number(date.slice(6, 8)));
    const id = Number(sampleId);
    const days = byCustomer.get(id) ?? [];
    days.push(day);
    byCustomer.set(id, days);
  }
  return byCustomer;
}

/**
 * E[purchases in the next t weeks] by numerical integration over the drop-out probability p, independent of
 * the 2F1 code: given alive, p ~ Beta(a, b+x) and the rate ~ Gamma(r+x, alpha+T) independently, and
 * E[Y(t) | rate, p] = (1 − e^(−rate·p·t)) / p, so E = P(alive) ∫ Beta(p) (1 − (1 + p·t/(alpha+T))^−(r+x)) / p dp.
 * Substituting p = u^(1/a) removes the p^(a−1) singularity; composite Simpson on u in [0, 1]. Needs b + x >= 1.
 */
function expectedByQuadrature(m: BgNbdParameters, s: RfmSummary, t: number, alive: number): number {
  const shape = m.r + s.x;
  const bx = m.b + s.x;
  const scale = t / (m.alpha + s.T);
  const logBeta = logGamma(m.a) + logGamma(bx) - logGamma(m.a + bx);
  const integrand = (u: number): number => {
    const p = u ** (1 / m.a);
    const perP = p === 0 ? shape * scale : -Math.expm1(-shape * Math.log1p(p * scale)) / p;
    return ((perP * (1 - p) ** (bx - 1)) / m.a) * Math.exp(-logBeta);
  };
  const intervals = 20_000;
  const h = 1 / intervals;
  let sum = integrand(0) + integrand(1);
  for (let i = 1; i < intervals; i++) sum += (i % 2 === 1 ? 4 : 2) * integrand(i * h);
  return (alive * sum * h) / 3;
}

describe("summarizeCustomer", () => {
  const end = 100;
  it.each<[string, number[], RfmSummary | null]>([
    ["no purchase", [], null],
    ["only purchases after the end", [101, 150], null],
    ["one purchase", [86], { x: 0, tx: 0, T: 2 }],
    ["same-day purchases count once", [86, 86, 86], { x: 0, tx: 0, T: 2 }],
    ["repeat purchases", [72, 79, 93], { x: 2, tx: 3, T: 4 }],
    ["order does not matter", [93, 72, 79, 79], { x: 2, tx: 3, T: 4 }],
    ["purchases after the end are ignored", [72, 86, 101, 130], { x: 1, tx: 2, T: 4 }],
    ["the end day is inclusive", [72, 100], { x: 1, tx: 4, T: 4 }],
    ["first purchase on the end day", [100, 100], { x: 0, tx: 0, T: 0 }],
  ])("%s", (_name, days, expected) => {
    expect(summarizeCustomer(days, end)).toEqual(expected);
  });

  it("rejects day numbers that are not integers", () => {
    expect(() => summarizeCustomer([1.5], 10)).toThrow(RangeError);
    expect(() => summarizeCustomer([1], Number.NaN)).toThrow(RangeError);
  });
});

describe("CDNOW sample, calibration to 1997-09-30 (Fader, Hardie & Lee 2005)", () => {
  const calibrationEnd = dayNumber(1997, 9, 30);
  let histories: Map<number, number[]>;
  let summaries: RfmSummary[];
  let model: BgNbdModel;

  beforeAll(() => {
    histories = readCdnowSample();
    summaries = [...histories.values()].map((days) => {
      const s = summarizeCustomer(days, calibrationEnd);
      if (s === null) throw new Error("every CDNOW customer bought in the first quarter of 1997");
      return s;
    });
    model = fitBgNbd(summaries);
  });

  it("has 2,357 customers and 2,457 repeat transactions (end day inclusive)", () => {
    expect(summaries).toHaveLength(2357);
    expect(summaries.reduce((sum, s) => sum + s.x, 0)).toBe(2457);
    // Leaving out purchases on 1997-09-30 would give 2,444: the published count needs the end day included.
    const exclusive = [...histories.values()].map((days) => summarizeCustomer(days, calibrationEnd - 1));
    expect(exclusive.reduce((sum, s) => sum + (s?.x ?? 0), 0)).toBe(2444);
  });

  it("gives T = 38.86 weeks for a first purchase on 1997-01-01", () => {
    const s = summarizeCustomer([dayNumber(1997, 1, 1)], calibrationEnd);
    expect(s?.T).toBeCloseTo(38.86, 2);
  });

  it("fits r, alpha, a, b and the log-likelihood of the paper", () => {
    expect(model.customers).toBe(2357);
    expect(model.converged).toBe(true);
    expect(Math.abs(model.r - 0.243)).toBeLessThanOrEqual(0.005);
    expect(Math.abs(model.alpha - 4.414)).toBeLessThanOrEqual(0.005);
    expect(Math.abs(model.a - 0.793)).toBeLessThanOrEqual(0.005);
    expect(Math.abs(model.b - 2.426)).toBeLessThanOrEqual(0.005);
    expect(Math.abs(model.logLikelihood - -9582.4)).toBeLessThanOrEqual(0.1);
    expect(bgNbdLogLikelihood(model, summaries)).toBeCloseTo(model.logLikelihood, 8);
  });

  it.each<[string, BgNbdParameters]>([
    ["far below", { r: 0.001, alpha: 1000, a: 50, b: 0.01 }],
    ["far above", { r: 50, alpha: 0.05, a: 0.01, b: 100 }],
  ])("reaches the same optimum from a start %s", (_name, start) => {
    const other = fitBgNbd(summaries, { start });
    expect(other.logLikelihood).toBeCloseTo(model.logLikelihood, 4);
    expect(other.r).toBeCloseTo(model.r, 3);
    expect(other.b).toBeCloseTo(model.b, 3);
  });

  it("expects 1.226 purchases in the next 39 weeks for x = 2, tx = 30.43, T = 38.86", () => {
    const s = { x: 2, tx: 30.43, T: 38.86 };
    const expected = expectedTransactions(model, s, 39);
    expect(Math.abs(expected - 1.226)).toBeLessThanOrEqual(0.001);
    expect(expected).toBeCloseTo(expectedByQuadrature(model, s, 39, probabilityAlive(model, s)), 7);
  });

  it.each([
    [1, 0.0532],
    [3, 0.1506],
  ])("E[X(%i)] = %f", (t, published) => {
    const value = expectedTransactionsSinceFirst(model, t);
    expect(Math.abs(value - published)).toBeLessThanOrEqual(0.0001);
    expect(value).toBeCloseTo(expectedByQuadrature(model, { x: 0, tx: 0, T: 0 }, t, 1), 9);
  });

  it("E[X(78)] is the converged 1.85796; the published 1.8576 is the 2F1 series cut at ~150 terms", () => {
    const value = expectedTransactionsSinceFirst(model, 78);
    expect(value).toBeCloseTo(expectedByQuadrature(model, { x: 0, tx: 0, T: 0 }, 78, 1), 7);
    expect(Math.abs(value - 1.85796)).toBeLessThanOrEqual(0.00001);
    expect(Math.abs(value - 1.8576)).toBeLessThanOrEqual(0.0005);
    // The paper's expression with the 2F1 series summed to 150 terms only.
    const { r, alpha, a, b } = model;
    const z = 78 / (alpha + 78);
    let term = 1;
    let series = 1;
    for (let n = 0; n < 150; n++) {
      term *= (((r + n) * (b + n)) / ((a + b - 1 + n) * (n + 1))) * z;
      series += term;
    }
    const truncated = ((a + b - 1) / (a - 1)) * (1 - (alpha / (alpha + 78)) ** r * series);
    expect(Math.abs(truncated - 1.8576)).toBeLessThanOrEqual(0.0001);
  });

  it("counts aggregated customers with their weights", () => {
    const tripled = fitBgNbd([...summaries, ...summaries, ...summaries]);
    expect(tripled.customers).toBe(3 * 2357);
    expect(tripled.r).toBeCloseTo(model.r, 4);
    expect(tripled.b).toBeCloseTo(model.b, 4);
    expect(tripled.logLikelihood).toBeCloseTo(3 * model.logLikelihood, 2);
  });
});

const cdnow: BgNbdParameters = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

describe("probabilityAlive", () => {
  it("is 1 for a customer without a repeat purchase, however long the silence (the model's known flaw)", () => {
    for (const T of [0, 1, 52, 520, 5200]) {
      const s = { x: 0, tx: 0, T };
      expect(probabilityAlive(cdnow, s)).toBe(1);
      expect(hasRepeatHistory(s)).toBe(false);
    }
    expect(hasRepeatHistory({ x: 1, tx: 2, T: 3 })).toBe(true);
  });

  it("stays in [0, 1] and falls as the customer stays silent longer", () => {
    let previous = 1;
    for (const T of [10, 11, 15, 20, 30, 52, 104, 520, 5200]) {
      const p = probabilityAlive(cdnow, { x: 4, tx: 10, T });
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
      expect(p).toBeLessThan(previous);
      previous = p;
    }
  });

  it("is about 1 right after a purchase and 0, not NaN, for a heavy buyer silent for years", () => {
    expect(probabilityAlive(cdnow, { x: 4, tx: 10, T: 10 })).toBeCloseTo(1 / (1 + 0.793 / (2.426 + 3)), 12);
    expect(probabilityAlive(cdnow, { x: 2000, tx: 100, T: 600 })).toBe(0);
  });

  it.each<[string, RfmSummary]>([
    ["tx after T", { x: 1, tx: 5, T: 4 }],
    ["negative T", { x: 0, tx: 0, T: -1 }],
    ["fractional x", { x: 1.5, tx: 1, T: 2 }],
    ["tx without repeat purchases", { x: 0, tx: 1, T: 2 }],
  ])("rejects a summary with %s", (_name, s) => {
    expect(() => probabilityAlive(cdnow, s)).toThrow(RangeError);
  });

  it("rejects parameters that are not positive", () => {
    expect(() => probabilityAlive({ ...cdnow, b: 0 }, { x: 1, tx: 1, T: 2 })).toThrow(/parameter b/);
    expect(() => probabilityAlive({ ...cdnow, r: Number.NaN }, { x: 1, tx: 1, T: 2 })).toThrow(/parameter r/);
  });
});

describe("expectedTransactions", () => {
  it("is 0 for a zero horizon and grows with the horizon", () => {
    const s = { x: 3, tx: 20, T: 30 };
    expect(expectedTransactions(cdnow, s, 0)).toBe(0);
    let previous = 0;
    for (const weeks of [0.5, 1, 4, 13, 26, 52, 104, 520, 5200, 52_000]) {
      const value = expectedTransactions(cdnow, s, weeks);
      expect(value).toBeGreaterThan(previous);
      previous = value;
    }
  });

  it("for a customer who has just made a first purchase equals E[X(t)]", () => {
    for (const weeks of [1, 39, 78, 1000]) {
      expect(expectedTransactions(cdnow, { x: 0, tx: 0, T: 0 }, weeks)).toBeCloseTo(
        expectedTransactionsSinceFirst(cdnow, weeks),
        12,
      );
    }
  });

  it.each<[string, BgNbdParameters, RfmSummary, number]>([
    ["a long horizon for a young customer (z near 1)", cdnow, { x: 1, tx: 0.5, T: 1 }, 1000],
    ["a heavy buyer", { r: 2, alpha: 3, a: 0.5, b: 4 }, { x: 400, tx: 99, T: 100 }, 52],
    ["homogeneous rates (large r)", { r: 5e6, alpha: 1e7, a: 0.6, b: 3 }, { x: 30, tx: 60, T: 62 }, 52],
    ["homogeneous rates, a new customer", { r: 5e6, alpha: 1e7, a: 0.6, b: 3 }, { x: 0, tx: 0, T: 0 }, 52],
    ["three purchases a week (r = 60)", { r: 60, alpha: 20, a: 0.6, b: 3 }, { x: 0, tx: 0, T: 0 }, 52],
    ["a = 1 exactly", { r: 0.5, alpha: 5, a: 1, b: 2 }, { x: 3, tx: 30, T: 40 }, 52],
    ["a + b below 1", { r: 0.5, alpha: 5, a: 0.3, b: 0.8 }, { x: 2, tx: 30, T: 40 }, 52],
  ])("matches an independent quadrature for %s", (_name, m, s, weeks) => {
    const value = expectedTransactions(m, s, weeks);
    const reference = expectedByQuadrature(m, s, weeks, probabilityAlive(m, s));
    expect(Math.abs(value - reference) / reference).toBeLessThan(1e-7);
  });

  it("is continuous through a = 1, where the paper's expressions divide by zero", () => {
    const s = { x: 2, tx: 20, T: 30 };
    const at = (a: number) => expectedTransactions({ ...cdnow, a }, s, 52);
    const sinceFirst = (a: number) => expectedTransactionsSinceFirst({ ...cdnow, a }, 52);
    expect(at(1 - 1e-9)).toBeCloseTo(at(1), 7);
    expect(at(1 + 1e-9)).toBeCloseTo(at(1), 7);
    expect(sinceFirst(1 - 1e-9)).toBeCloseTo(sinceFirst(1), 7);
    expect(Number.isFinite(sinceFirst(1))).toBe(true);
  });

  it("rejects a negative horizon", () => {
    expect(() => expectedTransactions(cdnow, { x: 1, tx: 1, T: 2 }, -1)).toThrow(RangeError);
    expect(() => expectedTransactionsSinceFirst(cdnow, Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe("logGamma", () => {
  it.each([
    [1, 0],
    [2, 0],
    [0.5, 0.5 * Math.log(Math.PI)],
    [1.5, Math.log(Math.sqrt(Math.PI) / 2)],
    [10, Math.log(362_880)],
    [1e-8, 18.420680738180209],
    [100, 359.1342053695754],
    [1e6, 12815504.569147613],
  ])("ln Γ(%f)", (x, expected) => {
    expect(Math.abs(logGamma(x) - expected)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(expected)));
  });

  it("rejects x <= 0", () => {
    expect(() => logGamma(0)).toThrow(RangeError);
  });
});

describe("hypergeometric2F1", () => {
  const close = (value: number, expected: number, relative = 1e-12) =>
    expect(Math.abs(value - expected)).toBeLessThanOrEqual(relative * Math.abs(expected));

  it.each([-1e9, -50, -0.7, -0.2, 0.3, 0.6, 0.99, 1 - 1e-9])(
    "2F1(1, 1; 2; z) = −ln(1 − z)/z at z = %f",
    (z) => {
      // c − a − b = 0: the integer case where the 1 − z connection formula needs logarithms.
      close(hypergeometric2F1(1, 1, 2, z), -Math.log1p(-z) / z, 1e-11);
    },
  );

  it.each([-20, -0.4, 0.45, 0.9, 0.999])("2F1(a, b; b; z) = (1 − z)^−a at z = %f", (z) => {
    close(hypergeometric2F1(0.7, 2.3, 2.3, z), (1 - z) ** -0.7);
  });

  it("2F1(1/2, 1/2; 3/2; z²) = arcsin(z)/z", () => {
    for (const z of [0.3, 0.8, 0.999])
      close(hypergeometric2F1(0.5, 0.5, 1.5, z * z), Math.asin(z) / z, 1e-11);
  });

  it("is a polynomial when a is a negative integer", () => {
    const z = 0.9;
    // 2F1(−2, b; c; z) = 1 − 2bz/c + b(b+1)z²/(c(c+1))
    close(hypergeometric2F1(-2, 3, 5, z), 1 - (2 * 3 * z) / 5 + (3 * 4 * z * z) / (5 * 6));
  });

  it("approaches Gauss's sum Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)) as z -> 1", () => {
    const [a, b, c] = [0.4, 1.1, 3];
    const gauss = Math.exp(logGamma(c) + logGamma(c - a - b) - logGamma(c - a) - logGamma(c - b));
    close(hypergeometric2F1(a, b, c, 1 - 1e-12), gauss, 1e-10);
  });

  it("rejects z >= 1 and c = 0, −1, ...", () => {
    expect(() => hypergeometric2F1(1, 1, 2, 1)).toThrow(RangeError);
    expect(() => hypergeometric2F1(1, 1, -2, 0.5)).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Simulation from the model's own story, to check that the fit recovers known parameters.

function simulator(seed: number) {
  const random = seededRandom(seed);
  const uniform = () => 1 - random(); // (0, 1]
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * random());
  // Marsaglia & Tsang (2000); shape < 1 through Γ(k) = Γ(k+1) U^(1/k).
  const gamma = (shape: number): number => {
    if (shape < 1) return gamma(shape + 1) * uniform() ** (1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const n = normal();
      const v = (1 + c * n) ** 3;
      if (v > 0 && Math.log(uniform()) < 0.5 * n * n + d - d * v + d * Math.log(v)) return d * v;
    }
  };
  return { random, uniform, gamma };
}

/**
 * BG/NBD customers: rate ~ Gamma(r, alpha), drop-out p ~ Beta(a, b); Poisson purchases after the first one,
 * and after each repeat purchase the customer leaves with probability p. First purchases spread over 12 weeks,
 * observed to week 12 + `weeks`.
 */
function simulate(m: BgNbdParameters, customers: number, seed: number, weeks: number): RfmSummary[] {
  const { random, uniform, gamma } = simulator(seed);
  const out: RfmSummary[] = [];
  for (let i = 0; i < customers; i++) {
    const rate = gamma(m.r) / m.alpha;
    const g = gamma(m.a);
    const dropOut = g / (g + gamma(m.b));
    const T = weeks + 12 * random();
    let t = 0;
    let x = 0;
    let tx = 0;
    for (;;) {
      t += -Math.log(uniform()) / rate;
      if (t > T) break;
      x += 1;
      tx = t;
      if (random() < dropOut) break;
    }
    out.push({ x, tx, T });
  }
  return out;
}

describe("fitBgNbd", () => {
  it("recovers the parameters of simulated customers", () => {
    const truth = { r: 0.6, alpha: 5, a: 0.7, b: 2.5 };
    const summaries = simulate(truth, 20_000, 20_250_101, 52);
    const model = fitBgNbd(summaries);
    expect(model.converged).toBe(true);
    for (const name of ["r", "alpha", "a", "b"] as const) {
      expect(Math.abs(model[name] / truth[name] - 1), name).toBeLessThan(0.2);
    }
    // A maximum: at least as likely as the truth.
    expect(model.logLikelihood).toBeGreaterThanOrEqual(bgNbdLogLikelihood(truth, summaries));
  });

  it("stops at the bound when the maximum lies at infinity (everyone shares one drop-out probability)", () => {
    const { random, uniform } = simulator(7);
    const summaries: RfmSummary[] = [];
    for (let i = 0; i < 5_000; i++) {
      const T = 40 + 12 * random();
      let t = 0;
      let x = 0;
      let tx = 0;
      for (;;) {
        t += -Math.log(uniform()) / 0.5;
        if (t > T) break;
        x += 1;
        tx = t;
        if (random() < 0.1) break;
      }
      summaries.push({ x, tx, T });
    }
    const model = fitBgNbd(summaries);
    expect(model.converged).toBe(true);
    expect(model.a / (model.a + model.b)).toBeCloseTo(0.1, 1);
    expect(model.a + model.b).toBeGreaterThan(1000);
    expect(Number.isFinite(expectedTransactions(model, { x: 5, tx: 10, T: 40 }, 52))).toBe(true);
  });

  it("refuses an empty input", () => {
    expect(() => fitBgNbd([])).toThrow(/no customers/);
  });

  it("refuses data without any repeat purchase", () => {
    expect(() =>
      fitBgNbd([
        { x: 0, tx: 0, T: 10 },
        { x: 0, tx: 0, T: 3 },
      ]),
    ).toThrow(/no customer has a repeat purchase/);
  });

  it("refuses an invalid summary", () => {
    expect(() => fitBgNbd([{ x: 1, tx: 5, T: 4 }])).toThrow(RangeError);
  });
});
