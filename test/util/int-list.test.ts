import { describe, expect, it } from "vitest";
import { IntList } from "../../src/util/int-list.js";

describe("IntList", () => {
  it("keeps every value pushed, in order, past many doublings of its capacity", () => {
    const list = new IntList(1);
    const plain: number[] = [];
    for (let k = 0; k < 10_000; k++) {
      const v = (k * 7919) % 100_003;
      list.push(v);
      plain.push(v);
    }
    expect(list.length).toBe(10_000);
    expect([...list.view()]).toEqual(plain);
    expect(list.get(list.length - 1)).toBe(plain.at(-1));
  });

  it("is empty at first, and keeps negative values", () => {
    const list = new IntList();
    expect(list.view()).toHaveLength(0);
    list.push(-1);
    list.push(2_147_483_647);
    expect([...list.view()]).toEqual([-1, 2_147_483_647]);
  });

  it("gives a view that later pushes do not change", () => {
    const list = new IntList(16);
    for (let k = 0; k < 16; k++) list.push(k);
    const before = list.view();
    list.push(99);
    expect(before).toHaveLength(16);
    expect(list.view()).toHaveLength(17);
  });
});
