// Dispatch tables: a mapping whose values are functions (`TOOLS = {"calc": calc, "shell": run_shell}`). A
// lookup with a key the program does not know (`TOOLS[call.function.name]`, `TOOLS.get(name)`) may pick
// any of them, so calling it calls each (the first as `fn`, the others as `overrides`, which the call
// joins): the raw tool-call loop of every SDK's examples, `TOOLS[name](**json.loads(arguments))`.
import type { Value } from "../values.js";

const MAX_ENTRIES = 32;

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

/** What a lookup in a table yields: the entry a literal key names, or every entry for another key. */
export function lookupInTable(table: Value, key: Value | undefined): Value | undefined {
  const entries = table.dispatch;
  if (!entries || entries.length === 0) return undefined;
  if (typeof key?.literal === "string") return entries.find((e) => e.key === key.literal)?.value;
  const [first, ...rest] = entries.map((e) => e.value);
  if (!first?.fn) return undefined;
  const overrides = rest.flatMap((v) => (v.fn ? [v.fn] : []));
  // Bound methods keep their receiver; a table of methods of one object shares it.
  const picked: Value = { fn: first.fn };
  if (first.boundSelf) picked.boundSelf = first.boundSelf;
  if (overrides.length > 0) picked.overrides = overrides;
  return picked;
}
