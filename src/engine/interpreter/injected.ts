// Injected wrapper objects: a class built with an instance of another class of the scanned project
// (`Handler(llm=OpenAi(...))`, `Step(self.llm)`), whose methods call `self.llm.chat_completion(...)`. The
// call was recorded as pending (`$init2.chat_completion()`, see values.ts); here it is replayed on the
// object the constructor received, through as many hops as the objects were passed on.
import type { Interpreter } from "../interpreter.js";
import type { TraceStep } from "../types.js";
import { EMPTY, type Taint, type Value } from "../values.js";
import { callableMember, callAlternative } from "./alternatives.js";
import { attributeOf } from "./classes.js";
import { note } from "./budget.js";
import { locationOf } from "./names.js";
import { receivers } from "./step-lists.js";
import type { Node } from "./state.js";

/** Objects passed into objects passed into constructors: followed this deep (each hop is one summary). */
const MAX_HOPS = 6;
const NO_ARGUMENTS = { positional: [], keywords: new Map(), splat: undefined };

/** The constructor received one of the scanned project's objects (or one of several). */
export function isProjectObject(value: Value | undefined): value is Value {
  return (
    value !== undefined && (value.instance !== undefined || value.cls !== undefined || value.fn !== undefined)
  );
}

/** A list of the project's objects (`steps=[Generate(), Execute()]`): a call on an element is one on each. */
export function holdsProjectObjects(value: Value | undefined): value is Value {
  return value?.items?.some(isProjectObject) === true;
}

/**
 * The model output (or network data) that `rest` (`.chat_completion()`, `.client.chat()`) yields on the
 * object `object`, and on each other object it may be: the taints of what the methods return. Undefined
 * when none of them yields any (the object decides the call is not a model's).
 */
export function taintsOnObject(
  it: Interpreter,
  object: Value,
  rest: string,
  call: Node,
): readonly Taint[] | undefined {
  if (it.injectedHops >= MAX_HOPS) {
    // A flow may run deeper still: where model output travels, the file must not read as clean.
    const line = call.startPosition.row + 1;
    const message = `objects passed into constructors more than ${MAX_HOPS} deep at line ${line}: calls on them not followed`;
    note(it, call, "injected-depth", message, it.module.carrier ? "part" : undefined);
    return undefined;
  }
  // One object passed on to several (each of a set of classes built with it) is walked once per path:
  // without this, objects nested N deep with 8 classes each would cost 8^N walks.
  const memo = it.injectedMemo.get(object) ?? new Map<string, readonly Taint[] | null>();
  it.injectedMemo.set(object, memo);
  const known = memo.get(rest);
  if (known !== undefined) return known ?? undefined;
  memo.set(rest, null);
  it.injectedHops++;
  try {
    let out: readonly Taint[] | undefined;
    // `[]`: the elements of a constructor-received list, each class (step-lists.ts).
    const cut = rest.lastIndexOf("[]");
    const candidates =
      cut >= 0 ? receivers(it, object, rest.slice(0, cut + 2)) : [object, ...(object.alternatives ?? [])];
    const tail = cut >= 0 ? rest.slice(cut + 2) : rest;
    for (const candidate of candidates) {
      const value = walk(it, candidate, tail, call);
      const found = value.taints?.filter((t) => t.kind === "llm" || t.kind === "remote");
      // The walk's own "returned by" steps sit on `call`; the caller says what happened there instead.
      const at = locationOf(it, call);
      const own = (s: TraceStep) => s.location.path === at.path && s.location.startLine === at.startLine;
      for (const taint of found ?? [])
        out = [...(out ?? []), { ...taint, steps: taint.steps.filter((s) => !own(s)) }];
    }
    memo.set(rest, out ?? null);
    return out;
  } finally {
    it.injectedHops--;
  }
}

/** Reads `.name` and calls `()` along `rest` as the interpreter would, with no arguments. */
function walk(it: Interpreter, start: Value, rest: string, call: Node): Value {
  let value = start;
  for (const match of rest.matchAll(/\.(\w+)|(\(\))/g)) {
    // Model output (or network data) reached: what follows (`.split()`, `.decode()`) keeps its taint.
    if (value.taints?.some((t) => t.kind === "llm" || t.kind === "remote")) return value;
    if (match[1] !== undefined) {
      value = attributeOf(it, value, match[1]);
      continue;
    }
    if (value.fn || value.cls) {
      value = callAlternative(it, value, NO_ARGUMENTS, call, call);
      continue;
    }
    // An instance called as a function runs its `__call__` (`graph(prompt)` on a workflow object).
    const called = callableMember(it, value);
    if (called) {
      value = callAlternative(it, called, NO_ARGUMENTS, call, call);
      continue;
    }
    if (value.path === undefined) return EMPTY;
    // A library object's method (a project class that extends an SDK client): the models decide.
    const path = `${value.path}()`;
    const kind = it.models.sources.match(path);
    const origin = `output of \`${path.replace(/\(\)$/, "")}\``;
    value = kind
      ? {
          path,
          taints: [
            { kind: kind === "remote" ? "remote" : "llm", origin, steps: [] },
            ...(value.taints ?? []),
          ],
        }
      : { path, ...(value.taints ? { taints: value.taints } : {}) };
  }
  return value;
}
