import { z } from "zod";
import { AccountKey, EntityId, PartyId, TransactionId } from "./ids.js";
import { SourceRef } from "./source.js";

/** The resolved real-world person or organisation (DESIGN §2). */
export const Entity = z.object({
  id: EntityId,
  members: z.array(PartyId),
  display_name: z.string(),
  reasons: z.array(z.string()),
});
export type Entity = z.infer<typeof Entity>;

export const SubjectRole = z.enum([
  "hub",
  "originator",
  "beneficiary",
  "intermediary",
  "member",
  "conductor",
]);
export type SubjectRole = z.infer<typeof SubjectRole>;

export const Subject = z.union([
  z.object({ account: AccountKey, role: SubjectRole }),
  z.object({ entity: EntityId, role: SubjectRole }),
]);
export type Subject = z.infer<typeof Subject>;

export const TimeWindow = z.object({ from: z.iso.datetime(), to: z.iso.datetime() });

/** What one detector saw (DESIGN §2, §5). */
export const Finding = z.object({
  detector: z.string().regex(/^[a-z0-9-]+@\d+$/, "detector as id@version"),
  typology: z.string(),
  subjects: z.array(Subject),
  transactions: z.array(TransactionId),
  window: TimeWindow,
  params: z.record(z.string(), z.unknown()),
  reasons: z.array(z.string()),
  score: z.number().min(0).max(1),
});
export type Finding = z.infer<typeof Finding>;

export const AlertSeverity = z.enum(["low", "medium", "high", "critical"]);
export const AlertStatus = z.enum(["new", "in-review", "escalated", "closed-no-action", "closed-sar-filed"]);

/** The alert record contract of DESIGN §4 (`alerts --format jsonl`). */
export const Alert = z.object({
  id: z.string().startsWith("alr_"),
  typology: z.string(),
  score: z.number().min(0).max(1),
  severity: AlertSeverity,
  status: AlertStatus,
  detectors: z.array(z.string()),
  subjects: z.array(Subject),
  transactions: z.array(TransactionId),
  sources: z.array(SourceRef),
  window: TimeWindow,
  amount_usd: z.number(),
  reasons: z.array(z.string()),
  params: z.record(z.string(), z.unknown()),
});
export type Alert = z.infer<typeof Alert>;

/**
 * An alert as moneytrail stores and exports it: the contract record plus extensions
 * (docs/detect.md): the SAR activity codes it supports, the rule pack that raised it, and the
 * reasons earlier runs gave that a later look at the same evidence no longer gives.
 */
export const AlertRecord = Alert.extend({
  sar_activities: z.array(z.string()),
  pack: z.string(),
  superseded_reasons: z.array(z.string()).optional(),
});
export type AlertRecord = z.infer<typeof AlertRecord>;
