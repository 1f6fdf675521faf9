import { describe, expect, it } from "vitest";
import { transactionIds } from "../../src/graph/edge-refs.js";
import type { Store } from "../../src/store/store.js";
import { graphOf } from "./graph-of.js";

/** A store that answers transaction ids by line ("tx-<line>", none past line 4), and records what it was asked. */
function storeOfIds() {
  const asked: { fileNo: number; line: number }[][] = [];
  const store = {
    async transactionIdsAt(refs: readonly { fileNo: number; line: number }[]) {
      asked.push([...refs]);
      return refs.map((r) => (r.line <= 4 ? `tx-${r.line}` : null));
    },
  } as unknown as Store;
  return { store, asked };
}

describe("transactionIds", () => {
  const g = graphOf([
    ["A", "B", 0, 100],
    ["B", "C", 1, 90],
    ["C", "D", 2, 80],
    ["D", "E", 3, 70],
  ]);
  const file = "f".repeat(64);

  it("looks up each edge once, in one question to the store, and gives null where it has none", async () => {
    const { store, asked } = storeOfIds();
    const ids = await transactionIds(store, g, [0, 1, 1, 3, 0]);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toEqual([
      { fileNo: 1, line: 2 },
      { fileNo: 1, line: 3 },
      { fileNo: 1, line: 5 },
    ]);
    expect([...ids]).toEqual([
      [0, "tx-2"],
      [1, "tx-3"],
      [3, null],
    ]);
  });

  it("takes the ids it is given by source and asks the store only for the others", async () => {
    const { store, asked } = storeOfIds();
    const known = new Map([
      [`${file}:3`, "stored-3"],
      [`${file}:5`, "stored-5"],
      [`${"0".repeat(64)}:2`, "another file's line 2"],
    ]);
    const ids = await transactionIds(store, g, [0, 1, 3], known);
    expect(asked).toEqual([[{ fileNo: 1, line: 2 }]]);
    expect(ids.get(0)).toBe("tx-2");
    expect(ids.get(1)).toBe("stored-3");
    expect(ids.get(3)).toBe("stored-5");
  });
});
