// Several possible classes for one value: a factory that returns one of several classes, a registry
// (`HANDLERS[name]`, a dict literal of classes), a list of step objects iterated in a loop. The value keeps
// a small set (values.ts, `alternatives`) and a call on it dispatches to each, joining the results.
import type { Interpreter } from "../interpreter.js";
import { EMPTY, joinValues, mergeTaints, type Value, withTaints } from "../values.js";
import { attributeOf, instantiate } from "./classes.js";
import { callFunction } from "./functions.js";
import { fromTemplate, templateOutput } from "./loaded-modules.js";
import type { Arguments, ClassInfo, FunctionInfo, Node } from "./state.js";

/** What else a call may run: the method on each other object the receiver may be, or each other callee. */
export function alternativeCallees(
  it: Interpreter,
  receiver: Value | undefined,
  callee: Value,
  methodName: string | undefined,
): Value[] {
  const out: Value[] = [];
  if (receiver?.alternatives && methodName !== undefined) {
    for (const other of receiver.alternatives) {
      const member = attributeOf(it, other, methodName);
      if (member.fn || member.cls) out.push(member);
    }
  }
  for (const other of callee.alternatives ?? []) {
    if (other.fn || other.cls) out.push(other);
    else if (methodName === undefined) {
      const called = callableMember(it, other);
      if (called) out.push(called);
    }
  }
  return out;
}

/** An instance of a scanned class called as a function: its `__call__` method, bound to it. */
export function callableMember(it: Interpreter, value: Value): Value | undefined {
  if (!value.instance || value.fn || value.cls) return undefined;
  const member = attributeOf(it, value, "__call__");
  return member.fn ? member : undefined;
}

/** Calls one alternative (a function or bound method with its overrides, or a class), for its result. */
export function callAlternative(
  it: Interpreter,
  callee: Value,
  args: Arguments,
  call: Node,
  calleeNode: Node,
): Value {
  if (callee.cls)
    return fromTemplate(callee, instantiate(it, callee.cls as ClassInfo, args, call, calleeNode));
  if (!callee.fn) return EMPTY;
  let result = callFunction(it, callee.fn as FunctionInfo, callee.boundSelf, args, call, calleeNode);
  const left = templateOutput(it, callee);
  if (left) result = withTaints(result, mergeTaints(left, result.taints));
  for (const override of callee.overrides ?? [])
    result = joinValues(
      result,
      callFunction(it, override as FunctionInfo, callee.boundSelf, args, call, calleeNode),
    );
  return result;
}

/**
 * A dict literal of classes or functions (`{"tasks": TaskHandler, "tools": ToolHandler}`): a lookup in it
 * may give any of them. Only user objects are kept; a dict of strings has no entries.
 */
export function entriesOf(values: readonly Value[]): Value | undefined {
  let entries: Value | undefined;
  for (const value of values)
    if (value.instance || value.cls || value.fn) entries = joinValues(entries, value);
  return entries;
}
