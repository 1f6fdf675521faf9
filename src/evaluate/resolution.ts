import { type BcubedScores, clusteringScores, type PairwiseScores } from "./clustering-metrics.js";

/** One party record and the entity it belongs to: a row of truth/parties.csv or of `entities --format csv`. */
export interface RecordEntity {
  source: string;
  record_id: string;
  entity_id: string;
}

export interface ResolutionReport {
  /** How predicted rows were matched to the truth's records. */
  matched_by: "record_id" | "source+record_id";
  /** Party records in the truth: what is scored. */
  records: number;
  /** True entities among them. */
  entities: number;
  /** Predicted clusters among them, a missing record counting as a cluster of its own. */
  clusters: number;
  /** Truth records the prediction lacks: scored as singletons. */
  missing: number;
  /** Predicted rows naming no truth record: ignored. */
  unknown: number;
  /** Predicted rows naming a record an earlier row already placed: ignored, the first row counts. */
  duplicates: number;
  pairwise: PairwiseScores;
  bcubed: BcubedScores;
}

/**
 * Scores predicted entities against the true ones. A party file may have been ingested under
 * another source name than the truth's, so records are matched on `record_id` alone when the
 * truth's record ids are unique (they are in a generated world), else on source and record id.
 */
export function scoreResolution(
  truth: readonly RecordEntity[],
  predicted: readonly RecordEntity[],
): ResolutionReport {
  // Keyed by record id alone unless the truth repeats one; then by source and record id.
  let byRecordId = true;
  let index = indexRecords(truth, byRecordId);
  if (index === undefined) {
    byRecordId = false;
    index = indexRecords(truth, byRecordId) ?? new Map();
  }
  const keyOf = byRecordId ? recordIdKey : sourceRecordKey;

  const trueLabel = new Int32Array(truth.length);
  const entityIds = new Map<string, number>();
  for (let i = 0; i < truth.length; i++)
    trueLabel[i] = intern(entityIds, (truth[i] as RecordEntity).entity_id);

  const predictedLabel = new Int32Array(truth.length).fill(-1);
  const clusterIds = new Map<string, number>();
  let unknown = 0;
  let duplicates = 0;
  for (const row of predicted) {
    const i = index.get(keyOf(row));
    if (i === undefined) unknown += 1;
    else if (predictedLabel[i] !== -1) duplicates += 1;
    else predictedLabel[i] = intern(clusterIds, row.entity_id);
  }

  // A record the prediction lacks was put with no other record: a singleton, fresh label each.
  let missing = 0;
  let nextLabel = clusterIds.size;
  for (let i = 0; i < predictedLabel.length; i++) {
    if (predictedLabel[i] === -1) {
      predictedLabel[i] = nextLabel++;
      missing += 1;
    }
  }

  return {
    matched_by: byRecordId ? "record_id" : "source+record_id",
    records: truth.length,
    entities: entityIds.size,
    clusters: clusterIds.size + missing,
    missing,
    unknown,
    duplicates,
    ...clusteringScores(trueLabel, predictedLabel),
  };
}

const recordIdKey = (r: RecordEntity) => r.record_id;
const sourceRecordKey = (r: RecordEntity) => `${r.source}\u0000${r.record_id}`;

/** Record key → position in `truth`; undefined when a key repeats. */
function indexRecords(truth: readonly RecordEntity[], byRecordId: boolean): Map<string, number> | undefined {
  const keyOf = byRecordId ? recordIdKey : sourceRecordKey;
  const index = new Map<string, number>();
  for (let i = 0; i < truth.length; i++) {
    const key = keyOf(truth[i] as RecordEntity);
    if (index.has(key)) return undefined;
    index.set(key, i);
  }
  return index;
}

function intern(ids: Map<string, number>, id: string): number {
  let n = ids.get(id);
  if (n === undefined) {
    n = ids.size;
    ids.set(id, n);
  }
  return n;
}
