import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseYaml } from "../../src/util/parse-yaml.js";

describe("parseYaml", () => {
  it("reads YAML 1.2 core: dates and yes/no stay text, numbers and booleans are typed", () => {
    const doc = parseYaml(
      [
        "from: 2022-09-01",
        "answer: yes",
        "flag: true",
        "n: 12",
        "ratio: 0.5",
        "bank: '0012'",
        "nothing: ~",
        "list: [a, 'b c']",
      ].join("\n"),
    );
    expect(doc).toEqual({
      from: "2022-09-01",
      answer: "yes",
      flag: true,
      n: 12,
      ratio: 0.5,
      bank: "0012",
      nothing: null,
      list: ["a", "b c"],
    });
  });

  it("refuses a key given twice, several documents, and text that is not YAML", () => {
    expect(() => parseYaml("a: 1\na: 2\n")).toThrow(/duplicated mapping key/);
    expect(() => parseYaml("a: 1\n---\nb: 2\n")).toThrow(/single document/);
    expect(() => parseYaml("a: [1, 2\n")).toThrow();
  });

  it("reads the shipped rule pack to the same data as its JSON form would give", () => {
    const pack = parseYaml(readFileSync(new URL("../../packs/default.yaml", import.meta.url), "utf8"));
    expect(JSON.parse(JSON.stringify(pack))).toEqual(pack);
    expect(pack).toMatchObject({ pack: "default", detectors: expect.any(Object) });
  });
});
