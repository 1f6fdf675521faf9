import { defineDetector } from "../detector.js";
import { FanParams, fans } from "../fan.js";

export const fanIn = defineDetector({
  id: "fan-in",
  version: 1,
  typology: "fan-in",
  title: "Many senders to one account, in a burst",
  basis: "AMLSim and AMLworld fan-in (typologies.md §3); FIN-2020-A008 funnel accounts",
  params: FanParams,
  needs: ["ts", "amount_usd", "from_account", "to_account"],
  run: (data, params) => fans(data.graph, "in", params, "fan-in", data.focus, data.details),
});
