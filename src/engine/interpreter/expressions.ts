// Expressions: literals, operators, containers, comprehensions, attributes and subscripts, each to an
// abstract Value. Left-nested chains are walked as lists; code nested too deep is read flatly.
import type { Interpreter } from "../interpreter.js";
import { dispatchTable, lookupInTable, MAX_ROW_FIELDS, rowFields } from "./dispatch.js";
import { plainStringValue } from "../syntax.js";
import { EMPTY, isTainted, joinValues, mergeTaints, type Taint, taintOnly, type Value } from "../values.js";
import { entriesOf } from "./alternatives.js";
import { isChatRequestBody, literalKeys } from "./chat-requests.js";
import { enter, note } from "./budget.js";
import { assignDeclared } from "./declared-types.js";
import { evaluateCall } from "./calls.js";
import { attributeOf } from "./classes.js";
import { callFunction, defineLambda } from "./functions.js";
import { assign, elementOf, isNameLike, lookup, resolveName } from "./names.js";
import { type FunctionInfo, type Node, Scope } from "./state.js";

/** Items of a list value kept at most (`[x] + [x] + ...` must not grow quadratically). */
export const MAX_ITEMS = 256;

/** The operands of a left-nested chain of `type` (`a + b + c` → a, b, c), without recursion. */
export function leftChainOperands(node: Node, type: string): Node[] {
  const rights: Node[] = [];
  let current: Node | null = node;
  while (current?.type === type) {
    const right = current.childForFieldName("right");
    if (right) rights.push(right);
    current = current.childForFieldName("left");
  }
  const operands = current ? [current] : [];
  for (let i = rights.length - 1; i >= 0; i--) operands.push(rights[i]!);
  return operands;
}

/** Evaluates without recording sink hits (for guards, whose calls are evaluated again normally). */
export function evaluateQuietly(it: Interpreter, node: Node): Value {
  const saved = it.hits.length;
  const value = evaluate(it, node);
  it.hits.length = saved;
  return value;
}

export function evaluate(it: Interpreter, node: Node): Value {
  if (!enter(it, node)) return evaluateFlat(it, node);
  const value = evaluateNode(it, node);
  it.nesting--;
  return value;
}

/**
 * A value for code too deep to interpret: the taint of every name in it, found without recursion. Calls
 * inside are not followed (no sink in it is checked), which is why the file is named as incomplete.
 */
export function evaluateFlat(it: Interpreter, node: Node): Value {
  let taints: readonly Taint[] | undefined;
  const stack: Node[] = [node];
  let seen = 0;
  while (stack.length > 0 && seen < 100_000) {
    const next = stack.pop()!;
    seen++;
    if (next.type === "identifier") taints = mergeTaints(taints, lookup(it, next.text)?.taints);
    else for (const child of next.namedChildren) stack.push(child);
  }
  return taintOnly(taints);
}

export function evaluateNode(it: Interpreter, node: Node): Value {
  switch (node.type) {
    case "identifier":
      return resolveName(it, node.text);
    case "attribute":
      return evaluateAttribute(it, node);
    case "call":
      return evaluateCall(it, node);
    case "subscript":
      return evaluateSubscript(it, node);
    case "string":
      return evaluateString(it, node);
    case "concatenated_string": {
      let taints: readonly Taint[] | undefined;
      for (const part of node.namedChildren) taints = mergeTaints(taints, evaluate(it, part).taints);
      return taintOnly(taints);
    }
    case "integer":
      return { literal: Number(node.text.replace(/_/g, "")) };
    case "float":
      return { literal: Number(node.text.replace(/_/g, "")) };
    case "true":
      return { literal: true };
    case "false":
      return { literal: false };
    case "none":
      return { literal: null };
    case "assignment": {
      const declaredType = node.childForFieldName("type");
      if (declaredType) return assignDeclared(it, node, declaredType);
      // `a = b = c = value` nests to the right: walked as a list (the standard library has a 500-target one).
      const targets: { left: Node; node: Node }[] = [];
      let link: Node | null = node;
      while (link?.type === "assignment") {
        const left = link.childForFieldName("left");
        if (!left) return EMPTY;
        targets.push({ left, node: link });
        link = link.childForFieldName("right");
      }
      if (!link) return EMPTY;
      const value = evaluate(it, link);
      for (let i = targets.length - 1; i >= 0; i--) assign(it, targets[i]!.left, value, targets[i]!.node);
      return value;
    }
    case "augmented_assignment": {
      const left = node.childForFieldName("left");
      const right = node.childForFieldName("right");
      if (!left || !right) return EMPTY;
      const current = evaluate(it, left);
      const added = evaluate(it, right);
      const taints = mergeTaints(current.taints, added.taints);
      assign(it, left, isTainted(added) ? taintOnly(taints) : current, node);
      return EMPTY;
    }
    case "named_expression": {
      const name = node.childForFieldName("name");
      const valueNode = node.childForFieldName("value");
      const value = valueNode ? evaluate(it, valueNode) : EMPTY;
      if (name) assign(it, name, value, node);
      return value;
    }
    case "binary_operator":
      return evaluateBinary(it, node);
    case "boolean_operator": {
      // `a and b and c ...` nests to the left: walked as a list, so a 2,000-term chain is not 2,000 frames.
      let joined: Value = EMPTY;
      for (const operand of leftChainOperands(node, "boolean_operator"))
        joined = joinValues(joined, evaluate(it, operand));
      return joined;
    }
    case "conditional_expression": {
      const [body, condition, alternative] = node.namedChildren;
      if (condition) evaluate(it, condition);
      return joinValues(body ? evaluate(it, body) : EMPTY, alternative ? evaluate(it, alternative) : EMPTY);
    }
    case "not_operator":
    case "comparison_operator":
    case "unary_operator":
      for (const child of node.namedChildren) evaluate(it, child);
      return EMPTY;
    case "list":
    case "tuple":
    case "set":
    case "expression_list": {
      const items = node.namedChildren.map((child) => evaluate(it, child));
      let taints: readonly Taint[] | undefined;
      for (const item of items) taints = mergeTaints(taints, item.taints);
      return taints ? { items, taints } : { items };
    }
    case "dictionary": {
      let taints: readonly Taint[] | undefined;
      // Both readings of a mapping: a table of functions (tools dispatched by name, dispatch.ts) and the
      // user objects a lookup may give (a registry of classes, alternatives.ts).
      const entries: { key: Value; value: Value }[] = [];
      const values: Value[] = [];
      for (const pair of node.namedChildren) {
        const parts = pair.namedChildren.map((part) => evaluate(it, part));
        for (const part of parts) taints = mergeTaints(taints, part.taints);
        if (pair.type === "pair" && parts.length === 2) {
          entries.push({ key: parts[0]!, value: parts[1]! });
          values.push(parts[1]!);
        }
      }
      let mapping = taintOnly(taints);
      if (isChatRequestBody(it, literalKeys(entries))) mapping = { ...mapping, chatRequest: true };
      const dispatch = dispatchTable(entries);
      if (dispatch) mapping = { ...mapping, dispatch };
      const registry = entriesOf(values);
      if (registry) mapping = { ...mapping, entries: registry };
      // A registry of rows of functions (`{"gpt-4": {"call": call_openai}, ...}`): any row's fields.
      const rows = rowFields(values);
      if (rows.cut && it.module.carrier)
        note(
          it,
          node,
          "registry-rows",
          `a registry at line ${node.startPosition.row + 1} holds more than ${MAX_ROW_FIELDS} functions in its rows: calls through it follow the first ${MAX_ROW_FIELDS}`,
        );
      if (rows.table) mapping = { ...mapping, entries: { ...(mapping.entries ?? {}), dispatch: rows.table } };
      return mapping;
    }
    case "pair":
    case "parenthesized_expression":
    case "await":
    case "list_splat":
    case "dictionary_splat":
    case "keyword_argument": {
      const inner =
        node.type === "keyword_argument" ? node.childForFieldName("value") : node.namedChildren[0];
      return inner ? evaluate(it, inner) : EMPTY;
    }
    case "list_comprehension":
    case "set_comprehension":
    case "generator_expression":
    case "dictionary_comprehension":
      return evaluateComprehension(it, node);
    case "lambda":
      return defineLambda(it, node);
    case "yield": {
      const inner = node.namedChildren[0];
      const value = inner ? evaluate(it, inner) : EMPTY;
      // What a generator yields is what iterating its call gives (its summary joins yields and returns).
      // `yield from helper()` yields what the helper yields, and is worth what the helper returns
      // (`reply = yield from ask_model(...)`: a UI helper that yields screen updates and returns the
      // answer); the helper's summary joins both, so its call's value stands for each.
      if (inner) it.scope.returns = joinValues(it.scope.returns, value);
      return node.children.some((child) => child.type === "from") ? value : EMPTY;
    }
    default:
      for (const child of node.namedChildren) evaluate(it, child);
      return EMPTY;
  }
}

export function evaluateString(it: Interpreter, node: Node): Value {
  if (node.children.length === 0) {
    const literal = plainStringValue(node.text);
    const written = it.writtenFiles.get(literal);
    return written ? { literal, taints: written } : { literal };
  }
  let taints: readonly Taint[] | undefined;
  let constant = true;
  let text = "";
  for (const child of node.namedChildren) {
    if (child.type === "interpolation") {
      constant = false;
      const expression = child.childForFieldName("expression");
      if (expression) taints = mergeTaints(taints, evaluate(it, expression).taints);
    } else if (child.type === "string_content") text += child.text;
  }
  if (taints) return { taints };
  return constant ? { literal: text } : EMPTY;
}

/** `a + b + c ...` nests to the left: the chain is walked as a list, so its length costs no stack. */
export function evaluateBinary(it: Interpreter, node: Node): Value {
  const chain: Node[] = [];
  let leftmost: Node = node;
  while (leftmost.type === "binary_operator") {
    const left = leftmost.childForFieldName("left");
    chain.push(leftmost);
    if (!left) break;
    leftmost = left;
  }
  let a = leftmost === chain[chain.length - 1] ? EMPTY : evaluate(it, leftmost);
  for (let i = chain.length - 1; i >= 0; i--) {
    const link = chain[i]!;
    const right = link.childForFieldName("right");
    a = combine(it, link.childForFieldName("operator")?.text, a, right ? evaluate(it, right) : EMPTY);
  }
  return a;
}

export function combine(it: Interpreter, operator: string | undefined, a: Value, b: Value): Value {
  if (operator === "|") {
    const isPipelineStage = (v: Value) =>
      v.path !== undefined &&
      (it.models.pipelineOperands.match(v.path) || v.path === it.models.pipelineResult);
    if (isPipelineStage(a) || isPipelineStage(b)) return { path: it.models.pipelineResult };
  }
  const taints = mergeTaints(a.taints, b.taints);
  if (operator === "+" && typeof a.literal === "string" && typeof b.literal === "string") {
    return { literal: a.literal + b.literal };
  }
  if (operator === "+" && a.items && b.items) {
    const items = [...a.items, ...b.items].slice(0, MAX_ITEMS);
    return taints ? { items, taints } : { items };
  }
  return taintOnly(taints);
}

export function evaluateComprehension(it: Interpreter, node: Node): Value {
  const saved = it.scope;
  it.scope = new Scope("comprehension", saved, saved.owner, saved.name);
  it.scope.summaryHits = saved.summaryHits;
  try {
    for (const clause of node.namedChildren) {
      if (clause.type === "for_in_clause") {
        const right = clause.childForFieldName("right");
        const left = clause.childForFieldName("left");
        const iterable = right ? evaluate(it, right) : EMPTY;
        if (left) assign(it, left, elementOf(iterable), left);
      } else if (clause.type === "if_clause") {
        for (const child of clause.namedChildren) evaluate(it, child);
      }
    }
    const body = node.childForFieldName("body") ?? node.namedChildren[0];
    if (!body) return EMPTY;
    if (body.type === "pair") {
      let taints: readonly Taint[] | undefined;
      for (const part of body.namedChildren) taints = mergeTaints(taints, evaluate(it, part).taints);
      return taintOnly(taints);
    }
    return taintOnly(evaluate(it, body).taints);
  } finally {
    saved.validated ||= it.scope.validated;
    it.scope = saved;
  }
}

export function evaluateAttribute(it: Interpreter, node: Node): Value {
  const objectNode = node.childForFieldName("object");
  const attribute = node.childForFieldName("attribute")?.text ?? "";
  if (!objectNode) return EMPTY;
  // Fields assigned earlier in this function (`job.code = text`) are tracked by their dotted name.
  if (isNameLike(objectNode)) {
    const field = lookup(it, node.text);
    if (field) return field;
  }
  const object = evaluate(it, objectNode);
  const value = attributeOf(it, object, attribute);
  // Reading a property runs its getter (`self._client` built lazily by an `@property`).
  if (value.fn && value.boundSelf && (value.fn as FunctionInfo).isProperty) {
    return callFunction(
      it,
      value.fn as FunctionInfo,
      value.boundSelf,
      { positional: [], keywords: new Map(), splat: undefined },
      node,
      node,
    );
  }
  return value;
}

export function evaluateSubscript(it: Interpreter, node: Node): Value {
  const valueNode = node.childForFieldName("value");
  const container = valueNode ? evaluate(it, valueNode) : EMPTY;
  const subscripts = node.childrenForFieldName("subscript");
  let index: Value | undefined;
  for (const subscript of subscripts) index = evaluate(it, subscript);
  if (container.items && typeof index?.literal === "number") {
    const item = container.items.at(index.literal);
    if (item) return item;
  }
  if (
    container.path === "builtins.globals()" ||
    container.path === "builtins.locals()" ||
    container.path === "builtins.vars()"
  ) {
    // `globals()[name]` picks a function by name: the key decides what runs (see execution-sinks.yml).
    return { path: `${container.path}[]`, ...(index?.taints ? { taints: index.taints } : {}) };
  }
  const picked = lookupInTable(container, index);
  if (picked) return picked;
  // A key, tainted or not, does not taint what it looks up: `TOOLS[name]` is an allowlisted function.
  if (container.entries) return container.entries;
  return taintOnly(container.taints);
}
