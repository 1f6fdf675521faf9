import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { holdOutLatest } from "../../bench/hold-out.js";
import { tempDir, writeFile } from "../helpers.js";

/** The detect bench's split of a file into a first delivery and its latest transactions. */
const t = tempDir();
afterAll(t.cleanup);

describe("holdOutLatest", () => {
  it("holds out the latest rows by the time field it is told, header in both files", async () => {
    // The generated generic file: id first, time second; rows not in time order, and ids that
    // sort the other way from the times.
    const rows = [5, 1, 9, 3, 7, 0, 8, 2, 6, 4].map(
      (d) => `TX${9 - d},2022-09-0${d} 10:00:00,001,A${d},002,B${d},10.00,USD`,
    );
    const source = writeFile(
      t.dir,
      "generic.csv",
      `${["txn_id,booked_at,pb,pa,qb,qa,amt,cur", ...rows].join("\n")}\n`,
    );
    const first = join(t.dir, "first.csv");
    const later = join(t.dir, "later.csv");
    expect(await holdOutLatest(source, first, later, 0.2, 1)).toEqual({ base: 8, later: 2 });
    const lines = (path: string) => readFileSync(path, "utf8").trimEnd().split("\n");
    expect(lines(first)[0]).toBe("txn_id,booked_at,pb,pa,qb,qa,amt,cur");
    expect(lines(later).map((l) => l.split(",")[1])).toEqual([
      "booked_at",
      "2022-09-09 10:00:00",
      "2022-09-08 10:00:00",
    ]);
    expect(lines(first)).toHaveLength(9);
  });

  it("reads the time from the first field of an AMLworld file by default", async () => {
    const source = writeFile(
      t.dir,
      "aml.csv",
      "Timestamp,From Bank,Account\n2022/09/02 00:10,1,A\n2022/09/01 00:20,1,B\n2022/09/03 00:00,1,C\n2022/09/01 09:00,1,D\n",
    );
    const first = join(t.dir, "aml-first.csv");
    const later = join(t.dir, "aml-later.csv");
    expect(await holdOutLatest(source, first, later, 0.25)).toEqual({ base: 3, later: 1 });
    expect(readFileSync(later, "utf8")).toContain("2022/09/03 00:00,1,C");
  });
});

describe("holdOutLatest in halves", () => {
  it("splits a delivery at its median time, each half in the source's order with the header", async () => {
    const rows = [3, 1, 4, 0, 5, 2].map((d) => `TX${d},2022-09-0${d + 1} 10:00:00,001,A${d}`);
    const source = writeFile(t.dir, "later.csv", `${["txn_id,booked_at,pb,pa", ...rows].join("\n")}\n`);
    const one = join(t.dir, "later-1.csv");
    const two = join(t.dir, "later-2.csv");
    expect(await holdOutLatest(source, one, two, 0.5, 1)).toEqual({ base: 3, later: 3 });
    const ids = (path: string) =>
      readFileSync(path, "utf8")
        .trimEnd()
        .split("\n")
        .map((l) => l.split(",")[0]);
    expect(ids(one)).toEqual(["txn_id", "TX1", "TX0", "TX2"]);
    expect(ids(two)).toEqual(["txn_id", "TX3", "TX4", "TX5"]);
  });
});
