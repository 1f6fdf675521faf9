import { existsSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { writeAmlworldRows } from "../fixtures.js";
import { cli, cliProcess, spawnCli, tempDir, withStore, writeFile } from "../helpers.js";

const t = tempDir();
afterAll(t.cleanup);

async function waitFor(path: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!existsSync(path)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${path}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("idempotence", () => {
  it("the same file twice adds nothing and says so", async () => {
    const ws = `${t.dir}/ws-idem`;
    const path = writeAmlworldRows(t.dir, "a.csv", 500, 1);
    const first = await cli(["--workspace", ws, "--json", "ingest", path, "--format", "amlworld"]);
    expect(JSON.parse(first.stdout).files[0]).toMatchObject({ accepted: 500, already_ingested: false });
    const before = await withStore(ws, (s) => s.counts());
    const again = await cli(["--workspace", ws, "ingest", path, "--format", "amlworld"]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/already ingested .*nothing added/);
    const copy = writeFile(
      t.dir,
      "renamed-copy.csv",
      await import("node:fs").then((fs) => fs.readFileSync(path)),
    );
    const third = await cli(["--workspace", ws, "--json", "ingest", copy, "--format", "amlworld"]);
    expect(JSON.parse(third.stdout).files[0]).toMatchObject({
      accepted: 0,
      already_ingested: true,
      duplicates: 500,
    });
    expect(await withStore(ws, (s) => s.counts())).toEqual(before);
  });
});

describe("file fingerprints", () => {
  it("a file changed in place, even to the same size, is read again; an unchanged one is not", async () => {
    const ws = `${t.dir}/ws-fp`;
    const path = writeAmlworldRows(t.dir, "fp.csv", 100, 11);
    expect(
      JSON.parse((await cli(["--workspace", ws, "--json", "ingest", path, "--format", "amlworld"])).stdout)
        .files[0],
    ).toMatchObject({ accepted: 100 });
    const again = JSON.parse(
      (await cli(["--workspace", ws, "--json", "ingest", path, "--format", "amlworld"])).stdout,
    ).files[0];
    expect(again).toMatchObject({ accepted: 0, already_ingested: true });
    // Same length, other content, and the modification time put back as it was.
    const { readFileSync, statSync, utimesSync } = await import("node:fs");
    const before = statSync(path);
    const text = readFileSync(path, "utf8");
    const changed = text.replace(/,(\d)(\d)\.(\d\d),/, (_m, a, b, c) => `,${b}${a}.${c},`);
    expect(changed).not.toBe(text);
    writeFile(t.dir, "fp.csv", changed);
    utimesSync(path, before.atime, before.mtime);
    const third = JSON.parse(
      (await cli(["--workspace", ws, "--json", "ingest", path, "--format", "amlworld"])).stdout,
    ).files[0];
    expect(third.sha256).not.toBe(again.sha256);
    expect(third).toMatchObject({ accepted: 100, already_ingested: false });
  });
});

describe("atomicity", () => {
  it("a process killed with SIGKILL mid-file leaves the workspace as it was before that file", async () => {
    const ws = `${t.dir}/ws-kill`;
    const earlier = writeAmlworldRows(t.dir, "earlier.csv", 300, 2);
    expect((await cli(["--workspace", ws, "ingest", earlier, "--format", "amlworld"])).code).toBe(0);
    const before = await withStore(ws, (s) => s.counts());

    const big = writeAmlworldRows(t.dir, "big.csv", 50_000, 3);
    const marker = `${t.dir}/failpoint-reached`;
    const child = spawnCli(["--workspace", ws, "ingest", big, "--format", "amlworld"], {
      MONEYTRAIL_FAILPOINT: "ingest-before-commit",
      MONEYTRAIL_FAILPOINT_FILE: marker,
    });
    const exited = new Promise((resolve) => child.on("exit", resolve));
    // The child has written every row of the file inside its transaction and waits before COMMIT.
    await waitFor(marker);
    child.kill("SIGKILL");
    expect(await exited).toBe(null);

    expect(await withStore(ws, (s) => s.counts())).toEqual(before);
    expect((await withStore(ws, (s) => s.sourceFiles())).map((f) => f.name)).toEqual(["earlier.csv"]);
    // And the file can be loaded afterwards, whole.
    const retry = await cli(["--workspace", ws, "--json", "ingest", big, "--format", "amlworld"]);
    expect(JSON.parse(retry.stdout).files[0]).toMatchObject({ rows: 50_000, accepted: 50_000 });
  });

  it("a kill while the file is still being read leaves nothing either", async () => {
    const ws = `${t.dir}/ws-kill-early`;
    const big = writeAmlworldRows(t.dir, "big2.csv", 200_000, 4);
    const child = spawnCli(["--workspace", ws, "ingest", big, "--format", "amlworld"]);
    const exited = new Promise((resolve) => child.on("exit", resolve));
    await waitFor(`${ws}/moneytrail.duckdb`);
    await new Promise((r) => setTimeout(r, 300));
    child.kill("SIGKILL");
    await exited;
    const counts = await withStore(ws, (s) => s.counts());
    // Either the whole file landed before the kill or none of it did; never a part.
    expect([0, 200_000]).toContain(counts.transactions);
    expect(counts.source_files).toBe(counts.transactions === 0 ? 0 : 1);
  });
});

describe("one process at a time", () => {
  it("a second process that opens a workspace in use gets a clear error", async () => {
    const ws = `${t.dir}/ws-lock`;
    const file = writeAmlworldRows(t.dir, "lock.csv", 1_000, 5);
    const marker = `${t.dir}/lock-reached`;
    const holder = spawnCli(["--workspace", ws, "ingest", file, "--format", "amlworld"], {
      MONEYTRAIL_FAILPOINT: "ingest-before-commit",
      MONEYTRAIL_FAILPOINT_FILE: marker,
    });
    const exited = new Promise((resolve) => holder.on("exit", resolve));
    try {
      await waitFor(marker);
      const second = cliProcess(["--workspace", ws, "status"]);
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(/is in use by another moneytrail process \(pid \d+\)/);
    } finally {
      holder.kill("SIGKILL");
      await exited;
    }
    expect((await withStore(ws, (s) => s.counts())).transactions).toBe(0);
  });
});
