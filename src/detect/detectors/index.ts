import type { Detector } from "../detector.js";
import { bipartite } from "./bipartite.js";
import { cycle } from "./cycle.js";
import { fanIn } from "./fan-in.js";
import { fanOut } from "./fan-out.js";
import { funnelAccount } from "./funnel-account.js";
import { gatherScatter } from "./gather-scatter.js";
import { hsBorderFunnel } from "./hs-border-funnel.js";
import { hsCashToWire } from "./hs-cash-to-wire.js";
import { htController } from "./ht-controller.js";
import { htLivingCosts } from "./ht-living-costs.js";
import { htLodgingAds } from "./ht-lodging-ads.js";
import { htWageSkim } from "./ht-wage-skim.js";
import { passThrough } from "./pass-through.js";
import { random } from "./random.js";
import { scatterGather } from "./scatter-gather.js";
import { stack } from "./stack.js";
import { structuring } from "./structuring.js";

/**
 * Every detector moneytrail ships, by id. (DESIGN §5 shows a default export; the project's lint
 * rules ask for named ones.)
 */
export const DETECTORS: readonly Detector[] = [
  bipartite,
  cycle,
  fanIn,
  fanOut,
  funnelAccount,
  gatherScatter,
  hsBorderFunnel,
  hsCashToWire,
  htController,
  htLivingCosts,
  htLodgingAds,
  htWageSkim,
  passThrough,
  random,
  scatterGather,
  stack,
  structuring,
] as unknown as Detector[];
