/**
 * Input that cannot be used at all: an unreadable file, an unknown format, a mapping that names an
 * absent column. The CLI exits 2 and nothing is written (DESIGN §4).
 */
export class UnusableInputError extends Error {
  override readonly name = "UnusableInputError";
}
