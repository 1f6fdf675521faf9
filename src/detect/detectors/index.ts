import type { Detector } from "../detector.js";
import { fanIn } from "./fan-in.js";
import { fanOut } from "./fan-out.js";
import { structuring } from "./structuring.js";

/**
 * Every detector moneytrail ships, by id. (DESIGN §5 shows a default export; the project's lint
 * rules ask for named ones.)
 */
export const DETECTORS: readonly Detector[] = [fanIn, fanOut, structuring] as unknown as Detector[];
