import { alertsCommand } from "./alerts.js";
import type { Command } from "./command.js";
import { detectCommand } from "./detect.js";
import { entitiesCommand } from "./entities.js";
import { entityCommand } from "./entity.js";
import { evaluateCommand } from "./evaluate.js";
import { generateCommand } from "./generate.js";
import { graphCommand } from "./graph.js";
import { ingestCommand } from "./ingest.js";
import { quarantineCommand } from "./quarantine.js";
import { resolveCommand } from "./resolve.js";
import { riskCommand } from "./risk.js";
import { statusCommand } from "./status.js";
import { traceCommand } from "./trace.js";

/** Every command, in the order `--help` lists them. An explicit list: no registration by import side effect. */
export const COMMANDS: readonly Command[] = [
  generateCommand,
  ingestCommand,
  quarantineCommand,
  statusCommand,
  resolveCommand,
  entitiesCommand,
  entityCommand,
  traceCommand,
  graphCommand,
  detectCommand,
  alertsCommand,
  riskCommand,
  evaluateCommand,
];
