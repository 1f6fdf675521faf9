import { describe, expect, it } from "vitest";
import { ScratchPool } from "../../src/util/scratch-pool.js";

describe("ScratchPool", () => {
  it("allocates plainly outside a run, and keeps nothing", () => {
    const pool = new ScratchPool();
    const a = pool.take(Int32Array, 10);
    expect(a).toHaveLength(10);
    expect(a.buffer.byteLength).toBe(40);
    expect(pool.bytes).toBe(0);
  });

  it("gives a run the tables of the run before, written over with zeros", async () => {
    const pool = new ScratchPool();
    let first: Int32Array | null = null;
    await pool.during(async () => {
      first = pool.take(Int32Array, 1000).fill(7);
    });
    await pool.during(async () => {
      const again = pool.take(Int32Array, 1000);
      expect(again.buffer).toBe((first as unknown as Int32Array).buffer);
      expect(again.every((x) => x === 0)).toBe(true);
      // A second table in the same run is another buffer.
      const other = pool.take(Uint8Array, 1000);
      expect(other.buffer).not.toBe(again.buffer);
    });
  });

  it("serves a smaller table of another type from a kept buffer, the smallest that fits", async () => {
    const pool = new ScratchPool();
    await pool.during(async () => {
      pool.take(Float64Array, 1000);
      pool.take(Uint8Array, 100);
    });
    const kept = pool.bytes;
    await pool.during(async () => {
      const small = pool.take(Uint32Array, 20);
      expect(small).toHaveLength(20);
      expect(small.buffer.byteLength).toBeLessThan(8000);
      const large = pool.take(Int32Array, 2000);
      expect(large.buffer.byteLength).toBeGreaterThanOrEqual(8000);
    });
    expect(pool.bytes).toBe(kept);
  });

  it("gives nothing back while another run is open", async () => {
    const pool = new ScratchPool();
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let fromFirst: ArrayBufferLike | null = null;
    const first = pool.during(async () => {
      fromFirst = pool.take(Uint8Array, 64).buffer;
      await held;
    });
    await pool.during(async () => {
      pool.take(Uint8Array, 8);
    });
    // The first run is still open: its table is not lent again.
    await pool.during(async () => {
      const b = pool.take(Uint8Array, 64);
      expect(b.buffer).not.toBe(fromFirst);
      release();
      await first;
    });
    await pool.during(async () => {
      const seen = [pool.take(Uint8Array, 64).buffer, pool.take(Uint8Array, 64).buffer];
      expect(seen).toContain(fromFirst);
    });
  });

  it("fills a table with the value asked, fresh or kept", async () => {
    const pool = new ScratchPool();
    expect([...pool.take(Int32Array, 3, -1)]).toEqual([-1, -1, -1]);
    let kept: ArrayBufferLike | null = null;
    await pool.during(async () => {
      const fresh = pool.take(Uint8Array, 4, 9);
      expect([...fresh]).toEqual([9, 9, 9, 9]);
      kept = fresh.buffer;
    });
    await pool.during(async () => {
      const again = pool.take(Uint8Array, 4, 5);
      expect(again.buffer).toBe(kept);
      expect([...again]).toEqual([5, 5, 5, 5]);
    });
    await pool.during(async () => {
      expect([...pool.take(Uint8Array, 4)]).toEqual([0, 0, 0, 0]);
    });
  });

  it("gives the tables back when a run throws", async () => {
    const pool = new ScratchPool();
    let lent: ArrayBufferLike | null = null;
    await expect(
      pool.during(async () => {
        lent = pool.take(Int32Array, 50).buffer;
        throw new Error("failed");
      }),
    ).rejects.toThrow("failed");
    await pool.during(async () => {
      expect(pool.take(Int32Array, 50).buffer).toBe(lent);
    });
  });

  it("reserves buffers for tables of given sizes at once, counting those kept", async () => {
    const pool = new ScratchPool();
    pool.reserve([4000, 1000, 1000]);
    const reserved = pool.bytes;
    expect(reserved).toBeGreaterThanOrEqual(6000);
    // Already there: nothing more.
    pool.reserve([3000, 1000]);
    expect(pool.bytes).toBe(reserved);
    await pool.during(async () => {
      pool.take(Int32Array, 1000);
      pool.take(Uint8Array, 1000);
      pool.take(Uint8Array, 1000);
    });
    expect(pool.bytes).toBe(reserved);
    // One more than kept: one more buffer.
    pool.reserve([1000, 1000, 1000, 1000]);
    expect(pool.bytes).toBeGreaterThan(reserved);
  });
});
