// Object fields written in one method and read in another. Fields are kept per class (`cls.attrs`), so a
// value stored by `think()` is what `act()` reads. Two things make that independent of the order code is
// written in:
//
// - A method that stores a parameter in a field (`def add(self, item): self.items.append(item)`, a memory,
//   a store, a message box) stores, at each call, what that call passed: the summary keeps the store with
//   the parameter as a placeholder, replayed with the call's arguments (like a sink a parameter reaches).
// - A summary that read a field before model output was stored in it is stale. Reads are recorded; when a
//   field they read gains model output, the module (and the modules it imported, still open) is summarised
//   once more, so `act()` written above `think()` sees what `think()` stores.
import type { Interpreter } from "../interpreter.js";
import { addStep, joinValues, type Taint, taintOnly, type Value } from "../values.js";
import { step } from "./names.js";
import type { ClassInfo, FunctionInfo, Node, Scope, Summary } from "./state.js";

/** A parameter stored in a field of an object of `cls`, replayed per call with the arguments' taint. */
export interface FieldStore {
  cls: ClassInfo;
  attribute: string;
  taints: readonly Taint[];
}

/** Model output or network data: what makes a stored field worth a second look. */
const carriesData = (value: Value | undefined) =>
  value?.taints?.filter((t) => t.kind === "llm" || t.kind === "remote").length ?? 0;

/** Past this many summaries to recompute, a module keeps the ones it has (the cost would be the module's). */
export const MAX_RESUMMARISED = 100;

/** The function whose summary is being computed, if any. */
function summarising(it: Interpreter): FunctionInfo | undefined {
  return functionScope(it.scope)?.owner;
}

/** Notes that the summary being computed read `attribute` of `cls` (found or not). */
export function noteFieldRead(it: Interpreter, cls: ClassInfo, attribute: string): void {
  const reader = summarising(it);
  if (!reader) return;
  cls.fieldReaders ??= new Map();
  const readers = cls.fieldReaders.get(attribute);
  if (!readers) cls.fieldReaders.set(attribute, new Set([reader]));
  else readers.add(reader);
}

/** Notes that the summary being computed called `callee` (its summary depends on the callee's). */
export function noteSummaryCall(it: Interpreter, callee: FunctionInfo): void {
  const caller = summarising(it);
  if (!caller || caller === callee) return;
  if (!callee.summaryCallers) callee.summaryCallers = new Set([caller]);
  else callee.summaryCallers.add(caller);
}

/** Joins `value` into the field; a field that gains data after it was read makes its readers stale. */
export function storeField(it: Interpreter, cls: ClassInfo, attribute: string, value: Value): void {
  const before = cls.attrs.get(attribute);
  const after = joinValues(before, value);
  cls.attrs.set(attribute, after);
  if (carriesData(after) <= carriesData(before)) return;
  for (const reader of cls.fieldReaders?.get(attribute) ?? []) it.staleSummaries.add(reader);
}

/**
 * The summaries to compute again: those that read a field before it gained data, and those that (through
 * calls) used them. Only functions whose trees are still open; undefined when there are too many.
 */
export function summariesToRecompute(it: Interpreter): FunctionInfo[] | undefined {
  const out = new Set<FunctionInfo>();
  const work = [...it.staleSummaries];
  it.staleSummaries.clear();
  while (work.length > 0) {
    const fn = work.pop()!;
    if (out.has(fn) || (!fn.node && !fn.regrow) || fn.computing) continue;
    out.add(fn);
    if (out.size > MAX_RESUMMARISED) return undefined;
    for (const caller of fn.summaryCallers ?? []) work.push(caller);
  }
  return [...out];
}

/** Inside a summary: the method stores (part of) a parameter in a field. */
export function recordFieldStore(
  it: Interpreter,
  cls: ClassInfo,
  attribute: string,
  taints: readonly Taint[] | undefined,
): void {
  const params = taints?.filter((t) => t.kind === "param");
  if (!params?.length) return;
  const scope = functionScope(it.scope);
  if (!scope) return;
  scope.fieldStores ??= [];
  const known = scope.fieldStores.find((s) => s.cls === cls && s.attribute === attribute);
  if (known) {
    const seen = new Set(known.taints.map((t) => t.param));
    known.taints = [...known.taints, ...params.filter((t) => !seen.has(t.param))];
  } else scope.fieldStores.push({ cls, attribute, taints: params });
}

function functionScope(scope: Scope | undefined): Scope | undefined {
  for (let s = scope; s; s = s.parent) if (s.kind === "function") return s;
  return undefined;
}

/**
 * At a call: each field the callee stores a parameter in gets what this call passed. Where the call passes
 * its own caller's parameter on (`def remember(self, x): self.memory.add(x)`), the caller's summary stores it.
 */
export function replayFieldStores(
  it: Interpreter,
  summary: Summary,
  substitute: (taints: readonly Taint[]) => readonly Taint[] | undefined,
  call: Node,
): void {
  for (const store of summary.fieldStores ?? []) {
    const taints = substitute(store.taints);
    if (!taints) continue;
    recordFieldStore(it, store.cls, store.attribute, taints);
    const concrete = taints.filter((t) => t.kind !== "param" && t.kind !== "pending");
    if (concrete.length === 0) continue;
    const stepped = addStep(concrete, step(it, call, `stored in \`${store.cls.name}.${store.attribute}\``));
    storeField(it, store.cls, store.attribute, taintOnly(stepped));
  }
}
