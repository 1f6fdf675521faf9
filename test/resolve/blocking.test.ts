import { describe, expect, it } from "vitest";
import {
  BLOCKING_RULES,
  type BlockingRule,
  blockingRecall,
  blockingRulesVersion,
  type CandidatePairs,
  candidatePairs,
  recordKeys,
} from "../../src/resolve/blocking.js";
import type { NormalisedRecord } from "../../src/resolve/normalised-record.js";
import { soundex } from "../../src/resolve/similarity.js";
import { rec } from "./record.js";

const ruleIndex = (id: string): number => {
  const i = BLOCKING_RULES.findIndex((r) => r.id === id);
  if (i < 0) throw new Error(`no rule ${id}`);
  return i;
};

/** The candidate pairs as "a-b" strings, in the order returned. */
const pairList = (p: Pick<CandidatePairs, "a" | "b">): string[] =>
  Array.from(p.a, (a, k) => `${a}-${p.b[k] as number}`);

/** Records with nothing in common but their index-derived ids (no rule keys them). */
const strangers = (n: number): NormalisedRecord[] =>
  Array.from({ length: n }, (_, i) => rec({ partyId: `P${i}` }));

describe("candidatePairs: each default rule finds the pairs that share its key", () => {
  // Per rule: two records that agree on exactly that rule's key (and differ on everything the
  // other rules read), and a third that differs on it.
  const cases: { rule: string; make: (same: boolean) => Partial<NormalisedRecord> }[] = [
    { rule: "national-id", make: (s) => ({ nationalId: s ? "123456789" : "987654321" }) },
    { rule: "tax-id", make: (s) => ({ taxId: s ? "12-3456789" : "98-7654321" }) },
    { rule: "passport", make: (s) => ({ passport: s ? "X1234567" : "Y7654321" }) },
    { rule: "phone", make: (s) => ({ phone: s ? "+12065550123" : "+12065550999" }) },
    { rule: "email", make: (s) => ({ email: s ? "ann@example.com" : "bob@example.com" }) },
    {
      rule: "surname-sound+birth-year+initial",
      make: (s) => ({
        surname: s ? "SMITH" : "JONES",
        givenCanonical: "ANN",
        birth: { year: 1980, month: 1, day: s ? 2 : 3 },
      }),
    },
    {
      rule: "given+birth-date",
      make: (s) => ({ givenCanonical: s ? "ROBERT" : "MARY", birth: { year: 1990, month: 5, day: 6 } }),
    },
    {
      rule: "surname-sound+birth-date",
      make: (s) => ({ surname: "SMITH", birth: { year: 1970, month: 1, day: s ? 2 : 3 } }),
    },
    {
      rule: "postcode+initials",
      make: (s) => ({ postcode: "98101", givenCanonical: s ? "ANN" : "BOB", surname: "LEE" }),
    },
    {
      rule: "address+initial",
      make: (s) => ({ houseNumber: "12", street: "MAIN ST", givenCanonical: s ? "ANN" : "BOB" }),
    },
    {
      rule: "organisation-name",
      make: (s) => ({ kind: "organisation", fullName: s ? "ACME TRADING" : "ZENITH FOODS" }),
    },
    {
      rule: "organisation-word+postcode",
      make: (s) => ({
        kind: "organisation",
        fullName: s ? "ACME TRADING" : "ZENITH FOODS",
        postcode: "10001",
      }),
    },
  ];

  for (const { rule, make } of cases) {
    it(`${rule}: the two records that share the key are a pair, the third is not`, () => {
      const r = ruleIndex(rule);
      const records = [rec({ partyId: "A", ...make(true) }), rec({ partyId: "B", ...make(false) })];
      // Vary what the rule does not read so that only this rule's key can bring the pair in: the
      // third record copies the first's fields through the rule's own key.
      records.push(rec({ partyId: "C", ...make(true) }));
      const only = candidatePairs(records, { maxBlockSize: 100 }, [BLOCKING_RULES[r] as BlockingRule]);
      expect(pairList(only)).toEqual(["0-2"]);
      expect(only.rules[0]?.pairs).toBe(1);
      // Under all the rules the pair is found, with this rule's bit set in `found`.
      const all = candidatePairs(records, { maxBlockSize: 100 });
      const k = pairList(all).indexOf("0-2");
      expect(k).toBeGreaterThanOrEqual(0);
      expect(((all.found[k] as number) >>> r) & 1).toBe(1);
      expect(pairList(all)).not.toContain("0-1");
      expect(pairList(all)).not.toContain("1-2");
    });
  }

  it("postcode+initials keeps its key when the given name and surname are swapped", () => {
    const rule = [BLOCKING_RULES[ruleIndex("postcode+initials")] as BlockingRule];
    const records = [
      rec({ postcode: "6525", given: "ASHLEIGH", givenCanonical: "ASHLEIGH", surname: "QUILLIAM" }),
      rec({ postcode: "6525", given: "QUILLIAM", givenCanonical: "QUILLIAM", surname: "ASHLEIGH" }),
      rec({ postcode: "6525", given: "ASHLEIGH", givenCanonical: "ASHLEIGH", surname: "ROWE" }),
    ];
    expect(pairList(candidatePairs(records, { maxBlockSize: 100 }, rule))).toEqual(["0-1"]);
  });

  it("keys each rule's record only when it has the fields the rule needs", () => {
    const records = [rec({ surname: "SMITH" }), rec({ surname: "SMITH" })];
    const p = candidatePairs(records, { maxBlockSize: 100 });
    expect(p.a.length).toBe(0);
    const report = p.rules.find((x) => x.rule === "surname-sound+birth-year+initial");
    expect(report?.keyed).toBe(0);
  });

  it("sound-alike surnames with the same birth year and given initial share a block", () => {
    expect(soundex("SMITH")).toBe(soundex("SMYTHE"));
    const birth = { year: 1975, month: 3, day: 4 };
    const p = candidatePairs(
      [
        rec({ surname: "SMITH", givenCanonical: "JOHN", birth }),
        rec({ surname: "SMYTHE", givenCanonical: "JON", birth: { ...birth, day: 9 } }),
        // Another initial, or another year: not in the block.
        rec({ surname: "SMITH", givenCanonical: "MARY", birth }),
        rec({ surname: "SMITH", givenCanonical: "JOHN", birth: { ...birth, year: 1976 } }),
      ],
      { maxBlockSize: 100 },
      [BLOCKING_RULES[ruleIndex("surname-sound+birth-year+initial")] as BlockingRule],
    );
    expect(pairList(p)).toEqual(["0-1"]);
  });

  it("never pairs a person with an organisation, but pairs either with a record of unknown kind", () => {
    const phone = "+12065550123";
    const records = [
      rec({ kind: "person", phone }),
      rec({ kind: "organisation", phone }),
      rec({ kind: "unknown", phone }),
    ];
    const p = candidatePairs(records, { maxBlockSize: 100 });
    expect(pairList(p)).toEqual(["0-2", "1-2"]);
  });
});

describe("candidatePairs: pairs, order and credit", () => {
  it("returns each pair once, a < b, sorted, credited to the first rule that found it, with every rule's bit", () => {
    // 0 and 3 share a national id and a phone; 1 and 2 share a phone; 0 and 1 share nothing.
    const records = [
      rec({ nationalId: "111", phone: "+1555" }),
      rec({ phone: "+1666" }),
      rec({ phone: "+1666" }),
      rec({ nationalId: "111", phone: "+1555" }),
    ];
    const p = candidatePairs(records, { maxBlockSize: 100 });
    expect(pairList(p)).toEqual(["0-3", "1-2"]);
    const nid = ruleIndex("national-id");
    const phone = ruleIndex("phone");
    expect(Array.from(p.rule)).toEqual([nid, phone]);
    expect(Array.from(p.found)).toEqual([(1 << nid) | (1 << phone), 1 << phone]);
    // Reports credit each pair once, to its first rule.
    expect(p.rules[nid]?.pairs).toBe(1);
    expect(p.rules[phone]?.pairs).toBe(1);
    expect(p.rules[phone]?.keyed).toBe(4);
    expect(p.rules[phone]?.blocks).toBe(2);
  });

  it("makes every pair within a block: a block of k records gives k(k-1)/2 pairs", () => {
    const records = Array.from({ length: 7 }, () => rec({ email: "shared@example.com" }));
    const p = candidatePairs(records, { maxBlockSize: 100 });
    expect(p.a.length).toBe(21);
    for (let k = 0; k < p.a.length; k++) expect(p.a[k] as number).toBeLessThan(p.b[k] as number);
  });
});

describe("candidatePairs: the cap on block size", () => {
  it("skips a block over the cap and reports it, and keeps a block at the cap", () => {
    const records = [
      ...Array.from({ length: 5 }, () => rec({ phone: "+1000" })), // 5 records: over a cap of 4
      ...Array.from({ length: 4 }, () => rec({ phone: "+2000" })), // 4 records: at the cap
    ];
    const p = candidatePairs(records, { maxBlockSize: 4 });
    // Only the 4-record block's 6 pairs (records 5..8).
    expect(p.a.length).toBe(6);
    for (let k = 0; k < p.a.length; k++) expect(p.a[k] as number).toBeGreaterThanOrEqual(5);
    const report = p.rules[ruleIndex("phone")];
    expect(report?.skippedBlocks).toBe(1);
    expect(report?.skippedRecords).toBe(5);
  });

  it("a pair in an oversized block under one rule is still found through another rule's small block", () => {
    const records = [
      rec({ phone: "+1000", email: "a@x.com" }),
      rec({ phone: "+1000", email: "a@x.com" }),
      rec({ phone: "+1000" }),
      rec({ phone: "+1000" }),
    ];
    const p = candidatePairs(records, { maxBlockSize: 3 });
    expect(pairList(p)).toEqual(["0-1"]);
    expect(p.rule[0]).toBe(ruleIndex("email"));
  });
});

describe("candidatePairs: incremental runs", () => {
  it("with isNew, makes only pairs with at least one new record, and the same ones a full run makes", () => {
    const records = [
      rec({ phone: "+1000" }),
      rec({ phone: "+1000" }),
      rec({ phone: "+1000" }),
      rec({ email: "z@x.com" }),
      rec({ email: "z@x.com" }),
    ];
    const isNew = Uint8Array.from([0, 0, 1, 0, 0]);
    const inc = candidatePairs(records, { maxBlockSize: 100, isNew });
    expect(pairList(inc)).toEqual(["0-2", "1-2"]);
    const full = candidatePairs(records, { maxBlockSize: 100 });
    const withNew = pairList(full).filter((_, k) => isNew[full.a[k] as number] || isNew[full.b[k] as number]);
    expect(pairList(inc)).toEqual(withNew);
  });

  it("caps a block by all its records, old and new, as a full run does", () => {
    const records = Array.from({ length: 5 }, () => rec({ phone: "+1000" }));
    const isNew = Uint8Array.from([0, 0, 0, 0, 1]);
    const p = candidatePairs(records, { maxBlockSize: 4, isNew });
    expect(p.a.length).toBe(0);
    expect(p.rules[ruleIndex("phone")]?.skippedBlocks).toBe(1);
  });
});

describe("candidatePairs: a subset of the records (an incremental run's neighbourhood)", () => {
  it("caps the blocks it is told are over the cap among all records, whatever their size here", () => {
    // The subset holds two records of a phone block that has 500 records in all (capped), and
    // three of an email block that all records hold no more of (not capped, though over the cap here).
    const records = [
      rec({ phone: "+1000" }),
      rec({ phone: "+1000" }),
      rec({ email: "z@x.com" }),
      rec({ email: "z@x.com" }),
      rec({ email: "z@x.com" }),
    ];
    const capped = BLOCKING_RULES.map((r) => new Set<string>(r.id === "phone" ? ["+1000"] : []));
    const p = candidatePairs(records, { maxBlockSize: 2, capped });
    expect(pairList(p)).toEqual(["2-3", "2-4", "3-4"]);
    expect(p.capped).toEqual([{ rule: ruleIndex("phone"), key: "+1000", members: [0, 1] }]);
  });

  it("returns every record's keys when asked, as recordKeys makes them", () => {
    const records = [
      rec({ phone: "+1000", email: "a@x.com" }),
      rec({ phone: "+1000" }),
      rec({ nationalId: "123", email: "" }),
    ];
    const p = candidatePairs(records, { maxBlockSize: 10, keepKeys: true });
    const k = recordKeys(records);
    expect(p.keys).toEqual(k);
    const listed = Array.from(
      k.record,
      (i, x) => `${i} ${BLOCKING_RULES[k.rule[x] as number]?.id} ${k.key[x]}`,
    );
    expect(listed.sort()).toEqual(["0 email a@x.com", "0 phone +1000", "1 phone +1000", "2 national-id 123"]);
    expect(candidatePairs(records, { maxBlockSize: 10 }).keys).toBeUndefined();
  });
});

describe("blockingRulesVersion", () => {
  it("is stable for the same rules and changes when a rule's key or id does", () => {
    const v = blockingRulesVersion(BLOCKING_RULES);
    expect(blockingRulesVersion(BLOCKING_RULES)).toBe(v);
    const rekeyed = BLOCKING_RULES.map((r, i) =>
      i === 0 ? { ...r, key: (x: NormalisedRecord) => x.taxId } : r,
    );
    expect(blockingRulesVersion(rekeyed)).not.toBe(v);
    const renamed = BLOCKING_RULES.map((r, i) => (i === 0 ? { ...r, id: "other" } : r));
    expect(blockingRulesVersion(renamed)).not.toBe(v);
    expect(blockingRulesVersion(BLOCKING_RULES.slice(1))).not.toBe(v);
    // Keys are made of canonical given names: another nickname list is another version.
    expect(blockingRulesVersion(BLOCKING_RULES, "other-list")).not.toBe(v);
  });
});

describe("candidatePairs: limits", () => {
  it("rejects more than 32 rules (the found bitmask has 32 bits)", () => {
    const rules: BlockingRule[] = Array.from({ length: 33 }, (_, i) => ({
      id: `r${i}`,
      title: "",
      key: () => null,
    }));
    expect(() => candidatePairs(strangers(2), { maxBlockSize: 10 }, rules)).toThrow(/32 rules/);
  });

  it("uses the 32nd rule's bit without sign trouble", () => {
    const rules: BlockingRule[] = Array.from({ length: 32 }, (_, i) => ({
      id: `r${i}`,
      title: "",
      key: (r: NormalisedRecord) => (i === 31 ? r.phone : null),
    }));
    const p = candidatePairs([rec({ phone: "+1" }), rec({ phone: "+1" })], { maxBlockSize: 10 }, rules);
    expect(Array.from(p.found)).toEqual([2 ** 31]);
    expect(Array.from(p.rule)).toEqual([31]);
  });
});

describe("blockingRecall", () => {
  it("is the share of true matching pairs that are candidates", () => {
    // True entities: {0,1,2} (3 pairs), {3,4} (1 pair), {5} alone; -1 has no truth.
    const label = [7, 7, 7, 8, 8, 9, -1];
    const pairs = { a: Int32Array.from([0, 1, 3, 4, 0]), b: Int32Array.from([1, 2, 5, 6, 6]) };
    expect(blockingRecall(pairs, label)).toEqual({ truePairs: 4, found: 2, recall: 0.5 });
  });

  it("is 1 when there are no true pairs, and counts unlabelled records as no one's match", () => {
    expect(blockingRecall({ a: new Int32Array(0), b: new Int32Array(0) }, [1, 2, 3]).recall).toBe(1);
    const r = blockingRecall({ a: Int32Array.from([0]), b: Int32Array.from([1]) }, [-1, -1]);
    expect(r).toEqual({ truePairs: 0, found: 0, recall: 1 });
  });

  it("measures the default rules on records whose true matches share some key", () => {
    // Two people, each with two records that share a different key, and a stranger.
    const records = [
      rec({ nationalId: "111" }),
      rec({ nationalId: "111" }),
      rec({ email: "b@x.com" }),
      rec({ phone: "+1999" }), // the same person as 2, but nothing shared: blocking misses it
      rec({ email: "b@x.com" }),
    ];
    const label = [1, 1, 2, 2, 2];
    const r = blockingRecall(candidatePairs(records, { maxBlockSize: 100 }), label);
    expect(r.truePairs).toBe(4);
    expect(r.found).toBe(2);
    expect(r.recall).toBe(0.5);
  });
});
