// Declared types: what an annotation says a value is, where the code does not show it. A pydantic or
// dataclass field (`llm: BaseLLM = Field(default_factory=LLM)`), a bare `x: T` class field, an annotated
// local, a parameter or a return annotation (string forward references, `Optional[T]`, `T | None`,
// `Union[A, B]`, `List[T]`), and type rows in the models for a framework's factories the scan cannot see
// (`returns:` rows). An instance of a scanned class known only by its declared type may be any subclass,
// so calls on it dispatch by class hierarchy analysis (classes.ts, `overridesOf`).
import type { Interpreter } from "../interpreter.js";
import { joinValues, mergeTaints, type Value, withTaints } from "../values.js";
import { sourceTaint } from "./calls.js";
import { attributeOf, selfValue } from "./classes.js";
import { evaluate, evaluateQuietly } from "./expressions.js";
import { findModule, moduleScope } from "./imports.js";
import { assign, lookup } from "./names.js";
import type { ClassInfo, Node } from "./state.js";

/** Generic containers whose parameter is the type of their elements (what iterating gives). */
const SEQUENCES = /^(?:typing\.)?(?:List|Sequence|Iterable|Iterator|Set|FrozenSet|Tuple|list|tuple|set)$/;
/** Generic wrappers whose parameters are the value's possible types. */
const UNIONS = /^(?:typing\.)?(?:Optional|Union|Annotated|Type|type|ClassVar|Final)$/;

/** `client: OpenAI` makes the value an OpenAI client; a scanned class makes it an instance of it. */
export function declaredValue(it: Interpreter, annotation: Node, depth = 0): Value | undefined {
  if (depth > 4) return undefined;
  const node = annotation.type === "type" ? annotation.namedChildren[0] : annotation;
  if (!node) return undefined;
  switch (node.type) {
    case "identifier":
    case "attribute":
      return typeValue(it, evaluateQuietly(it, node), annotation);
    case "string":
      return forwardReference(it, node, annotation);
    case "binary_operator": {
      // `A | None`, `None | A`, `A | B`
      const left = node.childForFieldName("left");
      const right = node.childForFieldName("right");
      return union([left, right].map((part) => (part ? declaredValue(it, part, depth + 1) : undefined)));
    }
    case "generic_type":
    case "subscript": {
      const head = node.namedChildren[0];
      const params = (
        node.namedChildren.find((c) => c.type === "type_parameter")?.namedChildren ??
        node.namedChildren.slice(1)
      ).filter((c) => c.type !== "comment");
      const name = head?.text ?? "";
      if (SEQUENCES.test(name)) {
        const element = params[0] ? declaredValue(it, params[0], depth + 1) : undefined;
        return element ? { items: [element] } : undefined;
      }
      if (/^(?:typing\.)?(?:Dict|Mapping|dict)$/.test(name)) {
        const entries = params[1] ? declaredValue(it, params[1], depth + 1) : undefined;
        return entries ? { entries } : undefined;
      }
      if (!UNIONS.test(name)) return undefined;
      const which = /Annotated$/.test(name) ? params.slice(0, 1) : params;
      return union(which.map((p) => declaredValue(it, p, depth + 1)));
    }
    default:
      return undefined;
  }
}

function union(values: (Value | undefined)[]): Value | undefined {
  let out: Value | undefined;
  for (const value of values) if (value) out = joinValues(out, value);
  return out;
}

/** `"BaseLLM"`, `"llm.BaseLLM"`: a forward reference names a class the way code would. */
function forwardReference(it: Interpreter, node: Node, annotation: Node): Value | undefined {
  const text = node.text.replace(/^[rRbBuU]*(['"]{1,3})(.*)\1$/s, "$2").trim();
  if (!/^[A-Za-z_][\w.]*$/.test(text)) return undefined;
  const [first, ...rest] = text.split(".");
  let value = lookup(it, first!);
  if (!value) return undefined;
  for (const name of rest) value = attributeOf(it, value, name);
  return typeValue(it, value, annotation);
}

function typeValue(it: Interpreter, type: Value, annotation: Node): Value | undefined {
  if (type.cls) return { ...selfValue(it, type.cls as ClassInfo), declared: true };
  if (type.path === undefined || type.path.startsWith("builtins.") || type.path.startsWith("typing."))
    return undefined;
  const instancePath = `${type.path}()`;
  const kind = it.models.sources.match(instancePath);
  return kind
    ? { path: instancePath, taints: [sourceTaint(it, kind, `\`${type.path}\` parameter`, annotation)] }
    : { path: instancePath };
}

/**
 * The value with what its declaration says, where the code does not say more: a field built by a
 * framework (`Field(default_factory=...)`, `None`), a factory whose result is unknown. What the code shows
 * (a user object, a known API path) wins; the value's taint is kept.
 */
export function typed(value: Value, declared: Value | undefined): Value {
  if (!declared) return value;
  if (value.instance || value.cls || value.fn || value.module || value.items || value.entries) return value;
  const userObject =
    declared.instance !== undefined || declared.items !== undefined || declared.entries !== undefined;
  if (!userObject && value.path !== undefined && !value.path.startsWith("builtins.")) return value;
  const { literal: _literal, constant: _constant, path: _path, taints: _taints, ...rest } = value;
  const { taints: _declaredTaints, ...declaredRest } = declared;
  const out: Value = { ...rest, ...declaredRest };
  const taints = mergeTaints(value.taints, declared.taints);
  if (taints) out.taints = taints;
  // A `List[Message]` parameter's elements are still what the caller passed.
  if (value.taints && out.items)
    out.items = out.items.map((item) => withTaints(item, mergeTaints(item.taints, value.taints)));
  if (value.taints && out.entries)
    out.entries = withTaints(out.entries, mergeTaints(out.entries.taints, value.taints));
  return out;
}

/**
 * `x: T = value` and a bare `x: T` in a class body (a dataclass or pydantic field, a class attribute). A
 * bare annotation elsewhere binds nothing in Python, and binds nothing here.
 */
export function assignDeclared(it: Interpreter, node: Node, annotation: Node): Value {
  const left = node.childForFieldName("left");
  const right = node.childForFieldName("right");
  const value = right ? evaluate(it, right) : undefined;
  if (!left || (!right && it.scope.kind !== "class")) return value ?? {};
  const known = value && (value.instance || value.cls || value.fn || value.module);
  const declared = known ? undefined : declaredValue(it, annotation);
  const result = typed(value ?? {}, declared);
  if (right || declared) assign(it, left, result, node);
  return result;
}

/** A function's declared return type applied to what its body was seen to return. */
export function typedReturn(it: Interpreter, returns: Value, returnType: Node | null | undefined): Value {
  if (!returnType || returns.instance || returns.cls || returns.fn || returns.module) return returns;
  return typed(returns, declaredValue(it, returnType));
}

/**
 * A type row (`returns:` in the models): what a framework's factory returns, as a dotted class name. A
 * class of the scanned code becomes an instance of it (any subclass); any other name an API path.
 */
export function rowType(it: Interpreter, dotted: string): Value {
  const parts = dotted.split(".");
  for (let cut = parts.length - 1; cut > 0; cut--) {
    const mod = findModule(it, parts.slice(0, cut).join("."), it.module);
    if (!mod) continue;
    let value: Value | undefined = moduleScope(it, mod).vars.get(parts[cut]!);
    for (const name of parts.slice(cut + 1)) value = value ? attributeOf(it, value, name) : undefined;
    if (value?.cls) return { ...selfValue(it, value.cls as ClassInfo), declared: true };
    break;
  }
  return { path: `${dotted}()` };
}

/** A call's result with the class a type row says the callee returns (see `rowType`). */
export function withReturnRow(it: Interpreter, calleePath: string | undefined, result: Value): Value {
  const type = calleePath !== undefined ? it.models.returnTypes.match(calleePath) : undefined;
  if (type === undefined || result.instance || result.cls || result.fn) return result;
  const declared = rowType(it, type);
  const taints = mergeTaints(result.taints, declared.taints);
  const { path: _path, literal: _literal, constant: _constant, ...rest } = result;
  return taints ? { ...rest, ...declared, taints } : { ...rest, ...declared };
}
