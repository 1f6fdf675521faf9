import { isDeepStrictEqual } from "node:util";
import type { z } from "zod";
import { sourceKey, sourceOf, transactionIds } from "../graph/edge-refs.js";
import type { MoneyGraph } from "../graph/money-graph.js";
import { AlertRecord } from "../model/analysis.js";
import type { SourceRef } from "../model/source.js";
import type { Store, StoredAlert } from "../store/store.js";
import { scratch } from "../util/scratch-pool.js";
import { severityOf, subjectName } from "./alert-record.js";
import { type DetectionGraph, type HeldGraph, loadDetectionGraph } from "./detection-graph.js";
import {
  DETECTION_FIELDS,
  type DetectionData,
  type DetectionField,
  type Detector,
  detectorIdOf,
  detectorRef,
} from "./detector.js";
import { DETECTORS } from "./detectors/index.js";
import { focusOn, touchesNew } from "./focus.js";
import {
  type AlertDraft,
  absorbLegs,
  draftScore,
  foldTogether,
  mergeFindings,
  newAlertId,
} from "./merge-findings.js";
import { runDetectorsInParallel } from "./parallel-detectors.js";
import { type Recheck, recheckAlerts } from "./recheck.js";
import { type ListsRead, type ReferenceListName, readReferenceLists } from "./reference-lists.js";
import type { RulePack } from "./rule-pack.js";
import { type DetectorOutcome, paramsOf, runDetectors, runnablePeers } from "./run-detectors.js";

/**
 * `moneytrail detect`: runs a rule pack's detectors over the workspace, merges their findings
 * into alerts, and stores them. An alert already stored about the same typology, account and
 * period is extended (same id, same status, its evidence kept), never duplicated; a run over
 * unchanged data changes no alert.
 */

export interface DetectSummary {
  pack: string;
  detectors: {
    detector: string;
    status: DetectorOutcome["status"];
    missing: string[];
    /** Why it is NOT_EVALUABLE when no field is missing (the data spans too few days). */
    reason?: string;
    /** "worker" when it ran on the second thread of a full run (`parallel-detectors.ts`). */
    thread?: "worker";
    /** Optional fields the data lacks: the detector ran without the rules that read them. */
    unused: string[];
    /**
     * "full": over every transaction; "incremental": only patterns with a transaction ingested
     * since the last run, which ran it with the same parameters.
     */
    run: "full" | "incremental";
    findings: number;
    seconds: number;
  }[];
  /**
   * Where the run's graph came from (an extension, docs/detect.md): "memory", the last run's kept
   * by this process (`watch`); "snapshot", the workspace's cache with the files since; "store".
   */
  graphFrom: DetectionGraph["from"];
  /** Transactions the last run's detectors had not seen (all of them, on a first or full run). */
  newTransactions: number;
  /**
   * Wall seconds per phase (diagnostics: load, details, focus, detectors, alerts, snapshot; hold,
   * in a process that keeps the graph).
   */
  seconds: Record<string, number>;
  /**
   * `not_raised` (an extension): stored alerts of the typologies this run's detectors report that
   * no finding of a run over every transaction raised again (the rules or the pack changed since,
   * or their pattern now reads as another typology's evidence). Kept as they are: an alert is a
   * lead a person may already be working on; its status is theirs to change. Null when a detector
   * ran incrementally and so did not look at everything.
   */
  alerts: {
    new: number;
    updated: number;
    unchanged: number;
    not_raised: number | null;
    /**
     * `rechecked` (an extension): on an incremental run, the stored alerts it looked at again
     * because an account they name has a new transaction, though their patterns have none
     * (`recheck.ts`): each is brought up to date (counted as updated) or found as it was
     * (unchanged); one whose pattern no longer holds is left as it was. Null on a run with no
     * incremental detector.
     */
    rechecked: number | null;
  };
  /** Alerts this run raised or confirmed, per typology. */
  typologies: Record<string, number>;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

function overlaps(r: AlertRecord, d: AlertDraft): boolean {
  return Date.parse(r.window.from) <= d.to && d.from <= Date.parse(r.window.to);
}

/**
 * The alert record of a draft, extended from the stored alert it continues (if any); not yet
 * checked against the contract's schema (only a record that differs from the stored one is).
 */
function recordOf(
  g: MoneyGraph,
  d: AlertDraft,
  ids: Map<number, string | null>,
  pack: string,
  previous: AlertRecord | undefined,
): z.input<typeof AlertRecord> {
  const subjects = [...d.subjects].map(([account, role]) => ({
    account: g.accounts[account] as string,
    role,
  }));
  const edges = [...d.edges].sort((a, b) => a - b);
  const transactions = edges.map((e) => {
    const id = ids.get(e);
    if (!id) throw new Error(`no stored transaction at ${JSON.stringify(sourceOf(g, e))}`);
    return id;
  });
  const sources: SourceRef[] = edges.map((e) => sourceOf(g, e));
  let from = d.from;
  let to = d.to;
  const reasons = [...d.reasons];
  const superseded: string[] = [];
  const detectors = [...d.detectors].sort();
  if (previous) {
    // Evidence once cited stays cited.
    const seen = new Set(sources.map(sourceKey));
    const cited = sources.length;
    previous.sources.forEach((s, i) => {
      if (seen.has(sourceKey(s))) return;
      sources.push(s);
      transactions.push(previous.transactions[i] as string);
    });
    for (const s of previous.subjects) {
      const name = subjectName(s);
      if (!subjects.some((x) => x.account === name)) subjects.push({ account: name, role: s.role });
    }
    // What an earlier run said of evidence this run looked at again (it cites all of it) was said
    // of less data ("6 accounts" where there are now 7, "no other cash days" before one came):
    // this run's reasons replace it, and it is kept apart, not told as if still true. Earlier
    // reasons about evidence this run did not see again (another stretch of the pattern) stand.
    const sameEvidence = sources.length === cited;
    superseded.push(...(previous.superseded_reasons ?? []));
    for (const r of previous.reasons) {
      if (reasons.includes(r)) continue;
      if (!sameEvidence) reasons.push(r);
      else if (!superseded.includes(r)) superseded.push(r);
    }
    for (const x of previous.detectors) if (!detectors.includes(x)) detectors.push(x);
    from = Math.min(from, Date.parse(previous.window.from));
    to = Math.max(to, Date.parse(previous.window.to));
  }
  const score = Math.round(draftScore(d) * 1000) / 1000;
  return {
    id: previous?.id ?? newAlertId(g, d),
    typology: d.typology,
    score,
    severity: severityOf(score),
    status: previous?.status ?? "new",
    detectors,
    subjects,
    transactions,
    sources,
    window: { from: iso(from), to: iso(to) },
    amount_usd: Math.round(Math.max(d.amountUsd, previous?.amount_usd ?? 0) * 100) / 100,
    reasons,
    ...(superseded.length > 0 ? { superseded_reasons: superseded } : {}),
    params:
      Object.keys(d.params).length === 1 ? (Object.values(d.params)[0] as Record<string, unknown>) : d.params,
    sar_activities: [...d.sarActivities].sort(),
    pack,
  };
}

export interface DetectOptions {
  /** Where the graph snapshot lives between runs (in the workspace); without one every run is full. */
  snapshotDir?: string;
  /** Every detector over every transaction, whatever the last run saw. */
  full?: boolean;
  /** Threads for the detectors that run over every edge (`parallel-detectors.ts`; default 2 on 2 cores). */
  threads?: number;
  /**
   * A process that runs detect again (`watch`) keeps each run's graph here for the next, which
   * takes it instead of reading the snapshot back (`HeldGraph`). Emptied when a run starts: a run
   * that fails leaves none, and the next reads the snapshot.
   */
  holder?: GraphHolder;
}

/**
 * What a process that runs detect again and again (`watch`) keeps from one run to the next: the
 * run's graph (`HeldGraph`). Such a run writes its snapshot once its alerts are stored, not while
 * they are worked out: written meanwhile, its 60 MB of measures and lists (on 5M transactions)
 * slowed the alerts' store writes by 0.07–0.1 s. (The command still writes it meanwhile; whether
 * it would gain too is not measured.) Nor does such a run write the measures: the next run takes
 * them from memory, and the process writes them when it is idle or stops (`writeHeldMeasures`),
 * off the path of the next delivery (with the removal of the set they replace, 0.1 s of a run
 * after 1% more on 5M).
 */
export interface GraphHolder {
  graph: HeldGraph | null;
}

/**
 * Readies the working tables an incremental run on the held graph takes (`scratch-pool.ts`), for a
 * process with time between runs (`watch`, after a look): the first run after it takes none from
 * fresh memory, and each later run takes back the tables of the one before. A number per account
 * (the export's and the merge's maps of accounts, the two sides' new starts, the fans' counts), a
 * byte per account (the accounts the export, the recheck, the focus and the relays mark) and a
 * byte per payment (the recheck's flags).
 */
export function readyScratch(holder: GraphHolder): void {
  const held = holder.graph;
  if (!held) return;
  const accounts = held.columns.accounts.length + 1;
  const edges = held.columns.time.length;
  scratch.reserve([edges, ...Array(5).fill(4 * accounts), ...Array(6).fill(accounts)]);
}

/** What besides the transactions some detectors read: the reference lists, the party records. */
export interface RunInputs {
  /** Each reference list's digest (`referenceListDigests`). */
  lists: Readonly<Record<ReferenceListName, string>>;
  /**
   * How many party records are stored: they are only ever added, so a file of them that adds any
   * changes it (a count costs nothing, where the distinct files of 2M records took 35–65 ms).
   */
  parties: number;
}

/**
 * What a detector's findings depend on besides the transactions: its parameters (the pack's over
 * its defaults), the optional fields it goes without, the detectors it leaves cases to, and the
 * inputs it declares (the reference lists it consults, the party records).
 */
export function runKey(
  d: Detector,
  params: Record<string, unknown>,
  available: ReadonlySet<DetectionField>,
  peers: ReadonlyMap<string, Record<string, unknown>>,
  inputs: RunInputs,
): string {
  const unused = (d.uses ?? []).filter((f) => !available.has(f));
  // The detectors it leaves cases to: whether they run, and how.
  const reads = Object.fromEntries((d.reads ?? []).map((id) => [id, peers.get(id) ?? null]));
  const lists = Object.fromEntries((d.lists ?? []).map((l) => [l, inputs.lists[l]]));
  return JSON.stringify({
    params,
    unused,
    ...(d.reads ? { reads } : {}),
    ...(d.lists ? { lists } : {}),
    ...(d.partyRecords ? { parties: inputs.parties } : {}),
  });
}

/**
 * The inputs the pack's detectors declare (the others left empty): the reference lists, read once
 * for the run (the detectors get the lists whose digests their run keys hold), and the count of
 * party records.
 */
async function runInputs(
  store: Store,
  detectors: readonly Detector[],
): Promise<{ inputs: RunInputs; read: ListsRead | null }> {
  const read = detectors.some((d) => d.lists) ? readReferenceLists() : null;
  const lists = read?.digests ?? ({} as Record<ReferenceListName, string>);
  const parties = detectors.some((d) => d.partyRecords) ? (await store.counts()).parties : 0;
  return { inputs: { lists, parties }, read };
}

/** The largest `max_hub_degree` of the pack's detectors: how far the focus may go through an account. */
function hubDegree(params: Iterable<Record<string, unknown>>): number {
  let most = 100;
  for (const p of params) if (typeof p.max_hub_degree === "number") most = Math.max(most, p.max_hub_degree);
  return most;
}

export function detect(store: Store, pack: RulePack, options: DetectOptions = {}): Promise<DetectSummary> {
  // Its working tables in memory kept from the last run (`scratch-pool.ts`).
  return scratch.during(() => detectRun(store, pack, options));
}

async function detectRun(store: Store, pack: RulePack, options: DetectOptions): Promise<DetectSummary> {
  const seconds: Record<string, number> = {};
  let lap = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    seconds[name] = Math.round(now - lap) / 1000;
    lap = now;
  };
  const holder = options.holder;
  const heldBefore = holder?.graph;
  if (holder) holder.graph = null;
  const loaded = await loadDetectionGraph(store, options.snapshotDir, heldBefore);
  phase("load");
  const g = loaded.graph;
  const fields = await store.transactionFields();
  const available = new Set(DETECTION_FIELDS.filter((f) => fields.has(f))) as Set<DetectionField>;
  // Details (merchant, place, branch, conductor) whenever the data has some: detectors that need
  // them run only then, and others use them as extra evidence when they are there.
  const basic = new Set<string>(["ts", "amount_usd", "channel", "from_account", "to_account"]);
  // A detector runs incrementally when the last run ran it as now over every edge not new.
  const previous = options.full ? null : loaded.previous;
  const { addedAt } = loaded;
  // Each detector's parameters, the pack's over its defaults; and those that will run.
  const params = new Map(pack.detectors.map((d) => [d, paramsOf(d, pack.params)]));
  const peers = runnablePeers({ graph: g, available }, pack.detectors, pack.params);
  const { inputs, read } = await runInputs(store, pack.detectors);
  const keys = new Map(
    pack.detectors.map((d) => [d, runKey(d, params.get(d) ?? {}, available, peers, inputs)]),
  );
  const incremental = new Set(
    pack.detectors.filter((d) => addedAt && previous?.detectors[detectorRef(d)] === keys.get(d)),
  );
  // A detector that runs over everything (new, or its parameters or inputs changed) makes findings
  // that fold into other typologies' alerts, or take theirs in (`absorbLegs`): those detectors
  // look at everything too, and theirs in turn, or an alert a full run would fold stands alone.
  // So do the partners of one that ran last time and does not now (left out of the pack, or no
  // longer evaluable): the findings it took in stand alone in a full run.
  const ranBefore = new Set(Object.keys(previous?.detectors ?? {}).map(detectorIdOf));
  const dropped = DETECTORS.filter((f) => ranBefore.has(f.id) && !peers.has(f.id));
  for (let more = true; more; ) {
    more = false;
    const full = [...pack.detectors.filter((f) => !incremental.has(f) && peers.has(f.id)), ...dropped];
    for (const d of incremental)
      if (full.some((f) => foldTogether(d.typology, f.typology))) {
        incremental.delete(d);
        more = true;
      }
  }
  let newTransactions = g.edgeCount;
  if (addedAt && incremental.size > 0) newTransactions = addedAt.length;
  // Loading the details costs seconds on millions of rows: only when some detector will run.
  const runs = incremental.size < pack.detectors.length || newTransactions > 0;
  const wantsDetails = runs && [...available].some((f) => !basic.has(f));
  const details = wantsDetails ? await loaded.details() : undefined;
  const data: DetectionData = {
    graph: g,
    available,
    ...(details ? { details } : {}),
    peers,
    ...(read ? { lists: read.lists } : {}),
  };
  phase("details");
  const fullOutcomes = await runDetectorsInParallel(
    data,
    pack.detectors.filter((d) => !incremental.has(d)),
    pack.params,
    options.threads === undefined ? {} : { threads: options.threads },
  );
  let incrementalOutcomes: DetectorOutcome[] = [];
  const stored = await store.alerts();
  let recheck: Recheck | null = null;
  if (incremental.size > 0 && addedAt) {
    // The new transactions, and the payments of the stored alerts about their accounts.
    const chosen = pack.detectors.filter((d) => incremental.has(d));
    recheck =
      newTransactions > 0 && addedAt
        ? recheckAlerts(g, addedAt, stored, new Set(chosen.map((d) => d.typology)))
        : null;
    const focus = recheck
      ? focusOn(g, recheck.flags, hubDegree(params.values()), 0, recheck.edges)
      : undefined;
    phase("focus");
    // Nothing new: nothing to look at, and nothing can have changed.
    incrementalOutcomes = focus
      ? runDetectors({ ...data, focus }, chosen, pack.params).map((o) => ({
          ...o,
          findings: o.findings.filter((f) => touchesNew(focus, f)),
        }))
      : chosen.map((d) => ({
          detector: detectorRef(d),
          typology: d.typology,
          status: "ok" as const,
          missing: [],
          unused: (d.uses ?? []).filter((f) => !available.has(f)),
          params: params.get(d) ?? {},
          findings: [],
          seconds: 0,
        }));
  }
  const byRef = new Map([...fullOutcomes, ...incrementalOutcomes].map((o) => [o.detector, o]));
  const outcomes = pack.detectors.map((d) => byRef.get(detectorRef(d)) as DetectorOutcome);
  phase("detectors");
  // The next run may go incrementally for the detectors that ran now over every edge. The
  // snapshot's files are written while the alerts are worked out, and it is committed after them;
  // in a process that holds the graph, both once the alerts are stored (`GraphHolder`).
  const memory = {
    detectors: Object.fromEntries(
      pack.detectors
        .filter((d) => byRef.get(detectorRef(d))?.status === "ok")
        .map((d) => [detectorRef(d), keys.get(d) as string]),
    ),
  };
  const saving = holder ? null : loaded.remember(memory);
  const drafts = absorbLegs(mergeFindings(outcomes.filter((o) => o.status === "ok")));
  const byPrimary = new Map<string, StoredAlert[]>();
  for (const a of stored) {
    const key = `${a.record.typology}|${a.primaryAccount}`;
    byPrimary.set(key, [...(byPrimary.get(key) ?? []), a]);
  }
  // The ids of the transactions stored alerts cite, which this run's alerts mostly cite again.
  const cited = new Map<string, string>();
  for (const { record } of stored)
    record.sources.forEach((s, i) => {
      cited.set(sourceKey(s), record.transactions[i] as string);
    });
  const ids = await transactionIds(
    store,
    g,
    drafts.flatMap((d) => [...d.edges]),
    cited,
  );
  const changes: StoredAlert[] = [];
  const counts = {
    new: 0,
    updated: 0,
    unchanged: 0,
    not_raised: null as number | null,
    rechecked: null as number | null,
  };
  const raised = new Set<string>();
  const typologies: Record<string, number> = {};
  for (const d of drafts) {
    const primaryAccount = g.accounts[d.primary] ?? "";
    const previous = byPrimary
      .get(`${d.typology}|${primaryAccount}`)
      ?.find((a) => overlaps(a.record, d))?.record;
    const record = recordOf(g, d, ids, pack.ref, previous);
    raised.add(record.id);
    typologies[d.typology] = (typologies[d.typology] ?? 0) + 1;
    if (!previous) counts.new++;
    else if (isDeepStrictEqual(previous, record)) {
      counts.unchanged++;
      continue;
    } else counts.updated++;
    // Checked against the contract's schema: an alert that does not fit it is a bug, not output.
    changes.push({ record: AlertRecord.parse(record), primaryAccount });
  }
  if (incrementalOutcomes.length === 0) {
    const looked = new Set(outcomes.filter((o) => o.status === "ok").map((o) => o.typology));
    counts.not_raised = stored.filter(
      (a) => looked.has(a.record.typology) && !raised.has(a.record.id),
    ).length;
  }
  if (recheck) counts.rechecked = recheck.alerts.size;
  else if (incrementalOutcomes.length > 0) counts.rechecked = 0;
  await store.writeAlerts(changes);
  phase("alerts");
  // A process that holds the graph writes the snapshot only now, its measures when idle (`GraphHolder`).
  await (saving ?? loaded.remember(memory, true)).commit();
  phase("snapshot");
  if (holder) {
    holder.graph = loaded.held();
    phase("hold");
  }
  return {
    pack: pack.ref,
    detectors: outcomes.map((o) => ({
      detector: o.detector,
      status: o.status,
      missing: o.missing,
      ...(o.reason ? { reason: o.reason } : {}),
      ...(o.thread ? { thread: o.thread } : {}),
      unused: o.unused,
      run: incrementalOutcomes.includes(o) ? "incremental" : "full",
      findings: o.findings.length,
      seconds: Math.round(o.seconds * 1000) / 1000,
    })),
    graphFrom: loaded.from,
    newTransactions,
    seconds,
    alerts: counts,
    typologies,
  };
}
