import { z } from "zod";
import { EntityId, PartyId } from "../model/ids.js";
import type { IndexPairs } from "./cluster.js";

/**
 * An analyst's word on who is who, kept apart from the model so that it survives every re-run
 * and wins over whatever the model scores: `confirm` (these two records are one entity),
 * `forbid` ("never these two"), `split` (these records of entity E are not the same as the rest
 * of E). Clustering takes them as constraints: confirm → must-link, forbid → cannot-link, split →
 * cannot-links between every record of the group and every other member E had when the analyst
 * split it.
 *
 * A split does not add must-links inside the group: "these are not the same as the rest" does not
 * say they are all one entity (an analyst splitting out wrongly merged records may be pulling out
 * several people), so the model decides how the group clusters, and a `confirm` says more where
 * the analyst knows more. The rest is the membership *as of the override* (`rest`), not of
 * whatever E holds later: records that arrive afterwards are the model's to place.
 */

const RecordPair = z
  .tuple([PartyId, PartyId])
  .refine(([a, b]) => a !== b, { message: "an override pair names two different records" });

const overrideFields = {
  /** Unique among overrides; names the override in conflicts, link notes and the audit trail. */
  id: z.string().min(1),
  analyst: z.string().min(1),
  reason: z.string().min(1),
  /** When the analyst made it: between two overrides that disagree, the later one wins. */
  at: z.iso.datetime({ offset: true }),
};

export const ConfirmOverride = z.object({
  ...overrideFields,
  kind: z.literal("confirm"),
  records: RecordPair,
});
export type ConfirmOverride = z.infer<typeof ConfirmOverride>;

export const ForbidOverride = z.object({ ...overrideFields, kind: z.literal("forbid"), records: RecordPair });
export type ForbidOverride = z.infer<typeof ForbidOverride>;

export const SplitOverride = z
  .object({
    ...overrideFields,
    kind: z.literal("split"),
    /** The entity the analyst split, as it was then. */
    entity: EntityId,
    /** The records split off. */
    records: z.array(PartyId).min(1),
    /**
     * The entity's other members when the analyst split it. Absent in a hand-written override:
     * `constraintsFrom` then takes the entity's current members and returns the completed
     * override, which is what should be stored.
     */
    rest: z.array(PartyId).min(1).optional(),
  })
  .refine(
    (o) => new Set([...o.records, ...(o.rest ?? [])]).size === o.records.length + (o.rest?.length ?? 0),
    {
      message: "a split names each record once, in the group or in the rest",
    },
  );
export type SplitOverride = z.infer<typeof SplitOverride>;

export const Override = z.discriminatedUnion("kind", [ConfirmOverride, ForbidOverride, SplitOverride]);
export type Override = z.infer<typeof Override>;
export type OverrideKind = Override["kind"];

/** An override (or part of a split) that a later override contradicts, and that therefore lost. */
export interface OverrideConflict {
  /** The override that lost. */
  override: string;
  /** The later overrides that won: the forbid or split that keeps the pair apart, or the chain of confirms that joins it. */
  overruledBy: string[];
  /** The pair the two disagree on (for a confirm, the pair it named). */
  records: [string, string];
}

/** Records an override names that are no longer present (nor, for a split without `rest`, its entity). */
export interface OverrideGap {
  override: string;
  missing: string[];
  /** Whether nothing was left to apply (a confirm or forbid missing a record, a split missing a side). */
  skipped: boolean;
}

export interface OverrideConstraints {
  /** Pairs of record indices, ascending by (smaller, larger) index; `mustLinkBy[k]` is pair k's override. */
  mustLink: IndexPairs;
  mustLinkBy: string[];
  cannotLink: IndexPairs;
  cannotLinkBy: string[];
  /** In the order the overrides applied: latest first. */
  conflicts: OverrideConflict[];
  /** By override id. */
  gaps: OverrideGap[];
  /** Splits given without `rest`, completed from the entity's current members: store these in their place. */
  completed: SplitOverride[];
}

function fail(message: string): never {
  throw new Error(`overrides: ${message}`);
}

/** Fills in a split's `rest` from the entity's current members (what the CLI does when an analyst splits). */
export function completeSplit(
  override: SplitOverride,
  currentEntityMembers: ReadonlyMap<string, readonly string[]>,
): SplitOverride | null {
  if (override.rest) return override;
  const members = currentEntityMembers.get(override.entity);
  if (!members) return null;
  const group = new Set<string>(override.records);
  const rest = members.filter((m) => !group.has(m)).sort() as PartyId[];
  return rest.length === 0 ? null : { ...override, rest };
}

/** Must-link groups over record indices with the confirms that joined them, for explaining conflicts. */
class Groups {
  private readonly parent = new Map<number, number>();
  private readonly members = new Map<number, number[]>();
  private readonly edges = new Map<number, { to: number; by: string }[]>();

  find(x: number): number {
    let r = x;
    for (let p = this.parent.get(r); p !== undefined && p !== r; p = this.parent.get(r)) r = p;
    return r;
  }

  membersOf(x: number): readonly number[] {
    return this.members.get(this.find(x)) ?? [x];
  }

  join(x: number, y: number, by: string): void {
    for (const [from, to] of [
      [x, y],
      [y, x],
    ] as const) {
      const list = this.edges.get(from);
      if (list) list.push({ to, by });
      else this.edges.set(from, [{ to, by }]);
    }
    const rx = this.find(x);
    const ry = this.find(y);
    if (rx === ry) return;
    const mx = this.membersOf(rx);
    const my = this.membersOf(ry);
    const [keep, drop] = mx.length >= my.length ? [rx, ry] : [ry, rx];
    this.parent.set(drop, keep);
    this.members.set(keep, [...mx, ...my]);
    this.members.delete(drop);
  }

  /** The overrides on a path of confirms from x to y (breadth first, so a shortest one). */
  chain(x: number, y: number): string[] {
    const back = new Map<number, { from: number; by: string }>([[x, { from: x, by: "" }]]);
    const queue = [x];
    for (let q = 0; q < queue.length && !back.has(y); q++) {
      const at = queue[q] as number;
      for (const { to, by } of this.edges.get(at) ?? []) {
        if (back.has(to)) continue;
        back.set(to, { from: at, by });
        queue.push(to);
      }
    }
    const path: string[] = [];
    for (let at = y; at !== x; ) {
      const step = back.get(at);
      if (!step) return path;
      path.push(step.by);
      at = step.from;
    }
    return [...new Set(path)].sort();
  }
}

function pairKey(x: number, y: number): string {
  return x < y ? `${x}-${y}` : `${y}-${x}`;
}

/** Latest first: by time, then by id, so that the order is total. */
function latestFirst(x: Override, y: Override): number {
  const t = Date.parse(y.at) - Date.parse(x.at);
  return t !== 0 ? t : x.id < y.id ? 1 : x.id > y.id ? -1 : 0;
}

function toPairs(pairs: Map<string, { x: number; y: number; by: string }>): {
  pairs: IndexPairs;
  by: string[];
} {
  const list = [...pairs.values()]
    .map(({ x, y, by }) => ({ lo: Math.min(x, y), hi: Math.max(x, y), by }))
    .sort((p, q) => p.lo - q.lo || p.hi - q.hi);
  return {
    pairs: { a: Int32Array.from(list, (p) => p.lo), b: Int32Array.from(list, (p) => p.hi) },
    by: list.map((p) => p.by),
  };
}

/**
 * Must-links and cannot-links over record indices from the analysts' overrides. Overrides apply
 * latest first, and each constraint only when the later ones allow it: a confirm that would join
 * a pair a later forbid or split keeps apart, or a forbid on records that later confirms joined,
 * loses and is reported, so the constraints never contradict each other and the latest word wins.
 * Records no longer present are left out (reported); an override with nothing left is skipped.
 */
export function constraintsFrom(
  overrides: readonly Override[],
  recordIndexById: ReadonlyMap<string, number>,
  currentEntityMembers: ReadonlyMap<string, readonly string[]>,
): OverrideConstraints {
  const ids = new Set<string>();
  for (const o of overrides) {
    if (ids.has(o.id)) fail(`two overrides have id ${o.id}`);
    ids.add(o.id);
    if (Number.isNaN(Date.parse(o.at))) fail(`override ${o.id} has time ${o.at}`);
  }
  const groups = new Groups();
  const must = new Map<string, { x: number; y: number; by: string }>();
  const cannot = new Map<string, { x: number; y: number; by: string }>();
  const cannotOf = new Map<number, number[]>();
  const conflicts: OverrideConflict[] = [];
  const gaps: OverrideGap[] = [];
  const completed: SplitOverride[] = [];

  /** The present records with their indices, and a gap reported for the absent ones. */
  const present = (o: Override, sides: readonly (readonly string[])[]): [string, number][][] | null => {
    const missing: string[] = [];
    const found = sides.map((records) =>
      records.flatMap((r): [string, number][] => {
        const index = recordIndexById.get(r);
        if (index === undefined) missing.push(r);
        return index === undefined ? [] : [[r, index]];
      }),
    );
    // A confirm or forbid needs both records; a split needs someone on each side.
    const skipped = o.kind === "split" ? found.some((side) => side.length === 0) : missing.length > 0;
    if (missing.length > 0) gaps.push({ override: o.id, missing: missing.sort(), skipped });
    return skipped ? null : found;
  };
  /** A cannot-link between the groups of x and y, if one was set. */
  const crossing = (x: number, y: number): { x: number; y: number; by: string } | undefined => {
    const ry = groups.find(y);
    for (const m of groups.membersOf(x)) {
      for (const p of cannotOf.get(m) ?? []) {
        if (groups.find(p) === ry) return cannot.get(pairKey(m, p));
      }
    }
    return undefined;
  };
  const forbid = (o: Override, x: number, y: number, names: [string, string]): void => {
    if (groups.find(x) === groups.find(y)) {
      conflicts.push({ override: o.id, overruledBy: groups.chain(x, y), records: names });
      return;
    }
    const key = pairKey(x, y);
    if (cannot.has(key)) return;
    cannot.set(key, { x, y, by: o.id });
    for (const [from, to] of [
      [x, y],
      [y, x],
    ] as const) {
      const list = cannotOf.get(from);
      if (list) list.push(to);
      else cannotOf.set(from, [to]);
    }
  };

  for (const o of [...overrides].sort(latestFirst)) {
    switch (o.kind) {
      case "confirm": {
        const found = present(o, [o.records]);
        if (!found) break;
        const [[, x], [, y]] = found[0] as [[string, number], [string, number]];
        if (x === y) fail(`override ${o.id} names one record twice`);
        const against = groups.find(x) === groups.find(y) ? undefined : crossing(x, y);
        if (against) {
          conflicts.push({
            override: o.id,
            overruledBy: [against.by],
            records: [o.records[0], o.records[1]],
          });
          break;
        }
        groups.join(x, y, o.id);
        const key = pairKey(x, y);
        if (!must.has(key)) must.set(key, { x, y, by: o.id });
        break;
      }
      case "forbid": {
        const found = present(o, [o.records]);
        if (!found) break;
        const [[, x], [, y]] = found[0] as [[string, number], [string, number]];
        if (x === y) fail(`override ${o.id} names one record twice`);
        forbid(o, x, y, [o.records[0], o.records[1]]);
        break;
      }
      case "split": {
        const full = completeSplit(o, currentEntityMembers);
        if (!full) {
          // No rest given and none to take: the entity is gone, or holds nothing but the group.
          const gone = currentEntityMembers.has(o.entity) ? [] : [o.entity];
          gaps.push({ override: o.id, missing: gone, skipped: true });
          break;
        }
        if (!o.rest) completed.push(full);
        const found = present(o, [full.records, full.rest ?? []]);
        if (!found) break;
        const [group, rest] = found as [[string, number][], [string, number][]];
        for (const [gid, x] of group) for (const [rid, y] of rest) forbid(o, x, y, [gid, rid]);
        break;
      }
      default: {
        const never: never = o;
        fail(`unknown override ${JSON.stringify(never)}`);
      }
    }
  }
  const m = toPairs(must);
  const c = toPairs(cannot);
  const byOverride = (p: { override: string }, q: { override: string }): number =>
    p.override < q.override ? -1 : p.override > q.override ? 1 : 0;
  return {
    mustLink: m.pairs,
    mustLinkBy: m.by,
    cannotLink: c.pairs,
    cannotLinkBy: c.by,
    conflicts,
    gaps: gaps.sort(byOverride),
    completed,
  };
}
