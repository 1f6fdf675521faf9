import { z } from "zod";

/** DESIGN §2 channel vocabulary. */
export const Channel = z.enum([
  "cash",
  "ach",
  "wire",
  "check",
  "card",
  "p2p",
  "msb",
  "crypto",
  "prepaid",
  "money_order",
  "exchange",
  "internal",
  "other",
]);
export type Channel = z.infer<typeof Channel>;

/** AMLworld's `Payment Format` values (DESIGN §2). A lookup over every value, so none is forgotten. */
export const AMLWORLD_PAYMENT_FORMATS = {
  ACH: "ach",
  Cheque: "check",
  Cash: "cash",
  "Credit Card": "card",
  Wire: "wire",
  Reinvestment: "internal",
  Bitcoin: "crypto",
} as const satisfies Record<string, Channel>;
