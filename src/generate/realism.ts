import type { Channel } from "../model/channel.js";
import { CHANNELS, type EventBatch } from "./event-batch.js";
import { minorPerUnit } from "./events.js";
import { Rng } from "./random.js";

/**
 * Realism figures of a generated world (`generate --json`): how many transactions each account
 * sends and receives, the amounts per channel, and the prevalence of each typology. Degrees are
 * counted exactly; amounts through a fixed-size reservoir per channel, so that memory does not
 * grow with the world. Counted where the days are written (the writer's thread, when there is
 * one), and completed with the typologies and hard negatives the main thread knows.
 */

const RESERVOIR = 20_000;

export interface Distribution {
  count: number;
  mean: number;
  p10: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** The figures counted from the transactions themselves. */
export interface CountedFigures {
  transactions: number;
  accounts: number;
  out_degree: Distribution;
  in_degree: Distribution;
  /** Share of accounts by out-degree band: a heavy tail shows in the top bands. */
  out_degree_bands: Record<string, number>;
  amount_usd_by_channel: Record<string, Distribution>;
}

export interface RealismReport extends CountedFigures {
  typologies: Record<string, { instances: number; transactions: number; prevalence: number }>;
  hard_negatives: Record<string, number>;
}

/** The figures of a distribution from its values in ascending order (typed arrays sort numerically, fast). */
function distribution(sorted: ArrayLike<number>, count: number, sum: number, max: number): Distribution {
  const q = (p: number) =>
    sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number);
  const r = (x: number) => Math.round(x * 100) / 100;
  return {
    count,
    mean: count ? r(sum / count) : 0,
    p10: r(q(0.1)),
    p50: r(q(0.5)),
    p90: r(q(0.9)),
    p99: r(q(0.99)),
    max: r(max),
  };
}

interface ChannelAmounts {
  sample: number[];
  seen: number;
  sum: number;
  max: number;
}

export class RealismCounter {
  private outDeg: Int32Array;
  private inDeg: Int32Array;
  private readonly amounts = new Map<Channel, ChannelAmounts>();
  /** The same accumulators by channel index, for the per-row loop. */
  private readonly byChannel: (ChannelAmounts | undefined)[] = [];
  /** Per interned currency (event-batch.ts): minor units per unit, and USD per unit. */
  private readonly perUnit: number[] = [];
  private readonly usdRate: number[] = [];
  private readonly usdPerUnit: Map<string, number>;
  private readonly rng = new Rng(0x5eed);
  transactions = 0;

  constructor(
    private readonly accounts: number,
    usdPerUnit: Iterable<[string, number]>,
  ) {
    this.outDeg = new Int32Array(accounts);
    this.inDeg = new Int32Array(accounts);
    this.usdPerUnit = new Map(usdPerUnit);
  }

  private grow(n: number): void {
    if (n < this.outDeg.length) return;
    const size = Math.max(n + 1, this.outDeg.length * 2);
    const out = new Int32Array(size);
    const inn = new Int32Array(size);
    out.set(this.outDeg);
    inn.set(this.inDeg);
    this.outDeg = out;
    this.inDeg = inn;
  }

  private channel(index: number): ChannelAmounts {
    let a = this.byChannel[index];
    if (!a) {
      a = { sample: [], seen: 0, sum: 0, max: 0 };
      this.byChannel[index] = a;
      this.amounts.set(CHANNELS[index] as Channel, a);
    }
    return a;
  }

  /**
   * Counts every row of a batch, whose currency column indexes `currencyCodes` (the batch's
   * interned table, event-batch.ts: it only grows, so an index keeps its currency).
   */
  addBatch(b: EventBatch, currencyCodes: readonly string[]): void {
    // Currencies new to the table get their rates once, not a lookup per row.
    for (let c = this.perUnit.length; c < currencyCodes.length; c++) {
      const code = currencyCodes[c] ?? "USD";
      this.perUnit.push(minorPerUnit(code));
      this.usdRate.push(this.usdPerUnit.get(code) ?? 1);
    }
    for (let i = 0; i < b.length; i++) this.add(b, i);
  }

  private add(b: EventBatch, i: number): void {
    this.transactions++;
    const from = b.from[i] as number;
    const to = b.to[i] as number;
    if (from >= 0) {
      if (from >= this.outDeg.length) this.grow(from);
      this.outDeg[from] = (this.outDeg[from] as number) + 1;
    }
    if (to >= 0) {
      if (to >= this.outDeg.length) this.grow(to);
      this.inDeg[to] = (this.inDeg[to] as number) + 1;
    }
    const currency = b.currency[i] as number;
    const usd =
      ((b.minor[i] as number) / (this.perUnit[currency] as number)) * (this.usdRate[currency] as number);
    const a = this.channel(b.channel[i] as number);
    a.seen++;
    a.sum += usd;
    if (usd > a.max) a.max = usd;
    // Reservoir sampling (Algorithm R): every amount has the same chance to be in the sample.
    if (a.sample.length < RESERVOIR) a.sample.push(usd);
    else {
      const j = this.rng.int(a.seen);
      if (j < RESERVOIR) a.sample[j] = usd;
    }
  }

  figures(): CountedFigures {
    const accounts = this.accounts;
    const degrees = (arr: Int32Array) => {
      const values = arr.slice(0, accounts);
      let sum = 0;
      let max = 0;
      for (const v of values) {
        sum += v;
        if (v > max) max = v;
      }
      return distribution(values.sort(), values.length, sum, max);
    };
    const bands: Record<string, number> = { "0": 0, "1-9": 0, "10-99": 0, "100-999": 0, "1000+": 0 };
    for (const v of this.outDeg.subarray(0, accounts)) {
      const band = v === 0 ? "0" : v < 10 ? "1-9" : v < 100 ? "10-99" : v < 1000 ? "100-999" : "1000+";
      bands[band] = (bands[band] as number) + 1;
    }
    const byChannel: Record<string, Distribution> = {};
    for (const [channel, a] of [...this.amounts].sort(([x], [y]) => x.localeCompare(y))) {
      byChannel[channel] = distribution(Float64Array.from(a.sample).sort(), a.seen, a.sum, a.max);
    }
    return {
      transactions: this.transactions,
      accounts,
      out_degree: degrees(this.outDeg),
      in_degree: degrees(this.inDeg),
      out_degree_bands: bands,
      amount_usd_by_channel: byChannel,
    };
  }
}

export function realismReport(
  counted: CountedFigures,
  typologies: RealismReport["typologies"],
  hardNegatives: Record<string, number>,
): RealismReport {
  return { ...counted, typologies, hard_negatives: hardNegatives };
}
