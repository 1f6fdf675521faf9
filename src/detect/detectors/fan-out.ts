import { z } from "zod";
import { defineDetector } from "../detector.js";
import { FanParams, fanReadings } from "../fan.js";

/**
 * Fan-out reads unlike sums as a fan only when wider than fan-in does: a business buying from a
 * handful of new suppliers in a month pays each once, and unlike sums, and they are all of its
 * one-off payees at the time (on a 60-day world with fans of unlike sums, 5 to 9 such payees
 * raised 15 of the 19 such alerts, all false; the planted fans found were 10 to 15 wide).
 */
const Params = FanParams.extend({
  wide_min_counterparties: z.number().int().min(2).default(10),
  // Payees' other receipts (a person's wages) are of a fan payment's size: no stand-out test on
  // short data; the width asked of a fan of unlike sums keeps it quiet enough there.
  standout_share: z.number().min(0).max(1).default(0),
});

export const fanOut = defineDetector({
  id: "fan-out",
  version: 2,
  typology: "fan-out",
  title: "One account paying many, in a burst",
  basis: "AMLSim and AMLworld fan-out (typologies.md §3)",
  params: Params,
  needs: ["ts", "amount_usd", "from_account", "to_account"],
  run: (data, params) => fanReadings(data.graph, "out", params, "fan-out", data.focus, data.details).fans,
});
