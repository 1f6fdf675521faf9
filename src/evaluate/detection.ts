import { GRAPH_PATTERNS, Typology } from "../model/typology.js";
import { type Prf, prf, setPrf } from "./prf.js";
import type { Truth } from "./truth-dir.js";
import { transactionFileDigests } from "./truth-manifest.js";

/** What scoring reads of an alert (DESIGN §4 alert record); readAlertsFile's records fit. */
export interface ScorableAlert {
  typology: string;
  subjects: readonly ({ account: string } | { entity: string })[];
  transactions: readonly string[];
  sources: readonly { file: string; line: number }[];
}

export interface TypologyScore {
  typology: string;
  /** Planted instances of this typology. */
  instances: number;
  /** Instances with at least one transaction in an alert of this typology. */
  instances_found: number;
  /** Instances with at least one transaction in any alert. */
  instances_flagged_any: number;
  transactions: Prf;
  accounts: Prf;
}

export interface HardNegativeScore {
  kind: string;
  /** The typologies accounts of this kind resemble (the union over them). */
  resembles: string[];
  accounts: number;
  /** Accounts of this kind named as a subject of any alert: false alarms. */
  alerted: number;
  /** The typologies of the alerts that named them. */
  typologies: string[];
}

export interface DetectionReport {
  alerts: number;
  /**
   * Alert transactions whose SourceRef the truth cannot place (not in one of the world's
   * transaction files; against source labels, not in a file with labels): ignored.
   */
  outside_world: number;
  /** Subjects given as entities, not accounts: the truth knows accounts only, so they are ignored. */
  entity_subjects: number;
  overall: { transactions: Prf; accounts: Prf };
  /**
   * The eight laundering graph patterns together (typology.ts GRAPH_PATTERNS), micro-averaged:
   * true positives, predictions and actual members summed over them, each counted per typology.
   */
  graph_patterns: { transactions: Prf; accounts: Prf };
  typologies: TypologyScore[];
  hard_negatives: HardNegativeScore[];
}

/**
 * What detection is scored against: the laundering transactions (each by a key its SourceRefs map
 * to), the accounts, the instances and the hard negatives, each with its typology. A generated
 * world's truth (`worldTruth`) or the source labels of the data (`label-truth.ts`).
 */
export interface DetectionTruth {
  /** The key of the transaction a SourceRef names, or null when it lies outside the truth's files. */
  keyOf(source: { file: string; line: number }): string | null;
  transactions: readonly { key: string; typology: string; instance: string }[];
  accounts: readonly { account: string; typology: string }[];
  instances: readonly { instance: string; typology: string }[];
  hardNegatives: readonly { account: string; kind: string; resembles: readonly string[] }[];
}

/**
 * A generated world's truth. A transaction is known by its line: both transaction files of a world
 * hold it on the same line, so a SourceRef into either one names it, and a SourceRef into any other
 * file cannot be matched.
 */
export function worldTruth(
  truth: Pick<Truth, "manifest" | "transactions" | "accounts" | "instances" | "hardNegatives">,
): DetectionTruth {
  const digests = transactionFileDigests(truth.manifest);
  return {
    keyOf: (s) => (digests.has(s.file) ? String(s.line) : null),
    transactions: truth.transactions.map((t) => ({
      key: String(t.line),
      typology: t.typology,
      instance: t.instance,
    })),
    accounts: truth.accounts,
    instances: truth.instances,
    hardNegatives: truth.hardNegatives,
  };
}

/**
 * Scores alerts against the truth. A SourceRef the truth cannot place is only counted
 * (`outside_world`). Per typology, the predicted set is what alerts of that typology name and the
 * actual set what the truth labels with it; overall, both sets ignore typology.
 */
export function scoreDetection(truth: DetectionTruth, alerts: readonly ScorableAlert[]): DetectionReport {
  const predictedLines = new Map<string, Set<string>>();
  const predictedAccounts = new Map<string, Set<string>>();
  const anyLine = new Set<string>();
  const anyAccount = new Set<string>();
  /** For each account named by an alert, the typologies of the alerts naming it. */
  const alertTypologiesOf = new Map<string, Set<string>>();
  let outsideWorld = 0;
  let entitySubjects = 0;

  for (const alert of alerts) {
    const lines = setIn(predictedLines, alert.typology);
    const accounts = setIn(predictedAccounts, alert.typology);
    // `sources` parallels `transactions`; a transaction without a SourceRef cannot be placed either.
    const refs = Math.max(alert.sources.length, alert.transactions.length);
    for (let i = 0; i < refs; i++) {
      const source = alert.sources[i];
      const key = source === undefined ? null : truth.keyOf(source);
      if (key === null) {
        outsideWorld += 1;
        continue;
      }
      lines.add(key);
      anyLine.add(key);
    }
    for (const subject of alert.subjects) {
      if (!("account" in subject)) {
        entitySubjects += 1;
        continue;
      }
      accounts.add(subject.account);
      anyAccount.add(subject.account);
      setIn(alertTypologiesOf, subject.account).add(alert.typology);
    }
  }

  const actualLines = new Map<string, Set<string>>();
  const linesOfInstance = new Map<string, string[]>();
  const allActualLines = new Set<string>();
  for (const t of truth.transactions) {
    setIn(actualLines, t.typology).add(t.key);
    allActualLines.add(t.key);
    let lines = linesOfInstance.get(t.instance);
    if (lines === undefined) {
      lines = [];
      linesOfInstance.set(t.instance, lines);
    }
    lines.push(t.key);
  }
  const actualAccounts = new Map<string, Set<string>>();
  const allActualAccounts = new Set<string>();
  for (const a of truth.accounts) {
    setIn(actualAccounts, a.typology).add(a.account);
    allActualAccounts.add(a.account);
  }

  const typologyNames = ordered([
    ...truth.instances.map((i) => i.typology),
    ...actualLines.keys(),
    ...actualAccounts.keys(),
    ...predictedLines.keys(),
  ]);
  const none = new Set<never>();
  const typologies = typologyNames.map((typology): TypologyScore => {
    const predicted = predictedLines.get(typology) ?? none;
    const instances = truth.instances.filter((i) => i.typology === typology);
    const linesOf = (instance: string) => linesOfInstance.get(instance) ?? [];
    return {
      typology,
      instances: instances.length,
      instances_found: instances.filter((i) => linesOf(i.instance).some((l) => predicted.has(l))).length,
      instances_flagged_any: instances.filter((i) => linesOf(i.instance).some((l) => anyLine.has(l))).length,
      transactions: setPrf(predicted, actualLines.get(typology) ?? none),
      accounts: setPrf(predictedAccounts.get(typology) ?? none, actualAccounts.get(typology) ?? none),
    };
  });

  const kinds = new Map<string, { accounts: Set<string>; resembles: Set<string> }>();
  for (const h of truth.hardNegatives) {
    let kind = kinds.get(h.kind);
    if (kind === undefined) {
      kind = { accounts: new Set(), resembles: new Set() };
      kinds.set(h.kind, kind);
    }
    kind.accounts.add(h.account);
    for (const t of h.resembles) kind.resembles.add(t);
  }
  const hardNegatives = [...kinds.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([kind, { accounts, resembles }]): HardNegativeScore => {
      const alerted = [...accounts].filter((a) => alertTypologiesOf.has(a));
      return {
        kind,
        resembles: ordered(resembles),
        accounts: accounts.size,
        alerted: alerted.length,
        typologies: ordered(alerted.flatMap((a) => [...(alertTypologiesOf.get(a) ?? [])])),
      };
    });

  const patterns = typologies.filter((t) => (GRAPH_PATTERNS as readonly string[]).includes(t.typology));
  const micro = (side: "transactions" | "accounts") =>
    prf(
      patterns.reduce((n, t) => n + t[side].tp, 0),
      patterns.reduce((n, t) => n + t[side].predicted, 0),
      patterns.reduce((n, t) => n + t[side].actual, 0),
    );
  return {
    alerts: alerts.length,
    outside_world: outsideWorld,
    entity_subjects: entitySubjects,
    overall: {
      transactions: setPrf(anyLine, allActualLines),
      accounts: setPrf(anyAccount, allActualAccounts),
    },
    graph_patterns: { transactions: micro("transactions"), accounts: micro("accounts") },
    typologies,
    hard_negatives: hardNegatives,
  };
}

function setIn<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
  let set = map.get(key);
  if (set === undefined) {
    set = new Set();
    map.set(key, set);
  }
  return set;
}

/** Distinct typology ids in the contract's order (DESIGN §4), then any others alphabetically. */
function ordered(typologies: Iterable<string>): string[] {
  const rank = (t: string) => {
    const i = (Typology.options as readonly string[]).indexOf(t);
    return i === -1 ? Number.MAX_SAFE_INTEGER : i;
  };
  return [...new Set(typologies)].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}
