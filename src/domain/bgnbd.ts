// BG/NBD purchase model (Fader, Hardie & Lee 2005): customer summaries, maximum-likelihood fit, P(alive), expected purchases.
//
// Written from the published formulas: Fader, Hardie & Lee (2005), "Counting your customers the easy way:
// an alternative to the Pareto/NBD model", Marketing Science 24(2), and Fader & Hardie, "Implementing the
// BG/NBD model" (note). Time is in weeks throughout; purchases are counted per calendar day.
//
// THE KNOWN FLAW: under the BG/NBD a customer can only drop out right after a repeat purchase, so a customer
// with no repeat purchase (x = 0) is "alive" with probability 1 however long they have been silent. That is the
// model, not a bug here, and `probabilityAlive` returns 1 for them. A churn risk built on it must not read
// that 1 as "safe": check `hasRepeatHistory` first and use other evidence for one-time buyers.

/** What the model needs to know about one customer, in weeks from the customer's first purchase. */
export interface RfmSummary {
  /** Repeat purchases: purchase days after the first one (several purchases on one day count once). */
  readonly x: number;
  /** Weeks from the first to the last purchase day (0 when x = 0). */
  readonly tx: number;
  /** Weeks from the first purchase day to the end of the calibration period. */
  readonly T: number;
}

export interface BgNbdParameters {
  /** Shape of the gamma distribution of purchase rates across customers. */
  readonly r: number;
  /** Scale (in weeks) of the gamma distribution of purchase rates. */
  readonly alpha: number;
  /** First shape of the beta distribution of the drop-out probability after each purchase. */
  readonly a: number;
  /** Second shape of the beta distribution of the drop-out probability. */
  readonly b: number;
}

/**
 * A fitted model. A parameter at e^±18 (about 6.6e7 or 1.5e-8) means the likelihood kept rising towards
 * infinity or 0 there, e.g. a, b huge when all customers share one drop-out probability, r huge when they
 * share one purchase rate: the fit stops at that bound, where the model no longer changes.
 */
export interface BgNbdModel extends BgNbdParameters {
  /** Log-likelihood of all customers at the fitted parameters (natural log, summed over customers). */
  readonly logLikelihood: number;
  /** Customers the model was fitted on. */
  readonly customers: number;
  /** Quasi-Newton iterations used, over all restarts. */
  readonly iterations: number;
  /** False when the iteration cap was reached first (the parameters are the best found, maybe not the optimum). */
  readonly converged: boolean;
}

export interface FitBgNbdOptions {
  /** Where the search starts, e.g. yesterday's fit; default r = alpha = a = b = 1. */
  readonly start?: BgNbdParameters;
  /** Cap on quasi-Newton iterations over all restarts; default 500. */
  readonly maxIterations?: number;
}

const DAYS_PER_WEEK = 7;

/**
 * The model's summary of one customer at the end of the calibration period.
 *
 * `calibrationEndDay` is INCLUSIVE: purchases on that day count, and T runs to the start of that day
 * ((end − first) / 7). This is how the published CDNOW figures are computed: calibrating to 1997-09-30
 * counts 2,457 repeat transactions (2,444 if that day were left out) and gives T = 272 / 7 = 38.86 weeks
 * for a first purchase on 1997-01-01. Returns null for a customer with no purchase up to that day.
 */
export function summarizeCustomer(
  purchaseDays: readonly number[],
  calibrationEndDay: number,
): RfmSummary | null {
  if (!Number.isSafeInteger(calibrationEndDay)) {
    throw new RangeError(`calibrationEndDay must be an integer day number, got ${calibrationEndDay}`);
  }
  const days = new Set<number>();
  for (const day of purchaseDays) {
    if (!Number.isSafeInteger(day))
      throw new RangeError(`Purchase days must be integer day numbers, got ${day}`);
    if (day <= calibrationEndDay) days.add(day);
  }
  if (days.size === 0) return null;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const day of days) {
    if (day < first) first = day;
    if (day > last) last = day;
  }
  return {
    x: days.size - 1,
    tx: (last - first) / DAYS_PER_WEEK,
    T: (calibrationEndDay - first) / DAYS_PER_WEEK,
  };
}

/**
 * Whether the model's P(alive) says anything about this customer. Without a repeat purchase it is 1 by
 * construction (see the file header), so a risk score must not use it for such customers.
 */
export function hasRepeatHistory(s: RfmSummary): boolean {
  return s.x > 0;
}

/**
 * P(alive | x, tx, T): the probability the customer has not dropped out by T.
 * Equals 1 for x = 0 whatever T is: the model's known flaw, see `hasRepeatHistory`.
 */
export function probabilityAlive(model: BgNbdParameters, s: RfmSummary): number {
  checkParameters(model);
  checkSummary(s);
  return aliveProbability(model, s);
}

/**
 * Expected purchases (purchase days) in the next `weeks` after T, given the customer's history
 * (paper, eq. 10), already weighted by P(alive); so it inherits the x = 0 flaw of P(alive).
 */
export function expectedTransactions(model: BgNbdParameters, s: RfmSummary, weeks: number): number {
  checkParameters(model);
  checkSummary(s);
  checkWeeks(weeks);
  if (weeks === 0) return 0;
  const { r, alpha, a, b } = model;
  const kernel = expectationKernel(r + s.x, a - 1, a + b + s.x - 1, -weeks / (alpha + s.T));
  return -kernel * aliveProbability(model, s);
}

/** E[X(t)]: expected repeat purchases of a new customer in the `weeks` after the first purchase (paper, eq. 7). */
export function expectedTransactionsSinceFirst(model: BgNbdParameters, weeks: number): number {
  checkParameters(model);
  checkWeeks(weeks);
  if (weeks === 0) return 0;
  const { r, alpha, a, b } = model;
  return -expectationKernel(r, a - 1, a + b - 1, -weeks / alpha);
}

// ---------------------------------------------------------------------------------------------------------
// Checks

function checkParameters(p: BgNbdParameters): void {
  for (const name of ["r", "alpha", "a", "b"] as const) {
    const value = p[name];
    if (!(value > 0 && Number.isFinite(value))) {
      throw new RangeError(`BG/NBD parameter ${name} must be a positive finite number, got ${value}`);
    }
  }
}

function checkSummary(s: RfmSummary): void {
  if (!Number.isSafeInteger(s.x) || s.x < 0) {
    throw new RangeError(`x must be a non-negative integer, got ${s.x}`);
  }
  if (!(Number.isFinite(s.T) && s.T >= 0 && s.tx >= 0 && s.tx <= s.T)) {
    throw new RangeError(`Need 0 <= tx <= T (finite), got tx = ${s.tx}, T = ${s.T}`);
  }
  if (s.x === 0 && s.tx !== 0) throw new RangeError(`tx must be 0 when x = 0, got ${s.tx}`);
}

function checkWeeks(weeks: number): void {
  if (!(weeks >= 0 && Number.isFinite(weeks))) {
    throw new RangeError(`weeks must be a non-negative finite number, got ${weeks}`);
  }
}

function aliveProbability({ r, alpha, a, b }: BgNbdParameters, { x, tx, T }: RfmSummary): number {
  if (x === 0) return 1;
  // 1 / (1 + a/(b+x-1) * ((alpha+T)/(alpha+tx))^(r+x)), with the odds in logs so long silences cannot overflow
  // (and ln((alpha+T)/(alpha+tx)) as log1p, which stays exact when alpha is huge).
  const logOdds = Math.log(a) - Math.log(b + x - 1) + (r + x) * Math.log1p((T - tx) / (alpha + tx));
  return 1 / (1 + Math.exp(logOdds));
}

// ---------------------------------------------------------------------------------------------------------
// Special functions

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
/** Below this the arguments are shifted up before the asymptotic series, which then errs by < 1e-17. */
const ASYMPTOTIC_FROM = 15;

/** ln Γ(x) for x > 0: Stirling's series with Bernoulli terms up to B14 after shifting x up to >= 15. */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}`);
  if (x === Number.POSITIVE_INFINITY) return x;
  let y = x;
  let product = 1;
  while (y < ASYMPTOTIC_FROM) {
    product *= y;
    y += 1;
  }
  const inv = 1 / y;
  const inv2 = inv * inv;
  // Σ B_2k / (2k (2k-1) y^(2k-1)) for k = 1..7.
  const tail =
    inv *
    (1 / 12 +
      inv2 *
        (-1 / 360 +
          inv2 * (1 / 1260 + inv2 * (-1 / 1680 + inv2 * (1 / 1188 + inv2 * (-691 / 360360 + inv2 / 156))))));
  return (y - 0.5) * Math.log(y) - y + HALF_LOG_TWO_PI + tail - Math.log(product);
}

/** ψ(x) = d/dx ln Γ(x) for x > 0: recurrence up to >= 15, then the asymptotic series. */
function digamma(x: number): number {
  let y = x;
  let shift = 0;
  while (y < ASYMPTOTIC_FROM) {
    shift += 1 / y;
    y += 1;
  }
  const inv2 = 1 / (y * y);
  // Σ B_2k / (2k y^(2k)) for k = 1..7.
  const tail =
    inv2 *
    (1 / 12 +
      inv2 *
        (-1 / 120 +
          inv2 * (1 / 252 + inv2 * (-1 / 240 + inv2 * (1 / 132 + inv2 * (-691 / 32760 + inv2 / 12))))));
  return Math.log(y) - 0.5 / y - tail - shift;
}

// The Gaussian hypergeometric function 2F1(a, b; c; z) = Σ (a)_n (b)_n / ((c)_n n!) z^n.
//
// The expectations need 1 − (1−z)^(r+x) 2F1(r+x, b+x; a+b+x−1; z), divided by a − 1, at z = t/(alpha+T+t).
// z comes close to 1 for long horizons and young customers, where the plain series needs ~ (r+x)/(1−z)
// terms, and the bracket cancels when t is small or a is near 1. So Pfaff's transformation
// 2F1(a,b;c;z) = (1−z)^(−a) 2F1(a, c−b; c; z/(z−1)) turns the bracket into 1 − 2F1(r+x, a−1; a+b+x−1; w)
// with w = z/(z−1) = −t/(alpha+T) <= 0 (z near 1 becomes a large negative w), a series whose terms all
// carry the factor a − 1, which is then divided out exactly (`expectationKernel`). That series is summed
// only near 0 (|w| <= 1/2); from there it is carried to w along the negative axis by Taylor steps of its
// differential equation  w(1−w)f'' + (c−(a+b+1)w)f' − ab f = q.  Each step goes at most half-way to the
// nearest singular point (w = 0), so its series converges like 2^−n; a step whose terms grow much larger
// than their sum (cancellation, large parameters) is retried at half the size. Unlike the w -> 1−w and
// w -> 1/w connection formulas this needs no special case when c−a−b or a−b is an integer. For large
// r + x those steps would have to be tiny, and a positive-term series in z is used instead
// (`kernelByPositiveSeries`). Checked against 80-digit arithmetic over r up to 7e7, alpha 0.01..3e7,
// a, b 0.05..50 (and a = 1), x up to 2,000, horizons 0.1..1,000 weeks: relative error below 1e-12, and
// below 2e-8 in the corner of a within 1e-5 of 1 with r + x > 100.

/** A function's value and first derivative at a point. */
interface Jet {
  readonly value: number;
  readonly slope: number;
}

/** Terms smaller than this, relative to the sum, end a series (twice in a row). */
const SERIES_TOLERANCE = 1e-17;
/** A series whose largest term exceeds its sum by more than this has lost too many digits (> ~2) and is redone. */
const MAX_CANCELLATION = 64;
/** Iteration cap of one power or Taylor series: with ratio <= 1/2 about 60 terms suffice. */
const MAX_SERIES_TERMS = 2_000;
/** Iteration cap on Taylor steps (ordinary parameters need a few dozen; large ones a few thousand). */
const MAX_CONTINUATION_STEPS = 50_000;
/** Smallest start of the continuation; below it the power series is accurate for any sensible parameters. */
const MIN_SERIES_REACH = 1e-9;

/**
 * Σ_{n >= first} k_n z^n and its derivative, with k_first = `leading` and k_{n+1}/k_n = (a+n)(b+n)/((c+n)(n+1)).
 * first = 0, leading = 1 is 2F1 itself. Null when the cap is hit or cancellation ate the digits.
 */
function seriesNearZero(
  a: number,
  b: number,
  c: number,
  first: 0 | 1,
  leading: number,
  z: number,
): Jet | null {
  let n: number = first;
  let coefficient = leading;
  let powerBelow = first === 0 ? 0 : 1; // z^(n-1); unused at n = 0
  let value = first === 0 ? leading : leading * z;
  let slope = first === 0 ? 0 : leading;
  let largest = Math.abs(value);
  let quiet = 0;
  for (let i = 0; i < MAX_SERIES_TERMS; i++) {
    coefficient *= ((a + n) * (b + n)) / ((c + n) * (n + 1));
    powerBelow = n === 0 ? 1 : powerBelow * z;
    n += 1;
    const slopeTerm = n * coefficient * powerBelow;
    const term = coefficient * powerBelow * z;
    value += term;
    slope += slopeTerm;
    largest = Math.max(largest, Math.abs(term));
    if (coefficient === 0) return { value, slope }; // terminating series (a polynomial)
    const small =
      Math.abs(term) <= SERIES_TOLERANCE * Math.abs(value) &&
      Math.abs(slopeTerm) <= SERIES_TOLERANCE * Math.abs(slope);
    quiet = small ? quiet + 1 : 0;
    if (quiet >= 2) {
      const clean =
        largest <= MAX_CANCELLATION * Math.abs(value) && Number.isFinite(value) && Number.isFinite(slope);
      return clean ? { value, slope } : null;
    }
  }
  return null;
}

/** One Taylor step of the differential equation from z0 (z0 != 0, 1) by h. Null if it did not converge cleanly. */
function taylorStep(
  a: number,
  b: number,
  c: number,
  forcing: number,
  z0: number,
  h: number,
  at: Jet,
): Jet | null {
  const curvature = z0 * (1 - z0);
  const drift = c - (a + b + 1) * z0;
  const driftSlope = 1 - 2 * z0;
  let kLow = at.value; // k_n
  let kHigh = at.slope; // k_{n+1}
  let power = h; // h^(n+1)
  let value = kLow + kHigh * h;
  let slope = kHigh;
  const scale = Math.max(Math.abs(at.value), Math.abs(value));
  let largest = Math.max(Math.abs(at.value), Math.abs(kHigh * h));
  let quiet = 0;
  for (let n = 0; n < MAX_SERIES_TERMS; n++) {
    const next =
      ((n === 0 ? forcing : 0) - (driftSlope * n + drift) * (n + 1) * kHigh + (n + a) * (n + b) * kLow) /
      (curvature * (n + 2) * (n + 1));
    const slopeTerm = (n + 2) * next * power;
    power *= h;
    const term = next * power;
    value += term;
    slope += slopeTerm;
    largest = Math.max(largest, Math.abs(term));
    kLow = kHigh;
    kHigh = next;
    const small =
      Math.abs(term) <= SERIES_TOLERANCE * Math.abs(value) &&
      Math.abs(slopeTerm) <= SERIES_TOLERANCE * Math.max(Math.abs(slope), Math.abs(value / h));
    quiet = small ? quiet + 1 : 0;
    if (quiet >= 2) {
      const clean =
        largest <= MAX_CANCELLATION * Math.max(scale, Math.abs(value)) &&
        Number.isFinite(value) &&
        Number.isFinite(slope);
      return clean ? { value, slope } : null;
    }
  }
  return null;
}

/**
 * The series of `seriesNearZero`, evaluated at w <= 0; `forcing` is the right-hand side q of the differential
 * equation it satisfies (0 for 2F1 itself, leading * c for a series that starts at n = 1).
 */
function onNegativeAxis(
  a: number,
  b: number,
  c: number,
  first: 0 | 1,
  leading: number,
  forcing: number,
  w: number,
): number {
  let reach = Math.min(-w, 0.5);
  let jet = seriesNearZero(a, b, c, first, leading, -reach);
  while (jet === null) {
    reach /= 2;
    if (reach < MIN_SERIES_REACH) throw hypergeometricFailure(a, b, c, w);
    jet = seriesNearZero(a, b, c, first, leading, -reach);
  }
  let at = -reach;
  let fraction = 0.5; // of the distance to the singular point at 0
  for (let steps = 0; at > w; steps++) {
    if (steps >= MAX_CONTINUATION_STEPS) throw hypergeometricFailure(a, b, c, w);
    const maxStep = fraction * -at;
    const lastStep = at - w <= maxStep;
    const h = lastStep ? w - at : -maxStep;
    const next = taylorStep(a, b, c, forcing, at, h, jet);
    if (next === null) {
      fraction /= 2;
      if (fraction < 1e-6) throw hypergeometricFailure(a, b, c, w);
      continue;
    }
    jet = next;
    at = lastStep ? w : at + h;
    fraction = Math.min(0.5, fraction * 2);
  }
  return jet.value;
}

function hypergeometricFailure(a: number, b: number, c: number, z: number): RangeError {
  return new RangeError(`2F1(${a}, ${b}; ${c}; ${z}) did not converge within the iteration caps`);
}

/**
 * The Gaussian hypergeometric function 2F1(a, b; c; z) for real z < 1 (c not 0, -1, -2, ...).
 * Accurate to ~1e-13 for the moderate parameters of the BG/NBD; throws when its iteration caps are hit.
 */
export function hypergeometric2F1(a: number, b: number, c: number, z: number): number {
  if (![a, b, c, z].every(Number.isFinite)) throw new RangeError("2F1 needs finite arguments");
  if (!(z < 1)) throw new RangeError(`2F1 is evaluated here only for z < 1, got ${z}`);
  if (c <= 0 && Number.isInteger(c)) throw new RangeError(`2F1 is undefined for c = ${c}`);
  if (z <= 0) return onNegativeAxis(a, b, c, 0, 1, 0, z);
  if (z <= 0.5) {
    const direct = seriesNearZero(a, b, c, 0, 1, z);
    if (direct !== null) return direct.value;
  }
  return (1 - z) ** -a * onNegativeAxis(a, c - b, c, 0, 1, 0, z / (z - 1));
}

/**
 * c (2F1(A, B; c; w) − 1) / B for w <= 0 = Σ_{n>=1} (A)_n (B+1)_{n-1} / ((c+1)_{n-1} n!) w^n: finite at B = 0
 * (a = 1) and at c = 0 (a + b = 1), where the paper's expressions divide by zero.
 *
 * Both expectations have this shape after Pfaff's transformation: with z = t/(alpha+T+t) and w = z/(z−1) =
 * −t/(alpha+T),  1 − ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x−1; z) = 1 − 2F1(r+x, a−1; a+b+x−1; w),
 * so E = (a+b+x−1)/(a−1) · (1 − 2F1(...)) = −kernel(r+x, a−1, a+b+x−1, w) (times P(alive) when conditional).
 */
function expectationKernel(A: number, B: number, c: number, w: number): number {
  if (A <= CONTINUATION_MAX_SHAPE) return onNegativeAxis(A, B, c, 1, A, A * c, w);
  if (w >= -0.5) {
    const near = seriesNearZero(A, B, c, 1, A, w);
    if (near !== null) return near.value;
  }
  // The positive series needs about (A + 40)·|w| terms; beyond its cap (an alive customer expected to buy
  // 10^5 times on the horizon: not a real account) only the slow continuation is left.
  if ((A + 40) * -w > MAX_POSITIVE_TERMS / 2) return onNegativeAxis(A, B, c, 1, A, A * c, w);
  if (Math.abs(B) >= NEAR_ONE) return kernelByPositiveSeries(A, B, c, w);
  // a within 1e-5 of 1: the positive-series form divides by a − 1, so interpolate linearly in a between
  // a = 1 ± 1e-5 (the kernel is smooth in a; the error is O(1e-10) relative).
  const lower = kernelByPositiveSeries(A, -NEAR_ONE, c - B - NEAR_ONE, w);
  const upper = kernelByPositiveSeries(A, NEAR_ONE, c - B + NEAR_ONE, w);
  return lower + ((B + NEAR_ONE) / (2 * NEAR_ONE)) * (upper - lower);
}

/**
 * Above this shape r + x the kernel is not continued along the negative axis, whose steps must shrink like
 * 1/(r+x) there (the solution ~ |w|^-(r+x) of the differential equation), but summed as a positive series.
 * Large shapes come from heavy buyers (large x) and from fits where purchase rates barely vary (r -> ∞).
 */
const CONTINUATION_MAX_SHAPE = 100;
/** |a − 1| below which `kernelByPositiveSeries` is not used as is (it divides by a − 1). */
const NEAR_ONE = 1e-5;
/** Iteration cap of the positive series: about (r+x) z / (1 − z) terms, the expected purchases on the horizon. */
const MAX_POSITIVE_TERMS = 1_000_000;

/**
 * The kernel for large A through the untransformed argument z = w/(w−1) in [0, 1), where every term is positive:
 *   2F1(A, B; c; w) = (1−z)^A 2F1(A, c−B; c; z),  2F1(A, c−B; c; z) = 1 + A (c−B) z / c · S,
 *   S = Σ_{m>=0} (A+1)_m (c−B+1)_m / ((c+1)_m (2)_m) z^m,
 * so c (2F1 − 1) / B = [c ((1−z)^A − 1) + A (c−B) z (1−z)^A S] / B, with S summed in logs (it can exceed 1e308).
 */
function kernelByPositiveSeries(A: number, B: number, c: number, w: number): number {
  const z = -w / (1 - w);
  const shape = c - B; // b + x > 0
  const logDecay = -A * Math.log1p(-w); // ln (1−z)^A
  let term = 1;
  let sum = 1;
  let logScale = 0;
  for (let m = 0; m < MAX_POSITIVE_TERMS; m++) {
    const ratio = (((A + 1 + m) * (shape + 1 + m)) / ((c + 1 + m) * (m + 2))) * z;
    term *= ratio;
    sum += term;
    if (sum > 1e250) {
      sum *= 1e-250;
      term *= 1e-250;
      logScale += 250 * Math.LN10;
    }
    // Past the peak the ratios fall towards z (A > a here), so the tail is below term · ratio / (1 − ratio).
    if (ratio < 1 && term * ratio <= SERIES_TOLERANCE * (1 - ratio) * sum) {
      const logS = logScale + Math.log(sum);
      return (c * Math.expm1(logDecay) + A * shape * z * Math.exp(logDecay + logS)) / B;
    }
  }
  throw new RangeError(`The expected-purchases series for r + x = ${A}, w = ${w} did not converge`);
}

// ---------------------------------------------------------------------------------------------------------
// Fitting

/** Customers aggregated by identical (x, tx, T): the likelihood only needs each distinct triple once. */
interface Aggregate {
  readonly customers: number;
  /** Distinct x values in ascending order, and how many customers have each. */
  readonly xs: Float64Array;
  readonly xWeights: Float64Array;
  /** Per distinct triple: index into xs, index of tx and of T into ages, customer count. */
  readonly tripleX: Int32Array;
  readonly tripleTx: Int32Array;
  readonly tripleT: Int32Array;
  readonly tripleWeights: Float64Array;
  /** Distinct tx and T values (weeks), so ln(alpha + age) is computed once per value and evaluation. */
  readonly ages: Float64Array;
}

function aggregate(summaries: readonly RfmSummary[]): Aggregate {
  // x -> T -> tx -> triple index: numeric keys, no string building for 100,000 customers.
  const byX = new Map<number, Map<number, Map<number, number>>>();
  const ageIndex = new Map<number, number>();
  const triples: { x: number; tx: number; T: number }[] = [];
  const tripleWeights: number[] = [];
  for (const s of summaries) {
    checkSummary(s);
    let byT = byX.get(s.x);
    if (byT === undefined) {
      byT = new Map();
      byX.set(s.x, byT);
    }
    let byTx = byT.get(s.T);
    if (byTx === undefined) {
      byTx = new Map();
      byT.set(s.T, byTx);
    }
    const existing = byTx.get(s.tx);
    if (existing !== undefined) {
      tripleWeights[existing] = (tripleWeights[existing] as number) + 1;
    } else {
      byTx.set(s.tx, triples.length);
      triples.push({ x: s.x, tx: s.tx, T: s.T });
      tripleWeights.push(1);
      if (!ageIndex.has(s.tx)) ageIndex.set(s.tx, ageIndex.size);
      if (!ageIndex.has(s.T)) ageIndex.set(s.T, ageIndex.size);
    }
  }
  const xs = Float64Array.from(byX.keys()).sort();
  const xIndex = new Map<number, number>();
  xs.forEach((x, i) => {
    xIndex.set(x, i);
  });
  const xWeights = new Float64Array(xs.length);
  const tripleX = new Int32Array(triples.length);
  const tripleTx = new Int32Array(triples.length);
  const tripleT = new Int32Array(triples.length);
  triples.forEach((t, j) => {
    const xi = xIndex.get(t.x) as number;
    tripleX[j] = xi;
    tripleTx[j] = ageIndex.get(t.tx) as number;
    tripleT[j] = ageIndex.get(t.T) as number;
    xWeights[xi] = (xWeights[xi] as number) + (tripleWeights[j] as number);
  });
  return {
    customers: summaries.length,
    xs,
    xWeights,
    tripleX,
    tripleTx,
    tripleT,
    tripleWeights: Float64Array.from(tripleWeights),
    ages: Float64Array.from(ageIndex.keys()),
  };
}

/** Log-likelihood and its gradient with respect to (ln r, ln alpha, ln a, ln b). */
interface Evaluation {
  readonly logLikelihood: number;
  readonly gradient: Vector;
}

type Vector = [number, number, number, number];

/**
 * Up to this x, the gamma-function ratios of the likelihood are summed term by term (exact even when a and b
 * run to millions, where differences of ln Γ lose digits); beyond it they come from logGamma and digamma.
 */
const TERMWISE_UP_TO = 1_000;

/**
 * The paper's log-likelihood (FHL 2005 eq. 6; Fader & Hardie's note), summed over customers:
 *   ln L = ln Γ(r+x) − ln Γ(r) + r ln alpha + ln B(a, b+x) − ln B(a, b)
 *          + ln[ (alpha+T)^−(r+x) + [x>0] a/(b+x−1) (alpha+tx)^−(r+x) ]
 * The second term in the brackets is "dropped out right after the last purchase", possible only when x > 0;
 * the sum is taken in logs (log-sum-exp). The x-only parts are computed once per distinct x.
 */
function evaluate(data: Aggregate, r: number, alpha: number, a: number, b: number): Evaluation {
  const logAlpha = Math.log(alpha);
  const logA = Math.log(a);
  const ages = data.ages;
  const logAge = new Float64Array(ages.length);
  const invAge = new Float64Array(ages.length);
  for (let i = 0; i < ages.length; i++) {
    const age = alpha + (ages[i] as number);
    logAge[i] = Math.log(age);
    invAge[i] = 1 / age;
  }
  const xs = data.xs;
  const dropConstant = new Float64Array(xs.length); // ln a − ln(b+x−1)
  const invDrop = new Float64Array(xs.length); // 1/(b+x−1)
  let ll = 0;
  let dr = 0;
  let dAlpha = 0;
  let da = 0;
  let db = 0;
  // Running sums over k < x of ln(r+k), −ln(1 + a/(b+k)), 1/(r+k), −1/(a+b+k), a/((b+k)(a+b+k)): that is
  // ln Γ(r+x)−ln Γ(r), ln B(a,b+x)−ln B(a,b), and their derivatives in r, a, b. xs is ascending.
  let k = 0;
  let gammaRatio = 0;
  let betaRatio = 0;
  let gammaRatioDr = 0;
  let betaRatioDa = 0;
  let betaRatioDb = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number;
    const weight = data.xWeights[i] as number;
    ll += weight * r * logAlpha;
    dr += weight * logAlpha;
    dAlpha += (weight * r) / alpha;
    if (x === 0) continue;
    const termwiseTo = Math.min(x, TERMWISE_UP_TO);
    for (; k < termwiseTo; k++) {
      const abk = a + b + k;
      gammaRatio += Math.log(r + k);
      betaRatio -= Math.log1p(a / (b + k));
      gammaRatioDr += 1 / (r + k);
      betaRatioDa -= 1 / abk;
      betaRatioDb += a / ((b + k) * abk);
    }
    let g = gammaRatio;
    let bt = betaRatio;
    let gDr = gammaRatioDr;
    let bDa = betaRatioDa;
    let bDb = betaRatioDb;
    if (x > k) {
      // From k to x with gamma functions whose arguments are all >= k, where their differences are accurate.
      g += logGamma(r + x) - logGamma(r + k);
      bt += logGamma(b + x) - logGamma(b + k) - logGamma(a + b + x) + logGamma(a + b + k);
      gDr += digamma(r + x) - digamma(r + k);
      const abDiff = digamma(a + b + k) - digamma(a + b + x);
      bDa += abDiff;
      bDb += digamma(b + x) - digamma(b + k) + abDiff;
    }
    ll += weight * (g + bt);
    dr += weight * gDr;
    da += weight * bDa;
    db += weight * bDb;
    dropConstant[i] = logA - Math.log(b + x - 1);
    invDrop[i] = 1 / (b + x - 1);
  }
  const triples = data.tripleWeights.length;
  for (let j = 0; j < triples; j++) {
    const xi = data.tripleX[j] as number;
    const iT = data.tripleT[j] as number;
    const weight = data.tripleWeights[j] as number;
    const x = xs[xi] as number;
    const shape = r + x;
    const logAgeT = logAge[iT] as number;
    const aliveTerm = -shape * logAgeT;
    if (x === 0) {
      ll += weight * aliveTerm;
      dr -= weight * logAgeT;
      dAlpha -= weight * shape * (invAge[iT] as number);
      continue;
    }
    const iTx = data.tripleTx[j] as number;
    const logAgeTx = logAge[iTx] as number;
    const droppedTerm = (dropConstant[xi] as number) - shape * logAgeTx;
    // log-sum-exp of the two terms, and the share of the "dropped out after the last purchase" term.
    const gap = droppedTerm - aliveTerm;
    let droppedShare: number;
    if (gap > 0) {
      const e = Math.exp(-gap);
      ll += weight * (droppedTerm + Math.log1p(e));
      droppedShare = 1 / (1 + e);
    } else {
      const e = Math.exp(gap);
      ll += weight * (aliveTerm + Math.log1p(e));
      droppedShare = e / (1 + e);
    }
    const aliveShare = 1 - droppedShare;
    dr -= weight * (aliveShare * logAgeT + droppedShare * logAgeTx);
    dAlpha -= weight * shape * (aliveShare * (invAge[iT] as number) + droppedShare * (invAge[iTx] as number));
    da += (weight * droppedShare) / a;
    db -= weight * droppedShare * (invDrop[xi] as number);
  }
  return { logLikelihood: ll, gradient: [dr * r, dAlpha * alpha, da * a, db * b] };
}

/**
 * Log-parameters stay within ±this (parameters within e^∓18 ≈ 1.5e-8 .. 6.6e7). The maximum can lie at
 * infinity (e.g. a, b -> ∞ when all customers share one drop-out probability, r -> ∞ when they share one
 * purchase rate); out there the model no longer changes, so the fit stops at the bound instead.
 */
const MAX_ABS_LOG_PARAMETER = 18;
/** Converged when every (projected) gradient component of the mean log-likelihood per customer is below this. */
const GRADIENT_TOLERANCE = 1e-9;
/** ... or when three iterations in a row improve the mean log-likelihood by less than this (relative). */
const STALL_TOLERANCE = 1e-13;
const DEFAULT_MAX_ITERATIONS = 500;
/** Restarts with a fresh Hessian estimate once converged, to confirm the optimum (or move on if it was not one). */
const MAX_RESTARTS = 3;
/** Never move a log-parameter by more than this in one step (a factor e^2 on the parameter). */
const MAX_LOG_STEP = 2;
/** Backtracking gives up below this step length. */
const MIN_STEP = 1e-10;

/**
 * Maximum-likelihood BG/NBD parameters over all customers.
 *
 * BFGS (quasi-Newton with analytic gradients) on the logs of r, alpha, a, b, which keeps them positive and
 * makes the surface well scaled, with a backtracking (Armijo) line search and simple bounds on the
 * log-parameters; once converged it restarts from the optimum with a fresh Hessian estimate until a restart
 * no longer improves. Identical (x, tx, T) are aggregated first and the x-only parts computed once per
 * distinct x, so a fit costs a few dozen passes over the distinct triples.
 */
export function fitBgNbd(summaries: readonly RfmSummary[], options: FitBgNbdOptions = {}): BgNbdModel {
  if (summaries.length === 0) throw new RangeError("Cannot fit the BG/NBD model: no customers");
  const data = aggregate(summaries);
  if (data.xs.every((x) => x === 0)) {
    throw new RangeError(
      "Cannot fit the BG/NBD model: no customer has a repeat purchase, so drop-out cannot be estimated",
    );
  }
  const start = options.start ?? { r: 1, alpha: 1, a: 1, b: 1 };
  checkParameters(start);
  const maxIterations = options.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  const total = data.customers;

  // Minimise the mean negative log-likelihood per customer, so tolerances do not depend on the data size.
  const objective = (theta: Vector): Point => {
    const e = evaluate(data, Math.exp(theta[0]), Math.exp(theta[1]), Math.exp(theta[2]), Math.exp(theta[3]));
    const g = e.gradient;
    return {
      value: -e.logLikelihood / total,
      gradient: [-g[0] / total, -g[1] / total, -g[2] / total, -g[3] / total],
    };
  };

  let theta = [start.r, start.alpha, start.a, start.b].map((v) => clampLog(Math.log(v))) as Vector;
  let current = objective(theta);
  if (!Number.isFinite(current.value))
    throw new RangeError("The BG/NBD likelihood is not finite at the start");
  let iterations = 0;
  let converged = false;
  for (let restart = 0; restart <= MAX_RESTARTS && iterations < maxIterations; restart++) {
    const before = current.value;
    const run = bfgs(objective, theta, current, maxIterations - iterations);
    iterations += run.iterations;
    theta = run.theta;
    current = run.at;
    converged = run.converged;
    if (converged && before - current.value <= STALL_TOLERANCE * Math.max(1, Math.abs(current.value))) break;
  }
  const [r, alpha, a, b] = theta.map(Math.exp) as Vector;
  return { r, alpha, a, b, logLikelihood: -current.value * total, customers: total, iterations, converged };
}

/** The model's log-likelihood of these customers at the given parameters (e.g. to compare fits or a backtest). */
export function bgNbdLogLikelihood(parameters: BgNbdParameters, summaries: readonly RfmSummary[]): number {
  checkParameters(parameters);
  const { r, alpha, a, b } = parameters;
  return evaluate(aggregate(summaries), r, alpha, a, b).logLikelihood;
}

function clampLog(value: number): number {
  return Math.min(MAX_ABS_LOG_PARAMETER, Math.max(-MAX_ABS_LOG_PARAMETER, value));
}

interface Point {
  readonly value: number;
  readonly gradient: Vector;
}

/** The gradient with the components that push against a bound set to 0 (those variables are held there). */
function projectedGradient(theta: Vector, gradient: Vector): Vector {
  return gradient.map((g, k) => {
    const v = theta[k] as number;
    const pinned = (v >= MAX_ABS_LOG_PARAMETER && g < 0) || (v <= -MAX_ABS_LOG_PARAMETER && g > 0);
    return pinned ? 0 : g;
  }) as Vector;
}

function bfgs(
  objective: (theta: Vector) => Point,
  start: Vector,
  startPoint: Point,
  maxIterations: number,
): { theta: Vector; at: Point; iterations: number; converged: boolean } {
  let theta = start;
  let at = startPoint;
  let inverse = identity(); // inverse-Hessian estimate, row-major 4x4
  let fresh = true; // not yet updated: the first update rescales it
  let stalls = 0;
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const gradient = projectedGradient(theta, at.gradient);
    if (Math.max(...gradient.map(Math.abs)) < GRADIENT_TOLERANCE) {
      return { theta, at, iterations: iteration, converged: true };
    }
    let direction = multiply(inverse, gradient).map((v, k) => (gradient[k] === 0 ? 0 : -v)) as Vector;
    let slope = dot(direction, gradient);
    if (!(slope < 0)) {
      inverse = identity();
      fresh = true;
      direction = gradient.map((v) => -v) as Vector;
      slope = dot(direction, gradient);
    }
    const longest = Math.max(...direction.map(Math.abs));
    let step = longest > MAX_LOG_STEP ? MAX_LOG_STEP / longest : 1;
    let accepted: { theta: Vector; point: Point } | null = null;
    for (; step >= MIN_STEP; step /= 2) {
      const trial = theta.map((v, k) => clampLog(v + step * (direction[k] as number))) as Vector;
      const point = objective(trial);
      if (Number.isFinite(point.value) && point.value <= at.value + 1e-4 * step * slope) {
        accepted = { theta: trial, point };
        break;
      }
    }
    if (accepted === null) {
      // No descent left at this precision along a steepest-descent step: as converged as the arithmetic allows.
      if (fresh) return { theta, at, iterations: iteration + 1, converged: true };
      inverse = identity();
      fresh = true;
      continue;
    }
    const s = accepted.theta.map((v, k) => v - (theta[k] as number)) as Vector;
    const y = accepted.point.gradient.map((v, k) => v - (at.gradient[k] as number)) as Vector;
    const improvement = at.value - accepted.point.value;
    theta = accepted.theta;
    at = accepted.point;
    stalls = improvement <= STALL_TOLERANCE * Math.max(1, Math.abs(at.value)) ? stalls + 1 : 0;
    if (stalls >= 3) return { theta, at, iterations: iteration + 1, converged: true };
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (fresh) {
        const scale = sy / dot(y, y);
        inverse = identity().map((v) => v * scale);
        fresh = false;
      }
      inverse = bfgsUpdate(inverse, s, y, sy);
    }
  }
  return { theta, at, iterations: maxIterations, converged: false };
}

function identity(): number[] {
  return [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
}

function dot(u: readonly number[], v: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < u.length; i++) sum += (u[i] as number) * (v[i] as number);
  return sum;
}

function multiply(matrix: readonly number[], v: readonly number[]): Vector {
  const out: Vector = [0, 0, 0, 0];
  for (let i = 0; i < 4; i++) {
    let sum = 0;
    for (let j = 0; j < 4; j++) sum += (matrix[i * 4 + j] as number) * (v[j] as number);
    out[i] = sum;
  }
  return out;
}

/** H' = (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ with ρ = 1/(yᵀs), for symmetric H. */
function bfgsUpdate(inverse: readonly number[], s: Vector, y: Vector, sy: number): number[] {
  const rho = 1 / sy;
  const hy = multiply(inverse, y);
  const yhy = dot(y, hy);
  const out = new Array<number>(16);
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      const si = s[i] as number;
      const sj = s[j] as number;
      out[i * 4 + j] =
        (inverse[i * 4 + j] as number) -
        rho * ((hy[i] as number) * sj + si * (hy[j] as number)) +
        (rho * rho * yhy + rho) * si * sj;
    }
  }
  return out;
}
