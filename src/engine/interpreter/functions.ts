// User functions and their summaries: definitions (decorators that make parameters model- or network-
// controlled), parameters as placeholders, one summary per function (parameter → return, parameter → sink),
// replayed at each call site with the arguments bound to it.
import { noteSinkCall } from "../sink-fallback.js";
import type { Interpreter } from "../interpreter.js";
import {
  addStep,
  appendStep,
  EMPTY,
  joinValues,
  mergeTaints,
  type Taint,
  type Value,
  withTaints,
} from "../values.js";
import { note } from "./budget.js";
import { wrapperTaint } from "./calls.js";
import { selfValue } from "./classes.js";
import { declaredValue, typed, typedReturn } from "./declared-types.js";
import { holdsProjectObjects, isProjectObject, taintsOnObject } from "./injected.js";
import { evaluate } from "./expressions.js";
import { isAbstractBody } from "./loaded-modules.js";
import { joinVia, taintsThroughObject } from "./object-paths.js";
import { bind, locationOf, spanOf, step } from "./names.js";
import { recordHit } from "./sinks.js";
import {
  type Arguments,
  type ArgumentValue,
  type FunctionInfo,
  MAX_CALL_DEPTH,
  type Node,
  type Param,
  Scope,
  type Summary,
} from "./state.js";
import { execBlock } from "./statements.js";
import { noteSummaryCall, replayFieldStores } from "./fields.js";
import { listOfObjects, replayElementCalls } from "./step-lists.js";
import {
  isQuietToolParam,
  messageSelfTaint,
  toolMessageParam,
  toolParamTaint,
  toolSourceOf,
} from "./tools.js";

export function readParams(parameters: Node | null): Param[] {
  const params: Param[] = [];
  let keywordOnly = false;
  for (const child of parameters?.namedChildren ?? []) {
    const index = params.length;
    switch (child.type) {
      case "identifier":
        params.push({
          location: spanOf(child),
          name: child.text,
          index,
          kind: keywordOnly ? "keyword_only" : "positional",
          annotation: null,
        });
        break;
      case "typed_parameter": {
        const inner = child.namedChildren[0];
        const annotation = child.childForFieldName("type");
        if (inner?.type === "list_splat_pattern") {
          keywordOnly = true;
          params.push({
            location: spanOf(child),
            name: inner.namedChildren[0]?.text ?? "args",
            index,
            kind: "args",
            annotation,
          });
        } else if (inner?.type === "dictionary_splat_pattern") {
          params.push({
            location: spanOf(child),
            name: inner.namedChildren[0]?.text ?? "kwargs",
            index,
            kind: "kwargs",
            annotation,
          });
        } else if (inner) {
          params.push({
            location: spanOf(child),
            name: inner.text,
            index,
            kind: keywordOnly ? "keyword_only" : "positional",
            annotation,
          });
        }
        break;
      }
      case "default_parameter":
      case "typed_default_parameter": {
        const name = child.childForFieldName("name")?.text;
        if (name) {
          params.push({
            location: spanOf(child),
            name,
            index,
            kind: keywordOnly ? "keyword_only" : "positional",
            annotation: child.childForFieldName("type"),
          });
        }
        break;
      }
      case "list_splat_pattern":
        keywordOnly = true;
        params.push({
          location: spanOf(child),
          name: child.namedChildren[0]?.text ?? "args",
          index,
          kind: "args",
          annotation: null,
        });
        break;
      case "dictionary_splat_pattern":
        params.push({
          location: spanOf(child),
          name: child.namedChildren[0]?.text ?? "kwargs",
          index,
          kind: "kwargs",
          annotation: null,
        });
        break;
      case "keyword_separator":
        keywordOnly = true;
        break;
      default:
        break;
    }
  }
  return params;
}

export function defineFunction(
  it: Interpreter,
  node: Node,
  decorators: Value[],
  decoratorNodes: Node[] = [],
): FunctionInfo {
  const name = node.childForFieldName("name")?.text ?? "<anonymous>";
  const owner = it.scope.kind === "class" ? it.classOfScope : undefined;
  const decoratorNames = decoratorNodes.map((d) => d.namedChildren[0]?.text ?? "");
  const fn: FunctionInfo = {
    kind: "function",
    name,
    qualname: qualify(it, name),
    node,
    location: locationOf(it, node.childForFieldName("name") ?? node),
    module: it.module,
    params: readParams(node.childForFieldName("parameters")),
    definingScope: it.scope.kind === "class" ? (it.scope.parent ?? it.scope) : it.scope,
    isLambda: false,
    isStatic: decoratorNames.includes("staticmethod"),
    isClassMethod: decoratorNames.includes("classmethod"),
    computing: false,
  };
  if (owner && decoratorNames.some((d) => /^(?:property|(?:functools\.)?cached_property)$/.test(d)))
    fn.isProperty = true;
  if (owner) fn.cls = owner;
  if (owner && isAbstractBody(node.childForFieldName("body"))) fn.isAbstract = true;
  for (const decorator of decorators) {
    if (decorator.path && it.models.requestHandlerDecorators.match(decorator.path)) {
      fn.paramSource = { kind: "remote", why: `request handler \`${name}\` receives them from the network` };
    }
  }
  const tool = toolSourceOf(it, fn, decorators, decoratorNodes);
  if (tool) fn.paramSource = tool;
  it.module.functions.push(fn);
  if (owner) owner.methods.set(name, fn);
  bind(it, name, { fn }, node);
  return fn;
}

/**
 * `outer.inner`: the enclosing scope's name is already qualified, so only it is prefixed (joining every
 * enclosing scope's qualified name doubled the string per level: 30 nested closures ran out of memory).
 */
export function qualify(it: Interpreter, name: string): string {
  return it.scope.kind === "module" ? name : `${it.scope.name}.${name}`;
}

export function defineLambda(it: Interpreter, node: Node): Value {
  const fn: FunctionInfo = {
    kind: "function",
    name: "<lambda>",
    qualname: qualify(it, "<lambda>"),
    node,
    location: locationOf(it, node),
    module: it.module,
    params: readParams(node.childForFieldName("parameters")),
    definingScope: it.scope,
    isLambda: true,
    isStatic: false,
    isClassMethod: false,
    computing: false,
  };
  it.module.functions.push(fn);
  return { fn };
}

export function callFunction(
  it: Interpreter,
  fn: FunctionInfo,
  boundSelf: Value | undefined,
  args: Arguments,
  call: Node,
  calleeNode: Node,
): Value {
  const summary = summarise(it, fn);
  noteSummaryCall(it, fn);
  const bound = bindArguments(fn, boundSelf, args);
  const callName = calleeNode.text;
  // Replay the callee's parameter-reached sinks with this call's arguments.
  for (const hit of summary.paramHits) {
    const taints = substitute(it, hit.taints, bound, call, callName, fn, boundSelf);
    noteSinkCall(it.sinkCalls, hit.location, taints !== undefined, it.module.path);
    if (taints) recordHit(it, { ...hit, taints });
  }
  replayFieldStores(
    it,
    summary,
    (taints) => substitute(it, taints, bound, call, callName, fn, boundSelf),
    call,
  );
  replayElementCalls(it, fn, bound, boundSelf, call, callName);
  const returned = summary.returns;
  const returnStep = step(it, call, `returned by \`${callName}()\``);
  const taints = substitute(it, returned.taints, bound, call, callName, fn, boundSelf);
  // Without `delete`: a deleted property turns the object into a slow dictionary for its whole life.
  const { taints: _returnedTaints, ...rest } = returned;
  const stepped = addStep(taints, returnStep);
  const result: Value = stepped ? { ...rest, taints: stepped } : rest;
  // A returned tuple's items hold the callee's parameters too (`return text.strip(), 1`): unpacking it at
  // the call site (`code, n = split(reply)`) must see this call's arguments, not the placeholders.
  if (returned.items?.some((item) => item.taints))
    result.items = returned.items.map((item) =>
      item.taints
        ? withTaints(
            item,
            addStep(substitute(it, item.taints, bound, call, callName, fn, boundSelf), returnStep),
          )
        : item,
    );
  return result;
}

export function bindArguments(
  fn: FunctionInfo,
  boundSelf: Value | undefined,
  args: Arguments,
): Map<number, ArgumentValue> {
  const bound = new Map<number, ArgumentValue>();
  const params = fn.params;
  let offset = 0;
  if (!fn.isLambda && fn.cls && !fn.isStatic) {
    offset = 1;
    if (boundSelf) bound.set(0, { node: undefined, value: boundSelf });
  } else if (boundSelf && !fn.isLambda && !fn.isStatic) {
    offset = 1;
  }
  const varargs = params.find((p) => p.kind === "args");
  args.positional.forEach((arg, i) => {
    const param = params[i + offset];
    if (param && param.kind === "positional") bound.set(param.index, arg);
    else if (varargs)
      bound.set(varargs.index, {
        node: arg.node,
        value: joinValues(bound.get(varargs.index)?.value, arg.value),
      });
  });
  const kwargs = params.find((p) => p.kind === "kwargs");
  for (const [name, arg] of args.keywords) {
    const param = params.find(
      (p) => p.name === name && (p.kind === "positional" || p.kind === "keyword_only"),
    );
    if (param) bound.set(param.index, arg);
    else if (kwargs)
      bound.set(kwargs.index, {
        node: arg.node,
        value: joinValues(bound.get(kwargs.index)?.value, arg.value),
      });
  }
  if (args.splat) {
    for (const param of params) if (!bound.has(param.index)) bound.set(param.index, args.splat);
  }
  return bound;
}

/** Replaces parameter placeholders with the taint of the arguments bound to them. */
export function substitute(
  it: Interpreter,
  taints: readonly Taint[] | undefined,
  bound: Map<number, ArgumentValue>,
  call: Node,
  callName: string,
  fn: FunctionInfo,
  boundSelf: Value | undefined,
): readonly Taint[] | undefined {
  if (!taints) return undefined;
  let out: readonly Taint[] | undefined;
  for (const taint of taints) {
    if (taint.kind === "pending") {
      const resolved = resolvePending(it, taint, boundSelf, call, callName);
      if (resolved) out = mergeTaints(out, [resolved]);
      continue;
    }
    if (taint.kind !== "param") {
      out = mergeTaints(out, [taint]);
      continue;
    }
    const param = fn.params.find((p) => p.index === taint.param);
    if (taint.via && enclosingParam(taint, fn)) {
      // An enclosing function's parameter read by a closure (`graph` in `sem_evaluate`): decided where
      // that function is called.
      out = mergeTaints(out, [taint]);
      continue;
    }
    const arg = bound.get(taint.param ?? -1);
    if (!arg) continue;
    const paramName = param?.name ?? "?";
    // A project object passed in, on which the function calls something (`graph(prompt)`).
    const through = taintsThroughObject(it, taint, arg.value, call, callName, paramName);
    if (through) out = mergeTaints(out, through);
    if (!arg.value.taints) continue;
    const passed = step(it, arg.node ?? call, `passed to \`${callName}()\` as \`${paramName}\``);
    const rebased = arg.value.taints.map((outer) => {
      let steps = appendStep(outer.steps, passed);
      for (const inner of taint.steps) steps = appendStep(steps, inner);
      const inner = taint.via;
      if (outer.kind !== "param" || !inner) return { ...outer, steps };
      return { ...outer, steps, via: joinVia(outer.via, inner) };
    });
    // A parameter written to a file comes back as the file's name: so does what the caller passed.
    out = mergeTaints(out, taint.viaFile ? rebased.map((t) => ({ ...t, viaFile: true })) : rebased);
  }
  return out;
}

/**
 * Is `taint` the placeholder of a parameter of a function enclosing `fn` (a closure reading `graph` of the
 * function it is defined in), rather than one of `fn`'s own?
 */
function enclosingParam(taint: Taint, fn: FunctionInfo): boolean {
  const at = taint.at;
  if (!at || fn.definingScope.kind !== "function" || at.path !== fn.module.path) return false;
  return !fn.params.some(
    (p) => p.location.startLine === at.startLine && p.location.startColumn === at.startColumn,
  );
}

/**
 * A pending taint on an instance whose constructor arguments are known: `$init1.invoke()` with
 * `Agent(ChatOpenAI())` becomes `langchain_openai.ChatOpenAI().invoke()`, model output. Without known
 * arguments (`self.helper()` inside the class) it stays pending, to be decided further out.
 */
export function resolvePending(
  it: Interpreter,
  taint: Taint,
  boundSelf: Value | undefined,
  call: Node,
  callName: string,
): Taint | undefined {
  const initArgs = boundSelf?.initArgs;
  if (!initArgs) return taint;
  const match = /^\$init(\d+)(.*)$/.exec(taint.pendingPath ?? "");
  const arg = match ? initArgs.get(Number(match[1])) : undefined;
  const argPath = arg?.path;
  const kind = match && argPath !== undefined ? it.models.sources.match(`${argPath}${match[2]}`) : undefined;
  if (!kind && match && argPath?.startsWith("$init")) {
    // Built with what the enclosing object was built with (`Planner(self.llm)`): decided further out.
    return { ...taint, pendingPath: `${argPath}${match[2] ?? ""}` };
  }
  if (!kind && match && (isProjectObject(arg) || (holdsProjectObjects(arg) && match[2]?.startsWith("[]")))) {
    // Built with one of the project's own objects (`Handler(llm=OpenAi())`): what its method returns.
    const found = taintsOnObject(it, arg, match[2] ?? "", call);
    if (!found) return undefined;
    const built = (arg.instance ?? arg.cls ?? arg.fn)?.name ?? listOfObjects(arg);
    const onInstance = step(it, call, `\`${callName}()\` on an object built with \`${built}\``);
    return { ...found[0]!, steps: [...found[0]!.steps, onInstance, ...taint.steps] };
  }
  if (!kind) {
    // Built with an object the analysis knows (an instance of a scanned class, a literal): decided, not a
    // model. Built with one it cannot follow (a factory's result, a framework's object): a call with a
    // model wrapper's shape is judged by its names.
    const known =
      arg !== undefined &&
      (arg.instance !== undefined ||
        arg.cls !== undefined ||
        arg.fn !== undefined ||
        arg.literal !== undefined);
    if (!taint.wrapperShape || known) return undefined;
    return wrapperTaint(taint.wrapperShape, taint.steps);
  }
  // The call on the instance is where this flow comes about: a changed-lines filter must see it.
  const onInstance = step(
    it,
    call,
    `\`${callName}()\` on an object built with \`${(argPath ?? "").replace(/\(\)$/, "")}\``,
  );
  return {
    kind: kind === "remote" ? "remote" : "llm",
    origin: taint.origin,
    steps: [onInstance, ...taint.steps],
  };
}

export function summarise(it: Interpreter, fn: FunctionInfo): Summary {
  if (fn.summary) return fn.summary;
  if (fn.computing) return { returns: EMPTY, paramHits: [] };
  const node = functionNode(fn);
  if (it.callDepth > MAX_CALL_DEPTH) {
    // Where model output can travel, a chain cut short could hide a flow: the file is named as not fully
    // analysed. Elsewhere (a deep call graph in a library, graded for deserialization) it is a note.
    if (node) {
      const message = `calls nested more than ${MAX_CALL_DEPTH} deep at \`${fn.qualname}\` (line ${fn.location.startLine}): flows through it not followed`;
      note(it, node, "call-depth", message, it.module.carrier || fn.module.carrier ? "part" : undefined);
    }
    letNodeGo(fn);
    return { returns: EMPTY, paramHits: [] };
  }
  fn.computing = true;
  it.callDepth++;
  const saved = { module: it.module, scope: it.scope, cls: it.classOfScope, repeated: it.repeatedPassDepth };
  // A summary must not depend on where it was first asked for.
  it.repeatedPassDepth = 0;
  const scope = new Scope("function", fn.definingScope, fn, fn.qualname);
  scope.summaryHits = [];
  it.module = fn.module;
  it.scope = scope;
  it.classOfScope = undefined;
  try {
    bindParameters(it, fn, scope);
    const body = node?.childForFieldName("body");
    if (fn.isLambda) {
      if (body) scope.returns = evaluate(it, body);
    } else if (body) execBlock(it, body);
    const returnType = fn.isLambda ? undefined : node?.childForFieldName("return_type");
    fn.summary = {
      returns: typedReturn(it, scope.returns ?? EMPTY, returnType),
      paramHits: scope.summaryHits,
      ...(scope.fieldStores ? { fieldStores: scope.fieldStores } : {}),
    };
  } finally {
    it.module = saved.module;
    it.scope = saved.scope;
    it.classOfScope = saved.cls;
    it.repeatedPassDepth = saved.repeated;
    it.callDepth--;
    fn.computing = false;
    letNodeGo(fn);
  }
  return fn.summary ?? { returns: EMPTY, paramHits: [] };
}

/**
 * The function's node: the one it was defined with or, in a module whose tree was let go while its
 * summaries wait (interpreter.ts), the same subtree built again from the parse records.
 */
export function functionNode(fn: FunctionInfo): Node | undefined {
  if (!fn.node && fn.regrow) fn.node = fn.regrow();
  return fn.node;
}

/** A subtree built again is let go once its summary is computed: it can be built again if needed. */
function letNodeGo(fn: FunctionInfo): void {
  if (fn.regrow && !fn.computing) fn.node = undefined;
}

export function bindParameters(it: Interpreter, fn: FunctionInfo, scope: Scope): void {
  fn.params.forEach((param, position) => {
    if (position === 0 && fn.cls && !fn.isStatic && !fn.isLambda) {
      const self = fn.isClassMethod ? { cls: fn.cls } : selfValue(it, fn.cls);
      const message = messageSelfTaint(fn, param);
      scope.vars.set(param.name, message ? { ...self, taints: [message] } : self);
      return;
    }
    const placeholder: Taint = {
      kind: "param",
      param: param.index,
      origin: `parameter \`${param.name}\` of \`${fn.qualname}\``,
      steps: [],
      at: { path: fn.module.path, ...param.location },
    };
    let value: Value = { taints: [placeholder] };
    const framework = requestParameterFramework(it, param.name, fn);
    if (framework) {
      // A Django or DRF view's `request` is the HTTP request, typed or not.
      const origin = `\`${param.name}\` of view \`${fn.name}\` (${framework} request)`;
      value = {
        taints: [
          { kind: "remote", origin, steps: [{ location: placeholder.at!, note: origin }] },
          placeholder,
        ],
      };
    }
    if (fn.paramSource && !isQuietToolParam(fn, param, position)) {
      const origin = `parameter \`${param.name}\` (${fn.paramSource.why})`;
      const source: Taint = toolParamTaint(fn, param, fn.paramSource) ?? {
        kind: fn.paramSource.kind,
        origin,
        steps: [{ location: fn.location, note: origin }],
      };
      value = { taints: [source, placeholder] };
    }
    const annotated = param.annotation ? declaredValue(it, param.annotation) : undefined;
    if (annotated) {
      // A tool message the model writes (langroid) is model output whatever its class says.
      const message = toolMessageParam(it, fn, param, annotated);
      value = typed(value, annotated);
      if (message.length > 0) value = { ...value, taints: mergeTaints(message, value.taints) ?? [] };
    }
    scope.vars.set(param.name, value);
  });
}

/** The framework whose views receive the HTTP request in a parameter of this name, if imported here. */
export function requestParameterFramework(
  it: Interpreter,
  name: string,
  fn: FunctionInfo,
): string | undefined {
  for (const row of it.models.requestParameters) {
    if (row.name === name && fn.module.imports.has(row.whenImported)) return row.whenImported;
  }
  return undefined;
}
