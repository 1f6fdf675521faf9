import type { AlertRecord } from "../model/analysis.js";
import { subjectName } from "./alert-record.js";
import { type Detector, detectorIdOf } from "./detector.js";

/**
 * Risk per account: what the alerts that name an account add up to, and why, in words ("3
 * alerts from 3 detectors, citing 2 advisories"). Leads for a person to review, ranked: an account
 * several independent detectors point at, on the strength of several advisories, comes first.
 *
 * The score is 1 − Π(1 − sᵢ) over the account's alerts, each counted once, with the score of an
 * alert that names the account only as a counterparty (an originator or beneficiary of someone
 * else's pattern) halved: the hub of a fan is its subject, each payer a lead to follow.
 *
 * With `subjectOf` (entity risk, after entity resolution), the same sum runs over an entity's
 * accounts: an alert naming two of its accounts counts once, as a principal if it names any of
 * them as one, and `accounts` lists which of its accounts the alerts name.
 */

export interface AccountRisk {
  /** The account, or with `subjectOf` the entity (or the account, when it has no single holder). */
  account: string;
  /** With `subjectOf`: the accounts the alerts name that stand for this subject. */
  accounts?: string[];
  score: number;
  alerts: string[];
  typologies: string[];
  detectors: string[];
  /** Advisories and regulations the detectors rest on (FinCEN, FATF, CFR). */
  advisories: string[];
  sarActivities: string[];
  amountUsd: number;
  explanation: string;
}

/** Roles that make an alert about the account itself rather than about its counterparty. */
const PRINCIPAL = new Set(["hub", "member"]);

/** The advisories and regulations a detector's basis cites. */
export function advisoriesOf(basis: string): string[] {
  const found = new Set<string>();
  // FinCEN advisories and alerts, FATF reports (named up to their year), CFR sections.
  for (const m of basis.matchAll(/FIN-\d{4}-(?:A\d+|Alert\d+)|FATF[^(;,]*?\d{4}|31 CFR \d+\.\d+/g))
    found.add(m[0].trim());
  return [...found];
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export function accountRisk(
  alerts: readonly AlertRecord[],
  detectors: readonly Detector[],
  subjectOf?: (account: string) => string,
): AccountRisk[] {
  // By id: an alert raised by an earlier version of a detector cites the same advisories.
  const basisOf = new Map(detectors.map((d) => [d.id, d.basis]));
  const byAccount = new Map<string, { alert: AlertRecord; principal: boolean }[]>();
  const named = new Map<string, Set<string>>();
  for (const alert of alerts) {
    const inAlert = new Map<string, { alert: AlertRecord; principal: boolean }>();
    alert.subjects.forEach((s, i) => {
      const account = subjectName(s);
      const subject = subjectOf ? subjectOf(account) : account;
      // The first subject is the alert's primary account (the hub, the structurer, the originator).
      const principal = i === 0 || PRINCIPAL.has(s.role);
      const entry = inAlert.get(subject);
      if (entry) entry.principal ||= principal;
      else inAlert.set(subject, { alert, principal });
      const accounts = named.get(subject) ?? new Set<string>();
      accounts.add(account);
      named.set(subject, accounts);
    });
    for (const [subject, entry] of inAlert) {
      const list = byAccount.get(subject);
      if (list) list.push(entry);
      else byAccount.set(subject, [entry]);
    }
  }
  const rows: AccountRisk[] = [];
  for (const [account, list] of byAccount) {
    let miss = 1;
    for (const { alert, principal } of list) miss *= 1 - (principal ? alert.score : alert.score / 2);
    const detectorsOf = [...new Set(list.flatMap(({ alert }) => alert.detectors))].sort();
    const advisories = [
      ...new Set(detectorsOf.flatMap((d) => advisoriesOf(basisOf.get(detectorIdOf(d)) ?? ""))),
    ].sort();
    const typologies = [...new Set(list.map(({ alert }) => alert.typology))].sort();
    const counterpartyOnly = list.filter((x) => !x.principal).length;
    const n = list.length;
    rows.push({
      account,
      ...(subjectOf ? { accounts: [...(named.get(account) ?? [])].sort() } : {}),
      score: round(1 - miss),
      alerts: list.map(({ alert }) => alert.id).sort(),
      typologies,
      detectors: detectorsOf,
      advisories,
      sarActivities: [...new Set(list.flatMap(({ alert }) => alert.sar_activities))].sort(),
      amountUsd: Math.round(list.reduce((s, { alert }) => s + alert.amount_usd, 0) * 100) / 100,
      explanation:
        `${n} alert${n === 1 ? "" : "s"} (${typologies.join(", ")}) from ${detectorsOf.length} detector${detectorsOf.length === 1 ? "" : "s"}, ` +
        `citing ${advisories.length} advisor${advisories.length === 1 ? "y or regulation" : "ies or regulations"}` +
        (advisories.length > 0 ? ` (${advisories.join("; ")})` : "") +
        (counterpartyOnly > 0
          ? `; in ${counterpartyOnly} of them as a counterparty, counted at half weight`
          : ""),
    });
  }
  return rows.sort(
    (a, b) => b.score - a.score || b.alerts.length - a.alerts.length || (a.account < b.account ? -1 : 1),
  );
}
