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

/** Steps (`.name` or `()`) kept on a placeholder's path; a longer path is cut and no longer replayed. */
const MAX_SEGMENTS = 6;

/** The placeholders of `taints` extended by `segment` (`()` for a call, `.name` for an attribute read). */
export function extendVia(taints: readonly Taint[], segment: string): readonly Taint[] {
  if (!taints.some((t) => t.kind === "param")) return taints;
  return taints.map((taint) => {
    if (taint.kind !== "param") return taint;
    const via = joinVia(taint.via, segment);
    if (via === undefined) {
      const { via: _drop, ...plain } = taint;
      return plain;
    }
    return { ...taint, via };
  });
}

/** `outer` then `inner`, or undefined past MAX_SEGMENTS (a path too long to replay). */
export function joinVia(outer: string | undefined, inner: string | undefined): string | undefined {
  if (!inner) return outer;
  if (!outer) return inner;
  const joined = outer + inner;
  return (joined.match(/\(\)|\.\w+/g)?.length ?? 0) > MAX_SEGMENTS ? undefined : joined;
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
  const found = taintsOnObject(it, arg, taint.via, call);
  if (!found) return undefined;
  const name = (arg.instance ?? arg.cls ?? arg.fn)?.name ?? "?";
  const passed = step(
    it,
    call,
    `\`${name}\` passed to \`${callName}()\` as \`${paramName}\`, which calls it`,
  );
  return found.map((t) => ({ ...t, steps: [...t.steps, passed, ...taint.steps] }));
}
