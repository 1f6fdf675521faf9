import type { Party } from "../model/party.js";
import {
  type EntityExplanation,
  type ExplainedLink,
  explainEntity,
  partyRef,
} from "../resolve/explain-entity.js";
import {
  ConfirmOverride,
  completeSplit,
  ForbidOverride,
  type Override,
  SplitOverride,
} from "../resolve/overrides.js";
import { parseOverrides } from "../resolve/run-resolution.js";
import type { Store } from "../store/store.js";
import { type Command, type Context, type ParsedArgs, UsageError } from "./command.js";
import { formatTable } from "./table.js";

/**
 * `moneytrail entity explain|confirm|forbid|split`: why an entity holds its records, and the
 * analyst's word on who is who (src/resolve/overrides.ts). Overrides are recorded, not applied:
 * they take effect on the next `moneytrail resolve`, which re-clusters only what they touch
 * (docs/cli.md explains why the command does not resolve again itself).
 */

const SUBCOMMANDS = ["explain", "confirm", "forbid", "split"] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

// ---- explain ----------------------------------------------------------------------------------

async function explain(ctx: Context, positionals: string[]): Promise<number> {
  const id = positionals[1];
  if (!id) throw new UsageError("entity explain: name an entity id (as `moneytrail entities` prints it)");
  if (positionals.length > 2) throw new UsageError(`entity explain: unexpected argument "${positionals[2]}"`);
  const store = await ctx.store();
  const entity = await store.entity(id);
  if (!entity)
    throw new UsageError(
      `entity explain: no entity "${id}" (\`moneytrail entities\` lists them; \`moneytrail resolve\` makes them)`,
    );
  const [members, head, events, runs] = await Promise.all([
    store.entityParties(id),
    store.resolutionHead(),
    store.entityEvents(id),
    store.resolutionRuns(),
  ]);
  const memberIds = new Set<string>(members.map((p) => p.id));
  // Only the links that touch a member: reading them all took seconds at a million parties.
  const links = await store.linksTouching([...memberIds]);
  const overrides = parseOverrides(head.overrides);
  // The records outside the entity that its links and overrides name: read entity by entity.
  const otherIds = new Set<string>();
  for (const l of links) for (const p of [l.party_a, l.party_b]) if (!memberIds.has(p)) otherIds.add(p);
  for (const o of overrides) {
    const named = [...o.records, ...(o.kind === "split" ? (o.rest ?? []) : [])];
    if (named.some((r) => memberIds.has(r))) for (const r of named) if (!memberIds.has(r)) otherIds.add(r);
  }
  const others = new Map<string, Party>((await store.partiesById([...otherIds])).map((p) => [p.id, p]));
  const result = explainEntity({
    entity,
    members,
    links,
    others,
    membership: await store.membersOf([...memberIds, ...otherIds]),
    lastRun: head.lastRun,
    overrides,
    events,
    runs,
  });
  if (ctx.json) ctx.io.stdout(`${JSON.stringify(result)}\n`);
  else ctx.io.stderr(formatEntity(result));
  return 0;
}

const bits = (w: number | null): string =>
  w === null ? "ruled out" : `${w < 0 ? "\u2212" : "+"}${Math.abs(w).toFixed(1)} bits`;

function linkLines(l: ExplainedLink): string[] {
  // A refused link's note names the override that kept it apart; an accepted one an analyst also confirmed names it here.
  let why: string = l.status === "confirmed" ? `confirmed by override ${l.override}` : l.status;
  if (l.status !== "confirmed" && l.note) why += `: ${l.note}`;
  else if (l.status !== "confirmed" && l.override) why += `, confirmed by override ${l.override}`;
  const other = l.other_entity === undefined ? "" : ` (${l.other_entity ?? "no entity"})`;
  const lines = [`  ${l.a} \u2014 ${l.b}${other}   ${why}`];
  const e = l.explanation;
  if (e) {
    lines.push(
      `      match weight ${bits(e.weight)} (prior ${bits(e.prior)}), probability ${e.probability.toFixed(4)}`,
    );
    lines.push(`      ${e.summary || "no field compared"}`);
  } else {
    lines.push(`      match weight ${bits(l.weight)}, probability ${l.probability.toFixed(4)}`);
  }
  return lines;
}

/** The explanation for an investigator: who the entity is, which records, and why they are one. */
export function formatEntity(r: EntityExplanation): string {
  const e = r.entity;
  const out: string[] = [
    `${e.id}  ${e.kind}  "${e.display_name}"  ${e.members} record${e.members === 1 ? "" : "s"}  (id since run ${e.created_run}, membership last changed in run ${e.updated_run})`,
    "",
    "records",
    formatTable(
      ["record", "name", "birth date", "address", "phone", "email", "identifiers", "account"],
      r.members.map((m) => [
        m.ref,
        m.name,
        m.birth_date,
        m.address,
        m.phone,
        m.email,
        Object.entries(m.identifiers)
          .map(([k, v]) => `${k} ${v}`)
          .join("; "),
        m.account,
      ]),
    ),
    "",
  ];
  out.push(
    r.links.length === 0
      ? "links between the records: none (a single record, or joined by overrides alone)"
      : "links between the records (field: level (weight in bits); the weights and the prior add up to the match weight)",
  );
  for (const l of r.links) out.push(...linkLines(l));
  if (r.outside.length > 0) {
    out.push("", "links to records of other entities (refused, or near misses below the threshold)");
    for (const l of r.outside) out.push(...linkLines(l));
  }
  if (r.overrides.length > 0) {
    out.push("", "analyst overrides naming these records");
    for (const o of r.overrides) {
      const what =
        o.kind === "split"
          ? `split ${o.records.join(", ")} from ${(o.rest ?? []).join(", ")}`
          : `${o.kind} ${o.records.join(" and ")}`;
      out.push(`  ${o.id}  ${o.at}  ${o.analyst}: ${what}, "${o.reason}"`, `      ${o.effect}`);
    }
  }
  if (r.events.length > 0) {
    out.push("", "history");
    out.push(
      formatTable(
        ["run", "at", "mode", "event", "entity", "related", "members"],
        r.events.map((v) => [v.run, v.at, v.mode, v.kind, v.entity_id, v.related.join(", "), v.members]),
      ),
    );
  }
  return `${out.join("\n")}\n`;
}

// ---- confirm, forbid, split -------------------------------------------------------------------

/** Each reference's party, by party id or by `source:record_id` as `entities` prints it. */
function matchRefs(
  command: string,
  refs: readonly string[],
  parties: readonly Party[],
  among: string,
): string[] {
  const byRef = new Map<string, string>();
  for (const p of parties) {
    byRef.set(partyRef(p), p.id);
    byRef.set(p.id, p.id);
  }
  const unknown = refs.filter((r) => !byRef.has(r));
  if (unknown.length > 0)
    throw new UsageError(
      `${command}: ${unknown.length === 1 ? "no record" : "no records"} ${unknown.map((u) => `"${u}"`).join(", ")} ${among} (name records as source:record_id, as \`moneytrail entities\` prints them)`,
    );
  return refs.map((r) => byRef.get(r) as string);
}

/** O followed by six digits, one more than the largest so far. */
async function nextOverrideId(store: Store): Promise<string> {
  let last = 0;
  for (const o of await store.overrides()) {
    const m = /^O(\d+)$/.exec(o.id);
    if (m) last = Math.max(last, Number(m[1]));
  }
  return `O${String(last + 1).padStart(6, "0")}`;
}

function text(values: ParsedArgs["values"], flag: string, command: string): string | undefined {
  const v = values[flag];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || v.trim() === "") throw new UsageError(`${command}: --${flag} needs a text`);
  return v.trim();
}

/** A zod failure as one line naming the problem. */
function invalid(command: string, error: { issues: { message: string }[] }): UsageError {
  return new UsageError(`${command}: ${error.issues.map((i) => i.message).join("; ")}`);
}

async function record(
  ctx: Context,
  values: ParsedArgs["values"],
  sub: Exclude<Subcommand, "explain">,
  positionals: string[],
): Promise<number> {
  const command = `entity ${sub}`;
  const reason = text(values, "reason", command);
  if (!reason) throw new UsageError(`${command}: --reason is required (why, for the record)`);
  const analyst = text(values, "analyst", command) ?? (process.env.USER?.trim() || "analyst");
  const store = await ctx.store();
  const head = {
    id: await nextOverrideId(store),
    analyst,
    reason,
    at: new Date().toISOString(),
  };
  let override: Override;
  let what: string;
  if (sub === "split") {
    const entityId = positionals[1];
    const refs = positionals
      .slice(2)
      .flatMap((p) => p.split(","))
      .map((p) => p.trim())
      .filter((p) => p !== "");
    if (!entityId || refs.length === 0)
      throw new UsageError(`${command}: name the entity and the records to split off: ENTITY REC[,REC…]`);
    if (!(await store.entity(entityId)))
      throw new UsageError(`${command}: no entity "${entityId}" (\`moneytrail entities\` lists them)`);
    const members = await store.entityParties(entityId);
    const records = matchRefs(command, refs, members, `in entity ${entityId}`);
    const parsed = SplitOverride.safeParse({ ...head, kind: "split", entity: entityId, records });
    if (!parsed.success) throw invalid(command, parsed.error);
    const complete = completeSplit(parsed.data, new Map([[entityId, members.map((p) => p.id as string)]]));
    if (!complete)
      throw new UsageError(
        `${command}: that is every record of ${entityId}: name only the records to split off from the rest`,
      );
    override = complete;
    what = `split ${refs.join(", ")} from the other ${complete.rest?.length ?? 0} record(s) of ${entityId}`;
  } else {
    const refs = positionals.slice(1);
    if (refs.length !== 2) throw new UsageError(`${command}: name two records: REC REC (source:record_id)`);
    // A record with an id of its own has the party id source:record_id: looked up directly; only
    // a record named otherwise (a derived id) makes the command read every party.
    const direct = await store.partiesById(refs);
    const found = new Set<string>(direct.map((p) => p.id));
    const candidates = refs.every((r) => found.has(r)) ? direct : await store.parties();
    const records = matchRefs(command, refs, candidates, "in the workspace");
    const schema = sub === "confirm" ? ConfirmOverride : ForbidOverride;
    const parsed = schema.safeParse({ ...head, kind: sub, records });
    if (!parsed.success) throw invalid(command, parsed.error);
    override = parsed.data;
    what =
      sub === "confirm"
        ? `${refs[0]} and ${refs[1]} are one entity`
        : `${refs[0]} and ${refs[1]} are never one entity`;
  }
  await store.addOverride({
    id: override.id,
    kind: override.kind,
    record: JSON.stringify(override),
    created_at: override.at,
  });
  if (ctx.json)
    ctx.io.stdout(`${JSON.stringify({ override, takes_effect: "on the next `moneytrail resolve`" })}\n`);
  else
    ctx.io.stderr(
      `override ${override.id} recorded (${analyst}): ${what}, "${reason}".\n` +
        "It takes effect on the next `moneytrail resolve`, and holds on every run after it.\n",
    );
  return 0;
}

export const entityCommand: Command = {
  name: "entity",
  summary: "one entity: why its records are linked (explain); the analyst's word (confirm, forbid, split)",
  usage: "moneytrail entity explain ID | confirm REC REC | forbid REC REC | split ENTITY REC[,REC…]",
  help: [
    "  explain ID                 the entity's records, every link between them with each compared",
    "                             field's level and weight, the total match weight and probability,",
    "                             links refused or near misses to other entities, the overrides that",
    "                             name its records, and its history (merges, splits, by run and time)",
    "  confirm REC REC            these two records are one entity, whatever the model says",
    "  forbid REC REC             these two records are never one entity",
    "  split ENTITY REC[,REC…]    these records of ENTITY are not the same as its other records",
    "  --reason TEXT              why (required for confirm, forbid and split)",
    "  --analyst NAME             who (default: $USER, else analyst)",
    "REC is a record as `moneytrail entities` prints it, source:record_id (or a party id).",
    "Overrides are recorded and take effect on the next `moneytrail resolve`; they win over the",
    "model on every later run, incremental or --full.",
  ],
  options: { reason: { type: "string" }, analyst: { type: "string" } },
  async run(ctx, { values, positionals }) {
    const sub = positionals[0] as Subcommand | undefined;
    if (!sub || !SUBCOMMANDS.includes(sub))
      throw new UsageError(`entity: name a subcommand: ${SUBCOMMANDS.join(", ")}`);
    if (sub === "explain") {
      if (values.reason !== undefined || values.analyst !== undefined)
        throw new UsageError("entity explain: --reason and --analyst belong to confirm, forbid and split");
      return explain(ctx, positionals);
    }
    return record(ctx, values, sub, positionals);
  },
};
