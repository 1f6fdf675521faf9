import { describe, expect, it } from "vitest";
import { progressBar } from "../../src/cli/progress.js";

function io(isTTY: boolean) {
  const written: string[] = [];
  return { written, io: { stdout: () => {}, stderr: (t: string) => written.push(t), isTTY } };
}

describe("progress bar", () => {
  it("draws on a terminal, once per step, and clears itself", () => {
    const { written, io: tty } = io(true);
    const bar = progressBar(tty, "ingest f.csv");
    bar.sink?.(0.5);
    bar.sink?.(0.501); // same cell: no redraw
    bar.sink?.(1);
    bar.done();
    expect(written).toHaveLength(3);
    expect(written[0]).toBe(`\ringest f.csv [${"#".repeat(15)}${"-".repeat(15)}] 50%`);
    expect(written[1]).toContain("100%");
    expect(written[2]?.trim()).toBe("");
  });

  it("prints nothing when stderr is not a terminal", () => {
    const { written, io: pipe } = io(false);
    const bar = progressBar(pipe, "ingest f.csv");
    expect(bar.sink).toBeUndefined();
    bar.done();
    expect(written).toEqual([]);
  });
});
