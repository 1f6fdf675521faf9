import { CORE_SCHEMA, load } from "js-yaml";

/**
 * YAML 1.2 text (rule packs, mapping files) as plain data: the core schema, so that a date stays
 * the text it is written as and `yes` stays a word; one document; a key given twice is an error.
 * js-yaml, not the `yaml` library: it loads and parses a rule pack in about 17 ms where `yaml`
 * took 70–90 ms, paid at the start of every `detect` (docs/detect.md).
 */
export function parseYaml(text: string): unknown {
  return load(text, { schema: CORE_SCHEMA });
}
