import { createHash } from "node:crypto";

/** The first `hex` hex digits of a text's SHA-256: a short name for what the text holds. */
export function shortDigest(text: string, hex = 16): string {
  return createHash("sha256").update(text).digest("hex").slice(0, hex);
}
