import { describe, expect, it } from "vitest";
import { Rng } from "../../src/generate/random.js";
import { buildWorld, DEFAULT_OPTIONS, type Person } from "../../src/generate/world.js";

/** The population holds the cases entity resolution finds hard, each a different true entity. */
describe("population", () => {
  const world = buildWorld({ ...DEFAULT_OPTIONS, accounts: 6000 }, new Rng(5).fork("world"));
  const households = new Map<number, Person[]>();
  for (const p of world.persons) households.set(p.household, [...(households.get(p.household) ?? []), p]);

  it("meets the account count exactly, every kind of account present", () => {
    expect(world.accounts.length).toBe(6000);
    const kinds = new Set(world.accounts.map((a) => a.holder.kind));
    expect([...kinds].sort()).toEqual(["foreign", "organisation", "person"]);
    expect(new Set(world.accounts.map((a) => a.key)).size).toBe(world.accounts.length);
  });

  it("has families at one address: distinct entities sharing the address", () => {
    const shared = [...households.values()].filter((h) => h.length >= 2);
    expect(shared.length).toBeGreaterThan(50);
    for (const h of shared) {
      expect(new Set(h.map((p) => p.entity)).size).toBe(h.length);
      expect(new Set(h.map((p) => JSON.stringify(p.truth.address))).size).toBe(1);
    }
  });

  it("has sons named after their fathers (Jr) and twins, each their own entity", () => {
    const juniors = world.persons.filter((p) => p.truth.suffix === "Jr");
    expect(juniors.length).toBeGreaterThan(3);
    for (const jr of juniors) {
      const head = (households.get(jr.household) as Person[])[0] as Person;
      expect(jr.truth.given).toBe(head.truth.given);
      expect(jr.truth.surname).toBe(head.truth.surname);
      expect(jr.truth.birthDate).not.toBe(head.truth.birthDate);
      expect(jr.entity).not.toBe(head.entity);
    }
    const twins = [...households.values()].filter((h) => {
      const births = h.slice(2).map((p) => p.truth.birthDate);
      return new Set(births).size < births.length;
    });
    expect(twins.length).toBeGreaterThan(0);
  });

  it("holds some people at several banks", () => {
    const multi = world.persons.filter(
      (p) => new Set(p.accounts.map((a) => world.accounts[a]?.bank)).size >= 2,
    );
    expect(multi.length / world.persons.length).toBeGreaterThan(0.2);
  });
});
