import type { z } from "zod";

/** SQL types that a zod type cannot express by itself (an ISO string stored as a TIMESTAMP or DATE). */
export type SqlType =
  | "VARCHAR"
  | "DOUBLE"
  | "BIGINT"
  | "INTEGER"
  | "BOOLEAN"
  | "TIMESTAMP"
  | "DATE"
  | "VARCHAR[]";

const sqlTypes = new WeakMap<object, SqlType>();

/** Declares the stored SQL type of a schema; `columnsOf` reads it back. */
export function sql<T extends z.ZodType>(schema: T, type: SqlType): T {
  sqlTypes.set(schema, type);
  return schema;
}

export function declaredSqlType(schema: z.ZodType): SqlType | undefined {
  return sqlTypes.get(schema);
}
