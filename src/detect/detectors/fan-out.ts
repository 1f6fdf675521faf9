import { defineDetector } from "../detector.js";
import { FanParams, fans } from "../fan.js";

export const fanOut = defineDetector({
  id: "fan-out",
  version: 2,
  typology: "fan-out",
  title: "One account paying many, in a burst",
  basis: "AMLSim and AMLworld fan-out (typologies.md §3)",
  params: FanParams,
  needs: ["ts", "amount_usd", "from_account", "to_account"],
  run: (data, params) => fans(data.graph, "out", params, "fan-out", data.focus, data.details),
});
