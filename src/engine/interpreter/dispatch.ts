// Dispatch tables: a mapping whose values are functions (`TOOLS = {"calc": calc, "shell": run_shell}`). A
// lookup with a key the program does not know (`TOOLS[call.function.name]`, `TOOLS.get(name)`) may pick
// any of them, so calling it calls each (the first as `fn`, the others as `overrides`, which the call
// joins): the raw tool-call loop of every SDK's examples, `TOOLS[name](**json.loads(arguments))`.
//
// Registries of rows (`MODELS = {"gpt-4": {"call": call_openai, "max_tokens": 8192}, "glm-4": {"call":
// call_zhipu, ...}}`, one row of functions per provider) are tables too: a row picked by a key the program
// does not know may be any row, so `MODELS[name]["call"](prompt)` calls every row's `call`.
import type { Value } from "../values.js";

const MAX_ENTRIES = 32;
/** Fields gathered from the rows of a registry, at most (each function once per field name). */
export const MAX_ROW_FIELDS = 64;

type Table = NonNullable<Value["dispatch"]>;

/** The table a dictionary display builds, from its keys' literals and values. */
export function dispatchTable(entries: readonly { key: Value; value: Value }[]): Value["dispatch"] {
  const out: { key: string | undefined; value: Value }[] = [];
  for (const { key, value } of entries) {
    if (!value.fn) continue;
    out.push({ key: typeof key.literal === "string" ? key.literal : undefined, value });
    if (out.length >= MAX_ENTRIES) break;
  }
  return out.length > 0 ? out : undefined;
}

/**
 * The fields of any row of a registry whose values are tables of functions: what a lookup with an unknown
 * key gives, before its field is picked. `cut` says that rows held more distinct functions than are kept.
 */
export function rowFields(values: readonly Value[]): { table: Table | undefined; cut: boolean } {
  const out: { key: string | undefined; value: Value }[] = [];
  let cut = false;
  for (const row of values) {
    for (const entry of row.dispatch ?? []) {
      if (out.some((kept) => kept.key === entry.key && kept.value.fn === entry.value.fn)) continue;
      if (out.length >= MAX_ROW_FIELDS) {
        cut = true;
        break;
      }
      out.push(entry);
    }
  }
  return { table: out.length > 0 ? out : undefined, cut };
}

/**
 * What a lookup in a table yields: the entries a literal key names (several when the table gathers the
 * rows of a registry), or every entry for another key.
 */
export function lookupInTable(table: Value, key: Value | undefined): Value | undefined {
  const entries = table.dispatch;
  if (!entries || entries.length === 0) return undefined;
  if (typeof key?.literal === "string") {
    const named = entries.filter((e) => e.key === key.literal);
    return named.length === 1 ? named[0]!.value : anyOf(named.map((e) => e.value));
  }
  return anyOf(entries.map((e) => e.value));
}

/** One of several functions: the first, with the others as overrides (a call joins them all). */
function anyOf(values: readonly Value[]): Value | undefined {
  const [first, ...rest] = values;
  if (!first?.fn) return undefined;
  const overrides = rest.flatMap((v) => (v.fn && v.fn !== first.fn ? [v.fn] : []));
  // Bound methods keep their receiver; a table of methods of one object shares it.
  const picked: Value = { fn: first.fn };
  if (first.boundSelf) picked.boundSelf = first.boundSelf;
  if (overrides.length > 0) picked.overrides = overrides;
  return picked;
}
