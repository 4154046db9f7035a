// Objects passed as parameters and used there: `evaluate(graph)` awaits `graph(prompt)`, `run(agent)` calls
// `agent.llm_step()`, `evaluate(optimizer)` calls `optimizer.graph(...)`. A summary is computed once, with
// placeholders for parameters, so what such a call returns is not known inside it: the placeholder keeps
// the path taken from the parameter (`via`, see values.ts), and each call site that passes one of the
// project's objects replays that path on it (injected.ts walks it), through as many functions as the
// object is passed down. A caller that passes data (a string, a tainted value) is unchanged.
import type { Interpreter } from "../interpreter.js";
import type { Taint, Value } from "../values.js";
import { isProjectObject, taintsOnObject } from "./injected.js";
import { step } from "./names.js";
import type { Node } from "./state.js";

/**
 * Steps (`.name` or `()`) kept on a placeholder's path; a longer path keeps its first steps. Those say how
 * the object was reached (`.graph()()`); what follows is mostly done to what it returned (`.split()`), and
 * a walk that reaches model output stops there anyway (injected.ts).
 */
const MAX_SEGMENTS = 8;

/** The placeholders of `taints` extended by `segment` (`()` for a call, `.name` for an attribute read). */
export function extendVia(taints: readonly Taint[], segment: string): readonly Taint[] {
  if (!taints.some((t) => t.kind === "param")) return taints;
  return taints.map((taint) => {
    if (taint.kind !== "param") return taint;
    const via = joinVia(taint.via, segment);
    return via === taint.via ? taint : { ...taint, via };
  });
}

/** `outer` then `inner`, cut to its first MAX_SEGMENTS steps. */
export function joinVia(outer: string | undefined, inner: string): string {
  const head = outer ?? "";
  // Read at every attribute and call on a placeholder: counted without a regex when both are well formed.
  if (WELL_FORMED.test(head) && WELL_FORMED.test(inner)) {
    const kept = segmentsIn(head);
    if (kept >= MAX_SEGMENTS) return head;
    if (kept + segmentsIn(inner) <= MAX_SEGMENTS) return head + inner;
  }
  const segments = (head + inner).match(/\(\)|\.\w+/g) ?? [];
  return segments.slice(0, MAX_SEGMENTS).join("");
}

/** Only `()` and `.name` steps. */
const WELL_FORMED = /^(?:\(\)|\.\w+)*$/;

/** Steps in a well-formed path: each starts with `(` or `.`. */
function segmentsIn(path: string): number {
  let count = 0;
  for (let i = 0; i < path.length; i++) {
    const code = path.charCodeAt(i);
    if (code === 40 || code === 46) count++;
  }
  return count;
}

/** Is this a value that is a parameter's placeholder and nothing else (no object, no API path)? */
export function isPlaceholder(value: Value): boolean {
  return (
    value.taints?.some((t) => t.kind === "param") === true &&
    value.path === undefined &&
    value.instance === undefined &&
    value.cls === undefined &&
    value.fn === undefined &&
    value.module === undefined
  );
}

/**
 * What a placeholder's path calls yields on the object a caller passed: model output or network data, with
 * a step at the call site. Only paths that call something are replayed (an attribute alone is data).
 */
export function taintsThroughObject(
  it: Interpreter,
  taint: Taint,
  arg: Value,
  call: Node,
  callName: string,
  paramName: string,
): readonly Taint[] | undefined {
  if (!taint.via?.includes("()") || !isProjectObject(arg)) return undefined;
  // One walk at a time: a walk's own calls pass objects on too, and replaying their paths inside it
  // multiplies the work (measured: a router module past its time budget) for flows a caller further out
  // replays anyway.
  if (it.objectWalk) return undefined;
  it.objectWalk = true;
  let found: readonly Taint[] | undefined;
  try {
    found = taintsOnObject(it, arg, taint.via, call);
  } finally {
    it.objectWalk = false;
  }
  if (!found) return undefined;
  const name = (arg.instance ?? arg.cls ?? arg.fn)?.name ?? "?";
  const passed = step(
    it,
    call,
    `\`${name}\` passed to \`${callName}()\` as \`${paramName}\`, which calls it`,
  );
  return found.map((t) => ({ ...t, steps: [...t.steps, passed, ...taint.steps] }));
}
