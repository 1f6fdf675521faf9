import type { FxTable } from "../ingest/fx.js";
import type { ReadPlan } from "../ingest/plan.js";
import type { ScannedFile } from "../ingest/scan-file.js";
import type { Account } from "../model/account.js";
import type { AlertRecord } from "../model/analysis.js";
import type { Sha256 } from "../model/ids.js";
import type { Party } from "../model/party.js";
import type {
  AccountEntity,
  EntityLink,
  EntityRecord,
  PartyEntityRow,
  ResolutionEvent,
  ResolutionRun,
} from "../model/resolution.js";
import type {
  FileFingerprint,
  QuarantinedRow,
  SensitivityTag,
  SourceFile,
  SourceRef,
} from "../model/source.js";
import type { DETAIL_TEXTS, Transaction } from "../model/transaction.js";

export interface IngestRequest {
  file: ScannedFile;
  plan: ReadPlan;
  fx: FxTable;
  sourceName: string;
  agency: string | null;
  legalBasis: string | null;
  tags: SensitivityTag[];
}

export interface IngestOutcome {
  sha256: Sha256;
  rows: number;
  accepted: number;
  rejected: number;
  duplicates: number;
}

/** Called with a fraction in [0, 1] while a long load runs. */
export type ProgressSink = (fraction: number) => void;

export interface StoreCounts {
  source_files: number;
  transactions: number;
  accounts: number;
  parties: number;
  quarantine: number;
  truth_labels: number;
}

export interface Page {
  limit?: number;
  offset?: number;
  file?: Sha256;
}

/**
 * Every transaction as an edge of the money-flow graph, as columns sorted by time to the
 * millisecond (`time`; then by file and line, the stored microseconds aside): the store's export
 * for src/graph, which builds its typed-array graph on them.
 */
export interface EdgeColumns {
  /** Account keys, sorted; edge ends index into them (-1: no account, i.e. cash in or out). */
  accounts: string[];
  from: Int32Array;
  to: Int32Array;
  /** Milliseconds since the epoch (UTC). */
  time: Float64Array;
  amountUsd: Float64Array;
  /** Index into the model's channel vocabulary (`Channel.options`). */
  channel: Uint8Array;
  /** Provenance: a file number (see `files`) and the 1-based line. */
  fileNo: Int32Array;
  line: Int32Array;
  /** File number → SHA-256. */
  files: Map<number, string>;
  /**
   * Per account, the store's own number for it, where the store gave them (an extension,
   * docs/storage.md): an export of later files for a graph that has them (`EdgeExportOptions.known`)
   * names the accounts the graph already holds by number, without reading their keys again.
   */
  accountNos?: Int32Array;
  /**
   * An export for a graph that holds accounts (`EdgeExportOptions.known`, an extension): that
   * graph's accounts (the array given), and per account of this export its place among them (-1:
   * not there). A merge into that graph finds the held accounts by it, without comparing keys.
   */
  known?: { accounts: readonly string[]; at: Int32Array };
}

/** What `Store.edgeColumns` exports. */
export interface EdgeExportOptions {
  /** Only the transactions of these file numbers, and only the accounts they name. */
  files?: readonly number[];
  /**
   * The accounts of the graph these files' transactions are to join (its keys, and the store's
   * numbers for them): only the keys of accounts it does not hold are read. The result is the
   * same as without.
   */
  known?: { accounts: readonly string[]; accountNos: Int32Array };
}

/**
 * What the rest of moneytrail may ask of storage, whatever the engine. Loads are atomic: a file
 * lands whole, with its quarantine and its SourceFile row, or not at all.
 */
export interface Store {
  readonly engine: "duckdb" | "postgres";
  sourceFile(sha256: Sha256): Promise<SourceFile | null>;
  sourceFiles(): Promise<SourceFile[]>;
  /** The digest of a file last hashed with exactly these file-system facts, if any. */
  fingerprintDigest(fingerprint: Omit<FileFingerprint, "sha256">): Promise<Sha256 | null>;
  rememberFingerprint(fingerprint: FileFingerprint): Promise<void>;
  ingest(request: IngestRequest, progress?: ProgressSink): Promise<IngestOutcome>;
  quarantine(page?: Page): Promise<QuarantinedRow[]>;
  counts(): Promise<StoreCounts>;
  transactions(page?: Page): Promise<Transaction[]>;
  accounts(page?: Page): Promise<Account[]>;
  parties(page?: Page): Promise<Party[]>;
  /**
   * Every transaction as graph columns, in time order (then file number and line); with `files`,
   * only the transactions of those file numbers, and `accounts` only the accounts they name.
   */
  edgeColumns(options?: EdgeExportOptions): Promise<EdgeColumns>;
  /**
   * Per file number, the file's SHA-256 and how many transactions of it are stored: what tells a
   * cached graph whether it still matches the store.
   */
  fileRowCounts(): Promise<Map<number, { sha256: string; rows: number }>>;
  /** The transactions at these SourceRefs, in the same order (null where there is none). */
  transactionsAt(refs: readonly SourceRef[]): Promise<(Transaction | null)[]>;
  /**
   * The ids of the transactions at these places (file number as graph columns give it, and line),
   * in the same order (null where there is none): what alerts cite, without reading whole rows.
   */
  transactionIdsAt(refs: readonly { fileNo: number; line: number }[]): Promise<(string | null)[]>;
  /** Where the transactions with this id come from (one SourceRef, unless files overlap without ids). */
  findTransaction(id: string): Promise<SourceRef[]>;
  /** Which optional transaction fields any stored transaction has (detectors need some). */
  transactionFields(): Promise<Set<string>>;
  /**
   * The transactions' optional details as columns: per stored detail row its file number and
   * line, the MCC as a number (-1: none), each text as a code into `strings` (-1: none), the
   * account of a party whose record id is the conductor (a key, or null), and per party-held
   * account its holder's city and region. With `files`, only the detail rows of those files
   * (and `strings` only their texts, sorted as the whole dictionary is); the conductors' accounts
   * and the homes are always whole, as party records can change without a new transaction file.
   */
  detailColumns(options?: { files?: readonly number[] }): Promise<DetailColumns>;
  /** What the last `resolve` left: membership, scored links, entities, its run, and every override. */
  resolutionState(): Promise<ResolutionState>;
  /** Replaces entities, members and links with a run's result and appends its run and events, atomically. */
  writeResolution(write: ResolutionWrite): Promise<void>;
  /** The last run, the overrides and a few counts: what decides how `resolve` runs. */
  resolutionHead(): Promise<ResolutionHead>;
  /** The parties that no run has resolved yet (no entity), in the store's order. */
  unresolvedParties(): Promise<Party[]>;
  /** What an incremental run reads besides the new parties (see Neighbourhood). */
  resolutionNeighbourhood(request: NeighbourhoodRequest): Promise<Neighbourhood>;
  /** The stored links with either end among these parties, by party_a then party_b. */
  linksTouching(parties: readonly string[]): Promise<EntityLink[]>;
  /** Party id → entity id for those of these parties that have one. */
  membersOf(parties: readonly string[]): Promise<Map<string, string>>;
  /** Every party with its entity id ('' before the first `resolve`): what `entities` prints. */
  partyEntities(): Promise<PartyEntityRow[]>;
  /** Each account with each entity among its holders, in account then entity order: the entity view's input. */
  accountEntities(): Promise<AccountEntity[]>;
  entity(id: string): Promise<EntityRecord | null>;
  /** The parties of an entity, in id order. */
  entityParties(id: string): Promise<Party[]>;
  /** The parties with these ids that exist, in id order (what an override's records are checked against). */
  partiesById(ids: readonly string[]): Promise<Party[]>;
  /** The events that name an entity, as survivor or as related id, in order. */
  entityEvents(id: string): Promise<ResolutionEvent[]>;
  /** Every resolution run with its mode and start time, in run order (what `entity explain` dates events by). */
  resolutionRuns(): Promise<ResolutionRunTime[]>;
  /** Records an analyst's override (append-only; later ones win). */
  addOverride(row: OverrideRow): Promise<void>;
  overrides(): Promise<OverrideRow[]>;
  /** Every stored alert, by id. */
  alerts(): Promise<StoredAlert[]>;
  /**
   * The transactions the source labelled as laundering (AMLworld's `Is Laundering`, a mapping's
   * `label`), with the fields a patterns file names them by; in file and line order. For
   * `evaluate --labels` only: no detector reads labels.
   */
  labelledTransactions(): Promise<LabelledTransaction[]>;
  /** Inserts new alerts and replaces changed ones, in one transaction. */
  writeAlerts(alerts: readonly StoredAlert[]): Promise<void>;
  close(): Promise<void>;
}

/** A transaction with a positive ground-truth label from its source. */
export interface LabelledTransaction {
  /** The transaction's id (DESIGN §2: the source's id when it has one). */
  id: string;
  file: string;
  line: number;
  label: string;
  /** Epoch milliseconds (UTC). */
  ts: number;
  from: string | null;
  to: string | null;
  /** The exact decimal as paid, its ISO currency, and the channel (DESIGN §2). */
  amount: string;
  currency: string;
  channel: string;
}

/** An alert as stored: its contract record and the account it is primarily about. */
export interface StoredAlert {
  record: AlertRecord;
  primaryAccount: string;
}

export interface DetailColumns {
  fileNo: Int32Array;
  line: Int32Array;
  mcc: Int16Array;
  /**
   * merchant, city, region, country, counterparty_country, branch, conductor: codes into `strings`,
   * the distinct texts of the rows in order of their UTF-8 bytes (code points).
   */
  text: Record<(typeof DETAIL_TEXTS)[number], Int32Array>;
  strings: string[];
  /** Conductors that a party record names, with the account it holds: record id → account key. */
  conductorAccounts: Map<string, string>;
  homes: { account: string; city: string | null; region: string | null }[];
}

export interface ResolutionState {
  /** Party id → entity id. */
  members: Map<string, string>;
  links: EntityLink[];
  entities: Map<string, EntityRecord>;
  lastRun: ResolutionRun | null;
  overrides: OverrideRow[];
}

export type ResolutionRunTime = Pick<ResolutionRun, "run" | "mode" | "started_at">;

export interface ResolutionWrite {
  run: ResolutionRun;
  entities: EntityRecord[];
  /** Parallel columns: party id and its entity id. */
  members: { party: string[]; entity: string[] };
  links: EntityLink[];
  events: ResolutionEvent[];
  /** Blocking keys to store (rule: index into the rules of the run's rules version). */
  keys?: PartyKeys;
  /** Each party's link component, named by its smallest party id. */
  components?: { party: readonly string[]; component: readonly string[] };
  /**
   * An incremental run's: it read only these parties (and their entities), so only their rows,
   * these entities and the links between two of these parties are replaced; absent, all are.
   */
  scope?: { parties: readonly string[]; entities: readonly string[] };
}

/** What a `resolve` run reads before it knows which parties it needs. */
export interface ResolutionHead {
  lastRun: ResolutionRun | null;
  overrides: OverrideRow[];
  /** Parties stored. */
  parties: number;
  /** The largest number of an entity id E<n> in use (0: none). */
  maxEntityNumber: number;
}

/** Blocking keys as columns: party `party[k]` has key `key[k]` under rule `rule[k]` (index into the rules). */
export interface PartyKeys {
  party: readonly string[];
  rule: ArrayLike<number>;
  key: readonly string[];
}

/** What an incremental run asks of the store: new parties' keys, and parties to read in any case. */
export interface NeighbourhoodRequest {
  /** The new parties' blocking keys, as columns. */
  keys: PartyKeys;
  /** Parties to read with their components in any case (those the overrides name). */
  seeds: readonly string[];
  maxBlockSize: number;
}

/**
 * The resolved parties an incremental run needs (see resolve-parties.ts): those sharing an
 * uncapped block with a new party, both ends of each stored link inside a block the new parties
 * push over the cap, the seeds, and every party of those parties' components.
 */
export interface Neighbourhood {
  parties: Party[];
  /** Party id → entity id, for `parties`. */
  members: Map<string, string>;
  /** Stored links between two of `parties`. */
  links: EntityLink[];
  /** The entities of `parties`. */
  entities: Map<string, EntityRecord>;
  /** The blocks over the cap (counted over every party, new ones included) among the keys of `parties` and the new ones. */
  capped: { rule: number; key: string }[];
}

/** An override as stored: its kind and its whole record as JSON (src/resolve/overrides.ts validates it). */
export interface OverrideRow {
  id: string;
  kind: string;
  record: string;
  created_at: string;
}
