// A seeded synthetic market: per symbol, geometric Brownian motion whose drift and volatility
// switch between regimes (calm, trending up, trending down, volatile) as a Markov chain. The same
// seed gives the same bars, so backtests and tests are repeatable. Pure: time comes in as bar
// times; nothing reads a clock. `shock` scripts a jump (drills, the kill-switch scenario).
import type { Candle } from '../../ports/exchange.ts';

interface SymbolSpec {
  symbol: string;
  startPrice: number;
  /** Annualised volatility in the calm regime (default 0.5: crypto-like). */
  annualVol?: number;
}

interface Regime {
  name: string;
  /** Annualised drift. */
  drift: number;
  /** Multiplier on the symbol's volatility. */
  volScale: number;
}

export const REGIMES: readonly Regime[] = [
  { name: 'calm', drift: 0, volScale: 1 },
  { name: 'trend_up', drift: 3, volScale: 1.2 },
  { name: 'trend_down', drift: -3, volScale: 1.2 },
  { name: 'volatile', drift: 0, volScale: 3 },
];

/** Chance per bar of leaving the current regime (mean regime length 1/p bars). */
const SWITCH_PER_BAR = 1 / 240;
const MINUTES_PER_YEAR = 365 * 24 * 60;

export const DEFAULT_SYMBOLS: readonly SymbolSpec[] = [
  { symbol: 'BTCUSDT', startPrice: 60_000, annualVol: 0.5 },
  { symbol: 'ETHUSDT', startPrice: 3_000, annualVol: 0.65 },
  { symbol: 'SOLUSDT', startPrice: 150, annualVol: 0.9 },
  { symbol: 'BNBUSDT', startPrice: 550, annualVol: 0.55 },
];

/** Every symbol the synthetic market knows a realistic price for: the defaults plus a few more to trade on request. */
export const KNOWN_SYMBOLS: readonly SymbolSpec[] = [
  ...DEFAULT_SYMBOLS,
  { symbol: 'DOGEUSDT', startPrice: 0.16, annualVol: 1.0 },
  { symbol: 'XRPUSDT', startPrice: 0.6, annualVol: 0.8 },
];

/** mulberry32: a small, fast, seedable PRNG (uniform in [0, 1)). */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal from two uniforms (Box–Muller). */
function normal(rand: () => number): number {
  const u = 1 - rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

interface SymbolState {
  spec: SymbolSpec;
  price: number;
  regime: number;
  pendingShock: number;
  bars: Candle[];
}

interface SyntheticMarketOptions {
  seed: number;
  symbols?: readonly SymbolSpec[];
  /** Bar length in ms; each bar is priced as one minute of market time (default 60,000). */
  barMs?: number;
  /** Open time of the first bar. */
  startMs: number;
  /** Bars kept per symbol (older ones are dropped; default 1,000). */
  keep?: number;
}

export interface SyntheticMarket {
  readonly symbols: readonly string[];
  readonly barMs: number;
  /** Close time of the newest bar (startMs before the first). */
  readonly timeMs: number;
  /** Adds one bar per symbol; returns the new bars by symbol. */
  step(): Map<string, Candle>;
  /** Adds bars until the newest closes at or after nowMs; returns how many steps it took. */
  advanceTo(nowMs: number): number;
  /** Last close. */
  price(symbol: string): number | undefined;
  /** The newest `limit` bars, oldest first. */
  candles(symbol: string, limit: number): Candle[];
  regime(symbol: string): string | undefined;
  /** The next bar of `symbol` jumps by `fraction` (-0.2 = a 20 % crash). */
  shock(symbol: string, fraction: number): void;
  /** Scales the symbol's whole path so that its last close is `price` (a restart continues from the last mark). */
  rebase(symbol: string, price: number): void;
}

export function createSyntheticMarket(o: SyntheticMarketOptions): SyntheticMarket {
  const rand = seededRandom(o.seed);
  const barMs = o.barMs ?? 60_000;
  const keep = o.keep ?? 1_000;
  const dt = 1 / MINUTES_PER_YEAR;
  const states = new Map<string, SymbolState>();
  for (const spec of o.symbols ?? DEFAULT_SYMBOLS) {
    states.set(spec.symbol, { spec, price: spec.startPrice, regime: 0, pendingShock: 0, bars: [] });
  }
  let timeMs = o.startMs;

  function stepSymbol(s: SymbolState, openTimeMs: number): Candle {
    if (rand() < SWITCH_PER_BAR) s.regime = Math.floor(rand() * REGIMES.length);
    const regime = REGIMES[s.regime]!;
    const sigma = (s.spec.annualVol ?? 0.5) * regime.volScale;
    const open = s.price;
    let close =
      open *
      Math.exp((regime.drift - (sigma * sigma) / 2) * dt + sigma * Math.sqrt(dt) * normal(rand));
    if (s.pendingShock !== 0) {
      close *= 1 + s.pendingShock;
      s.pendingShock = 0;
    }
    const wick = sigma * Math.sqrt(dt) * 0.5;
    const high = Math.max(open, close) * (1 + Math.abs(normal(rand)) * wick);
    const low = Math.min(open, close) * (1 - Math.abs(normal(rand)) * wick);
    const volume = (1_000_000 / s.spec.startPrice) * (0.5 + rand()) * regime.volScale;
    s.price = close;
    const bar = { openTimeMs, open, high, low, close, volume, closeTimeMs: openTimeMs + barMs - 1 };
    s.bars.push(bar);
    if (s.bars.length > keep * 2) s.bars.splice(0, s.bars.length - keep);
    return bar;
  }

  const market: SyntheticMarket = {
    symbols: [...states.keys()],
    barMs,
    get timeMs() {
      return timeMs;
    },
    step() {
      const out = new Map<string, Candle>();
      for (const s of states.values()) out.set(s.spec.symbol, stepSymbol(s, timeMs));
      timeMs += barMs;
      return out;
    },
    advanceTo(nowMs) {
      let n = 0;
      while (timeMs + barMs <= nowMs) {
        market.step();
        n++;
      }
      return n;
    },
    price: (symbol) => states.get(symbol)?.price,
    candles(symbol, limit) {
      const bars = states.get(symbol)?.bars ?? [];
      return bars.slice(Math.max(0, bars.length - Math.max(0, limit)));
    },
    regime: (symbol) => {
      const s = states.get(symbol);
      return s ? REGIMES[s.regime]!.name : undefined;
    },
    rebase(symbol, price) {
      const s = states.get(symbol);
      if (!s || !(price > 0 && Number.isFinite(price)) || !(s.price > 0)) return;
      const k = price / s.price;
      for (const b of s.bars)
        Object.assign(b, {
          open: b.open * k,
          high: b.high * k,
          low: b.low * k,
          close: b.close * k,
        });
      s.price = price;
    },
    shock(symbol, fraction) {
      const s = states.get(symbol);
      if (s && fraction > -1 && Number.isFinite(fraction)) s.pendingShock = fraction;
    },
  };
  return market;
}
