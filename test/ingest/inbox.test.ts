import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Inbox } from "../../src/ingest/inbox.js";
import { tempDir } from "../helpers.js";

const t = tempDir();
afterAll(t.cleanup);

describe("Inbox (watch's)", () => {
  it("takes a file once it is the same at two looks, in name order; leaves dot names and directories alone", () => {
    const dir = join(t.dir, "in");
    mkdirSync(join(dir, "sub"), { recursive: true });
    writeFileSync(join(dir, "b.csv"), "x\n");
    writeFileSync(join(dir, "a.csv"), "x\n");
    writeFileSync(join(dir, ".c.csv.part"), "x\n");
    const inbox = new Inbox(dir);
    expect(inbox.ready()).toEqual([]);
    // b.csv still being written: it grew since the last look.
    appendFileSync(join(dir, "b.csv"), "y\n");
    expect(inbox.ready()).toEqual([join(dir, "a.csv")]);
    // Taken once: not again while it stays as it was (its handler moves it, or keeps it to retry).
    expect(inbox.ready()).toEqual([join(dir, "b.csv")]);
    expect(inbox.ready()).toEqual([]);
    expect(inbox.ready()).toEqual([]);
    // A file of that name written again is taken again, once whole.
    appendFileSync(join(dir, "a.csv"), "z\n");
    expect(inbox.ready()).toEqual([]);
    expect(inbox.ready()).toEqual([join(dir, "a.csv")]);
    // At once: whatever is there, dot names still aside.
    expect(new Inbox(dir).ready(true)).toEqual([join(dir, "a.csv"), join(dir, "b.csv")]);
  });

  it("says a file is arriving from the look that first sees it until it is taken; dot names are not", () => {
    const dir = join(t.dir, "arriving");
    mkdirSync(dir);
    const inbox = new Inbox(dir);
    writeFileSync(join(dir, ".a.csv.part"), "x\n");
    expect(inbox.ready()).toEqual([]);
    expect(inbox.arriving()).toBe(false);
    writeFileSync(join(dir, "a.csv"), "x\n");
    expect(inbox.arriving()).toBe(false);
    expect(inbox.ready()).toEqual([]);
    expect(inbox.arriving()).toBe(true);
    expect(inbox.ready()).toEqual([join(dir, "a.csv")]);
    expect(inbox.arriving()).toBe(false);
    // Taken and moved out: nothing is on its way.
    inbox.ingested(join(dir, "a.csv"));
    expect(inbox.ready()).toEqual([]);
    expect(inbox.arriving()).toBe(false);
  });

  it("moves handled files out, a failed one with its reason, never over an earlier file of the same name", () => {
    const dir = join(t.dir, "moves");
    mkdirSync(dir);
    const inbox = new Inbox(dir);
    writeFileSync(join(dir, "day.csv"), "1\n");
    expect(inbox.ingested(join(dir, "day.csv"))).toBe(join(dir, "ingested", "day.csv"));
    writeFileSync(join(dir, "day.csv"), "2\n");
    expect(inbox.ingested(join(dir, "day.csv"))).toBe(join(dir, "ingested", "day.csv.2"));
    expect(readFileSync(join(dir, "ingested", "day.csv"), "utf8")).toBe("1\n");
    writeFileSync(join(dir, "bad.csv"), "?\n");
    const to = inbox.failed(join(dir, "bad.csv"), "no column named amount");
    expect(to).toBe(join(dir, "failed", "bad.csv"));
    expect(readFileSync(`${to}.error.txt`, "utf8")).toBe("no column named amount\n");
    expect(existsSync(join(dir, "bad.csv"))).toBe(false);
  });
});
