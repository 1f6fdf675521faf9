import type { z } from "zod";
import { declaredSqlType, type SqlType } from "./sql-meta.js";

export interface Column {
  /** Flattened name: nested objects join with `_` (`source.file` → `source_file`). */
  name: string;
  /** Where the value sits in the model object (`["source", "file"]`). */
  path: string[];
  type: SqlType;
  nullable: boolean;
}

type Def = {
  type: string;
  innerType?: z.ZodType;
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  in?: z.ZodType;
};

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

function isIntegerNumber(schema: z.ZodType): boolean {
  const format = (schema as unknown as { format?: string | null }).format;
  return format === "safeint" || format === "int32" || format === "int64";
}

function columnsOfField(path: string[], schema: z.ZodType, nullable: boolean): Column[] {
  const name = path.join("_");
  const declared = declaredSqlType(schema);
  if (declared) return [{ name, path, type: declared, nullable }];
  const def = defOf(schema);
  switch (def.type) {
    case "optional":
    case "nullable":
    case "default":
      return columnsOfField(path, def.innerType as z.ZodType, true);
    case "pipe":
      return columnsOfField(path, def.in as z.ZodType, nullable);
    case "object":
      return Object.entries(def.shape ?? {}).flatMap(([key, inner]) =>
        columnsOfField([...path, key], inner, nullable),
      );
    case "string":
    case "enum":
    case "literal":
      return [{ name, path, type: "VARCHAR", nullable }];
    case "number":
      return [{ name, path, type: isIntegerNumber(schema) ? "BIGINT" : "DOUBLE", nullable }];
    case "boolean":
      return [{ name, path, type: "BOOLEAN", nullable }];
    case "array":
      return [{ name, path, type: "VARCHAR[]", nullable }];
    default:
      throw new Error(`model: no SQL column type for zod type "${def.type}" of field ${name}`);
  }
}

/**
 * The store's column list for an object schema of the model: the one declaration that validation,
 * storage and docs share. Nested objects flatten (`source` → `source_file`, `source_line`).
 */
export function columnsOf(schema: z.ZodObject): Column[] {
  return Object.entries(schema.shape).flatMap(([key, inner]) =>
    columnsOfField([key], inner as z.ZodType, false),
  );
}

/** A stored value as the model wants it: BIGINT text to number, TIMESTAMP to an ISO instant in UTC. */
function fromStored(value: unknown, type: SqlType): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case "BIGINT":
    case "INTEGER":
      return Number(value);
    case "TIMESTAMP": {
      const text = String(value).replace(" ", "T");
      return text.endsWith("Z") ? text : `${text}Z`;
    }
    default:
      return value;
  }
}

/** Rebuilds a model object from a flat stored row (the inverse of `columnsOf`). */
export function fromRow<T extends z.ZodObject>(schema: T, row: Record<string, unknown>): z.infer<T> {
  const out: Record<string, unknown> = {};
  for (const column of columnsOf(schema)) {
    let target = out;
    for (const key of column.path.slice(0, -1)) {
      target[key] ??= {};
      target = target[key] as Record<string, unknown>;
    }
    target[column.path.at(-1) as string] = fromStored(row[column.name], column.type);
  }
  return out as z.infer<T>;
}
