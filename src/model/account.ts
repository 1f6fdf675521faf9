import { z } from "zod";
import { AccountKey } from "./ids.js";
import { sql } from "./sql-meta.js";

export const AccountKind = z.enum(["personal", "business"]);
export type AccountKind = z.infer<typeof AccountKind>;

export const Place = z.object({
  city: z.string().nullable(),
  region: z.string().nullable(),
  country: z.string().nullable(),
});
export type Place = z.infer<typeof Place>;

export const Account = z.object({
  key: AccountKey,
  bank: z.string().nullable(),
  number: z.string(),
  kind: AccountKind.nullable(),
  opened: sql(z.iso.date(), "DATE").nullable(),
  home: Place,
});
export type Account = z.infer<typeof Account>;
