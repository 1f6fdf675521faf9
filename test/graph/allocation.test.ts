import { describe, expect, it } from "vitest";
import { LotArrays, newBalance, TRACE_METHODS, type TraceMethod } from "../../src/graph/allocation.js";

/**
 * One account, worked by hand: 500 of its own money, 1,000 traced money, a withdrawal of 1,200,
 * 2,000 of its own money, a withdrawal of 1,500. The withdrawal of 1,200 dips below the traced
 * 1,000 (the textbook case for LIBR), and the later deposit does not restore it.
 */
function run(method: TraceMethod): { debits: number[]; traced: number; balance: number } {
  const b = newBalance(method);
  b.credit(500, 0);
  b.credit(1000, 1000);
  const first = b.debit(1200);
  b.credit(2000, 0);
  const second = b.debit(1500);
  return { debits: [first, second], traced: b.traced, balance: b.balance };
}

describe("allocation on a commingled account", () => {
  it("FIFO: the oldest money leaves first", () => {
    // 1,200 = 500 own + 700 traced; 1,500 = the 300 traced left + 1,200 own.
    const r = run("fifo");
    expect(r.debits[0]).toBeCloseTo(700, 6);
    expect(r.debits[1]).toBeCloseTo(300, 6);
    expect(r.traced).toBeCloseTo(0, 6);
    expect(r.balance).toBeCloseTo(800, 6);
  });

  it("LIFO: the newest money leaves first", () => {
    // 1,200 = 1,000 traced + 200 own; 1,500 comes from the 2,000 own.
    const r = run("lifo");
    expect(r.debits[0]).toBeCloseTo(1000, 6);
    expect(r.debits[1]).toBeCloseTo(0, 6);
    expect(r.traced).toBeCloseTo(0, 6);
  });

  it("pro-rata: each debit carries the account's traced share at that moment", () => {
    // 1,200 × 1,000/1,500 = 800; then 200 traced of 2,300: 1,500 × 200/2,300 = 130.43…
    const r = run("pro-rata");
    expect(r.debits[0]).toBeCloseTo(800, 6);
    expect(r.debits[1]).toBeCloseTo((1500 * 200) / 2300, 6);
    expect(r.traced).toBeCloseTo(200 - (1500 * 200) / 2300, 6);
  });

  it("LIBR: own money first; the traced money left is capped at the lowest balance and not restored", () => {
    // Balance 1,500 → 300 after the withdrawal: traced capped at 300 (700 left with it). The
    // 2,000 deposit is not traced money: 300 stays traced, and the 1,500 withdrawal takes none.
    const r = run("libr");
    expect(r.debits[0]).toBeCloseTo(700, 6);
    expect(r.debits[1]).toBeCloseTo(0, 6);
    expect(r.traced).toBeCloseTo(300, 6);
    expect(r.balance).toBeCloseTo(800, 6);
  });

  it("takes an unknown opening balance as zero: a debit beyond the balance is unfunded, not traced", () => {
    for (const method of TRACE_METHODS) {
      const b = newBalance(method);
      b.credit(100, 100);
      expect(b.debit(250), method).toBeCloseTo(100, 6);
      expect(b.unfunded, method).toBeCloseTo(150, 6);
      expect(b.balance, method).toBe(0);
    }
  });

  it("never attributes more traced money than the account received", () => {
    for (const method of TRACE_METHODS) {
      const b = newBalance(method);
      let out = 0;
      const amounts = [300, 120, 80, 500, 60, 900, 45];
      amounts.forEach((a, k) => {
        if (k % 2 === 0) b.credit(a, k === 0 || k === 4 ? a : a / 3);
        else out += b.debit(a);
      });
      // Credits at even places: 300 (all traced), 80 (a third), 60 (all), 45 (a third).
      const tracedIn = 300 + 80 / 3 + 60 + 45 / 3;
      expect(out + b.traced, method).toBeCloseTo(tracedIn, 6);
    }
  });
});

describe("balances fed many credits at once", () => {
  it("take a run of untraced credits exactly as one credit after another, lots reused or not", () => {
    const arrays = new LotArrays();
    for (const method of TRACE_METHODS) {
      // Several rounds on arrays given back and taken again: left-over contents must not matter.
      for (let round = 0; round < 3; round++) {
        const one = newBalance(method);
        const many = newBalance(method, arrays);
        const amounts = Float64Array.from(
          { length: 3000 },
          (_, k) => ((k * 7919) % 1000) / 7 - (k % 97 === 0 ? 5 : 0),
        );
        one.credit(250, 250);
        many.credit(250, 250);
        const debits: [number, number][] = [];
        for (let k = 0; k < amounts.length; k += 500) {
          for (const a of amounts.subarray(k, k + 500)) one.credit(a, 0);
          many.creditUntraced(amounts.subarray(k, k + 500), 500);
          debits.push([one.debit(30_000 + k), many.debit(30_000 + k)]);
          one.credit(40, 20);
          many.credit(40, 20);
        }
        for (const [x, y] of debits) expect(y, method).toBe(x);
        expect([many.balance, many.traced, many.unfunded], method).toEqual([
          one.balance,
          one.traced,
          one.unfunded,
        ]);
        many.release();
      }
    }
  });
});
