import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { parseYaml } from "../util/parse-yaml.js";
import { projectRoot } from "../util/project-root.js";
import type { Detector } from "./detector.js";
import { DETECTORS } from "./detectors/index.js";

/**
 * A rule pack (YAML): its name and version, and the detectors it runs with their parameters.
 * Unknown detectors and parameters a detector's schema refuses are errors, never ignored.
 */
const PackFile = z.object({
  pack: z.string().min(1),
  version: z.union([z.number(), z.string()]),
  detectors: z.record(z.string(), z.record(z.string(), z.unknown()).nullable()),
});

export interface RulePack {
  /** `name@version`, as alerts cite it. */
  ref: string;
  detectors: Detector[];
  params: Map<string, Record<string, unknown>>;
}

export class RulePackError extends Error {}

export function defaultPackPath(): string {
  return join(projectRoot(), "packs", "default.yaml");
}

export function loadRulePack(path: string, only?: readonly string[]): RulePack {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, "utf8"));
  } catch (error) {
    throw new RulePackError(`${path}: cannot be read as YAML (${(error as Error).message.split("\n")[0]})`);
  }
  const parsed = PackFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RulePackError(`${path}: ${issue?.path.join(".") || "the pack"}: ${issue?.message}`);
  }
  const byId = new Map(DETECTORS.map((d) => [d.id, d]));
  const detectors: Detector[] = [];
  const params = new Map<string, Record<string, unknown>>();
  for (const [id, given] of Object.entries(parsed.data.detectors)) {
    const d = byId.get(id);
    if (!d) throw new RulePackError(`${path}: no detector "${id}" (known: ${[...byId.keys()].join(", ")})`);
    const checked = d.params.strict().safeParse(given ?? {});
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw new RulePackError(`${path}: detectors.${id}.${issue?.path.join(".") ?? ""}: ${issue?.message}`);
    }
    detectors.push(d);
    params.set(id, given ?? {});
  }
  if (only) {
    for (const id of only) {
      if (!detectors.some((d) => d.id === id))
        throw new RulePackError(
          `--only: the pack has no detector "${id}" (it has: ${detectors.map((d) => d.id).join(", ")})`,
        );
    }
  }
  return {
    ref: `${parsed.data.pack}@${parsed.data.version}`,
    detectors: only ? detectors.filter((d) => only.includes(d.id)) : detectors,
    params,
  };
}
