// Calls that call a function they are given (threads, processes, executors, `map`, pools): the function runs
// with the arguments the call hands it, so its sinks see them, and where the call returns what the function
// returns (a future's `.result()`, `map`'s items) the result carries it. Which argument is the function and
// which are its arguments is data (`function_callers` in rules/models/propagators.yml).
import type { Interpreter } from "../interpreter.js";
import type { FunctionCallerModel } from "../models.js";
import { joinValues, type Value } from "../values.js";
import { callFunction } from "./functions.js";
import { elementOf } from "./names.js";
import type { Arguments, ArgumentValue, FunctionInfo, Node } from "./state.js";

function pick(args: Arguments, keys: readonly (number | string)[] | undefined): ArgumentValue | undefined {
  for (const key of keys ?? []) {
    const arg = typeof key === "number" ? args.positional[key] : args.keywords.get(key);
    if (arg) return arg;
  }
  return undefined;
}

/** Runs the user function a `function_callers` call is given; its result when the call returns it. */
export function callThrough(
  it: Interpreter,
  row: FunctionCallerModel,
  args: Arguments,
  call: Node,
  calleeNode: Node,
): Value | undefined {
  const target = pick(args, row.function)?.value;
  if (!target?.fn) return undefined;
  const passed: Arguments = { positional: [], keywords: new Map(), splat: undefined };
  if (row.rest !== undefined) {
    passed.positional.push(...args.positional.slice(row.rest));
    const own = new Set((row.function ?? []).filter((k): k is string => typeof k === "string"));
    for (const [name, arg] of args.keywords) if (!own.has(name)) passed.keywords.set(name, arg);
    passed.splat = args.splat;
  }
  const tuple = pick(args, row.args);
  if (tuple) {
    if (tuple.value.items)
      passed.positional.push(...tuple.value.items.map((value) => ({ node: tuple.node, value })));
    else passed.splat = { node: tuple.node, value: joinValues(passed.splat?.value, tuple.value) };
  }
  const keywords = pick(args, row.kwargs);
  if (keywords)
    passed.splat = { node: keywords.node, value: joinValues(passed.splat?.value, keywords.value) };
  const each = pick(args, row.each);
  if (each) passed.positional.unshift({ node: each.node, value: elementOf(each.value) });
  let result = callFunction(it, target.fn as FunctionInfo, target.boundSelf, passed, call, calleeNode);
  for (const override of target.overrides ?? [])
    result = joinValues(
      result,
      callFunction(it, override as FunctionInfo, target.boundSelf, passed, call, calleeNode),
    );
  return row.returns ? result : undefined;
}
