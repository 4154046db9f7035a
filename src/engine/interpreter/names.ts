// Names and assignment: binding and lookup through enclosing scopes, assignment to names, attributes,
// subscripts and unpacking (with the trace step it adds), containers changed in place, trace locations.
import type { Interpreter } from "../interpreter.js";
import type { Location, Span, TraceStep } from "../types.js";
import {
  addStep,
  EMPTY,
  isTainted,
  joinValues,
  mergeTaints,
  taintOnly,
  type Value,
  withTaints,
} from "../values.js";
import { evaluate } from "./expressions.js";
import { externalPath } from "./imports.js";
import { recordFieldStore, storeField } from "./fields.js";
import { isConstantExpression } from "./guards.js";
import { taintInstanceAttribute } from "./written-files.js";
import { injectedElement } from "./step-lists.js";
import type { ClassInfo, Node, Scope } from "./state.js";

export function isNameLike(node: Node | null | undefined): node is Node {
  if (!node) return false;
  if (node.type === "identifier") return true;
  if (node.type === "attribute") return isNameLike(node.childForFieldName("object"));
  return false;
}

/** What iterating over a value yields: an element's taint (a stream's chunks carry the model's text). */
export function elementOf(value: Value): Value {
  const injected = injectedElement(value);
  if (injected) return injected;
  if (value.items && value.items.length > 0) {
    let joined: Value | undefined;
    for (const item of value.items) joined = joinValues(joined, item);
    return joined ?? EMPTY;
  }
  return taintOnly(value.taints);
}

export function spanOf(node: Node): Span {
  return {
    startLine: node.startPosition.row + 1,
    startColumn: node.startPosition.column + 1,
    endLine: node.endPosition.row + 1,
    endColumn: node.endPosition.column,
  };
}

export function bind(it: Interpreter, name: string, value: Value, _node: Node): void {
  if (it.scope.globals.has(name)) {
    let s: Scope = it.scope;
    while (s.parent) s = s.parent;
    s.vars.set(name, value);
    return;
  }
  it.scope.vars.set(name, value);
}

export function lookup(it: Interpreter, name: string): Value | undefined {
  for (let s: Scope | undefined = it.scope; s; s = s.parent) {
    // Class bodies are not enclosing scopes for the functions defined in them.
    if (s.kind === "class" && s !== it.scope) continue;
    const value = s.vars.get(name);
    if (value) return value;
  }
  return undefined;
}

export function resolveName(it: Interpreter, name: string): Value {
  const value = lookup(it, name);
  if (value) return value;
  return externalPath(it, `builtins.${name}`);
}

export function assign(it: Interpreter, target: Node, value: Value, stepNode: Node): void {
  switch (target.type) {
    case "identifier": {
      const taints = isTainted(value)
        ? addStep(value.taints, step(it, stepNode, `assigned to \`${target.text}\``))
        : undefined;
      bind(it, target.text, withTaints(value, taints), target);
      // A rebound name forgets the fields recorded for its old object.
      for (const key of it.scope.vars.fieldsOf(target.text)) it.scope.vars.delete(key);
      return;
    }
    case "attribute": {
      const object = target.childForFieldName("object");
      const attribute = target.childForFieldName("attribute")?.text;
      if (!object || !attribute) return;
      const taints = isTainted(value)
        ? addStep(value.taints, step(it, stepNode, `stored in \`${target.text}\``))
        : undefined;
      const stored = withTaints(value, taints);
      if (isNameLike(object)) it.scope.vars.set(target.text, stored);
      const receiver = evaluate(it, object);
      if (receiver.instance) {
        const cls = receiver.instance as ClassInfo;
        // Parameter placeholders mean nothing outside the method that holds them, except that what the
        // constructor stores stands for "what this instance was built with" (`self.llm = llm`).
        let concrete = withTaints(
          stored,
          stored.taints?.filter((t) => t.kind !== "param"),
        );
        const fromParam =
          value.path === undefined ? value.taints?.find((t) => t.kind === "param") : undefined;
        if (fromParam && it.scope.owner?.name === "__init__")
          concrete = { ...concrete, path: `$init${fromParam.param}` };
        storeField(it, cls, attribute, concrete);
        // What a constructor stores is what that instance was built with (kept per instance, above and in
        // step-lists.ts); other methods' stores are replayed per call on the class (fields.ts).
        if (it.scope.owner?.name !== "__init__") recordFieldStore(it, cls, attribute, stored.taints);
      }
      return;
    }
    case "subscript": {
      const container = target.childForFieldName("value");
      if (container && isNameLike(container) && isTainted(value)) {
        const current = evaluate(it, container);
        const taints = addStep(value.taints, step(it, stepNode, `stored in \`${container.text}\``));
        updateInPlace(it, container.text, withTaints(current, mergeTaints(current.taints, taints)));
        // `self.cache["reply"] = reply`: the object's field holds it for the other methods too. A store under
        // a computed key (`self.values[key] = value`, a context's `add(key, value)`) is a key-value store
        // whose keys this analysis does not tell apart: what one caller stores is not what every reader gets.
        const key = target.childForFieldName("subscript");
        if (taints && key && isConstantExpression(key)) taintInstanceAttribute(it, container.text, taints);
      }
      return;
    }
    case "pattern_list":
    case "tuple_pattern":
    case "list_pattern":
    case "tuple":
    case "list":
    case "expression_list": {
      const targets = target.namedChildren;
      targets.forEach((child, index) => {
        const item = value.items && value.items.length === targets.length ? value.items[index] : undefined;
        assign(it, child, item ?? elementOf(value), stepNode);
      });
      return;
    }
    case "list_splat_pattern":
    case "list_splat":
    case "parenthesized_expression": {
      const inner = target.namedChildren[0];
      if (inner) assign(it, inner, value, stepNode);
      return;
    }
    default:
      return;
  }
}

/**
 * A container changed in place (`HISTORY.append(text)`, `CACHE[key] = text`) is the same object wherever
 * it is bound: a module-level one keeps the data for the functions that read it later.
 */
export function updateInPlace(it: Interpreter, name: string, value: Value): void {
  it.scope.vars.set(name, value);
  if (it.scope.kind === "module") return;
  let owner: Scope | undefined = it.scope.parent;
  while (owner && !owner.vars.has(name)) owner = owner.parent;
  if (owner?.kind === "module") owner.vars.set(name, joinValues(owner.vars.get(name), value));
}

export function step(it: Interpreter, node: Node, note: string): TraceStep {
  return { location: locationOf(it, node), note };
}

export function locationOf(it: Interpreter, node: Node): Location {
  return { path: it.module.path, ...spanOf(node) };
}
