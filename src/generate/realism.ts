import type { Channel } from "../model/channel.js";
import { CHANNELS, currencies, type EventBatch } from "./event-batch.js";
import { minorPerUnit } from "./events.js";
import { Rng } from "./random.js";

/**
 * Realism figures of a generated world (`generate --json`): how many transactions each account
 * sends and receives, the amounts per channel, and the prevalence of each typology. Degrees are
 * counted exactly; amounts through a fixed-size reservoir per channel, so that memory does not
 * grow with the world.
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

export interface RealismReport {
  transactions: number;
  accounts: number;
  out_degree: Distribution;
  in_degree: Distribution;
  /** Share of accounts by out-degree band: a heavy tail shows in the top bands. */
  out_degree_bands: Record<string, number>;
  amount_usd_by_channel: Record<string, Distribution>;
  typologies: Record<string, { instances: number; transactions: number; prevalence: number }>;
  hard_negatives: Record<string, number>;
}

function distribution(values: number[], count: number, sum: number, max: number): Distribution {
  const sorted = values.slice().sort((a, b) => a - b);
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

export class RealismCounter {
  private outDeg: Int32Array;
  private inDeg: Int32Array;
  private readonly amounts = new Map<Channel, { sample: number[]; seen: number; sum: number; max: number }>();
  private readonly rng = new Rng(0x5eed);
  transactions = 0;

  constructor(
    accounts: number,
    private readonly usdPerUnit: Map<string, number>,
  ) {
    this.outDeg = new Int32Array(accounts);
    this.inDeg = new Int32Array(accounts);
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

  add(b: EventBatch, i: number): void {
    this.transactions++;
    const from = b.from[i] as number;
    const to = b.to[i] as number;
    if (from >= 0) {
      this.grow(from);
      this.outDeg[from] = (this.outDeg[from] as number) + 1;
    }
    if (to >= 0) {
      this.grow(to);
      this.inDeg[to] = (this.inDeg[to] as number) + 1;
    }
    const currency = currencies.values[b.currency[i] as number] ?? "USD";
    const usd = ((b.minor[i] as number) / minorPerUnit(currency)) * (this.usdPerUnit.get(currency) ?? 1);
    const channel = CHANNELS[b.channel[i] as number] as Channel;
    let a = this.amounts.get(channel);
    if (!a) {
      a = { sample: [], seen: 0, sum: 0, max: 0 };
      this.amounts.set(channel, a);
    }
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

  report(
    accounts: number,
    typologies: RealismReport["typologies"],
    hardNegatives: Record<string, number>,
  ): RealismReport {
    const degrees = (arr: Int32Array) => {
      const values = Array.from(arr.subarray(0, accounts));
      let sum = 0;
      let max = 0;
      for (const v of values) {
        sum += v;
        if (v > max) max = v;
      }
      return distribution(values, values.length, sum, max);
    };
    const bands: Record<string, number> = { "0": 0, "1-9": 0, "10-99": 0, "100-999": 0, "1000+": 0 };
    for (const v of this.outDeg.subarray(0, accounts)) {
      const band = v === 0 ? "0" : v < 10 ? "1-9" : v < 100 ? "10-99" : v < 1000 ? "100-999" : "1000+";
      bands[band] = (bands[band] as number) + 1;
    }
    const byChannel: Record<string, Distribution> = {};
    for (const [channel, a] of [...this.amounts].sort(([x], [y]) => x.localeCompare(y))) {
      byChannel[channel] = distribution(a.sample, a.seen, a.sum, a.max);
    }
    return {
      transactions: this.transactions,
      accounts,
      out_degree: degrees(this.outDeg),
      in_degree: degrees(this.inDeg),
      out_degree_bands: bands,
      amount_usd_by_channel: byChannel,
      typologies,
      hard_negatives: hardNegatives,
    };
  }
}
