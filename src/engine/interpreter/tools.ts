// Tools: functions a model calls with arguments it chooses (rules/models/llm-tools.yml). Inside a tool its
// parameters are model output. A function is a tool by how a framework learns about it:
// - at its definition: a tool decorator, a method a tool base class's framework calls (`BaseTool._run`), a
//   langroid agent method named after a tool message's `request`, a parameter typed as a tool message;
// - where it is handed over: `Tool(func=f)`, `tools=[f, g]`, `function_map={"f": f}`. The tool is then
//   analysed as called by the model, right there: its summary replayed with model-chosen arguments.
// Rows give high confidence; `tool_shapes` (names that say tool) give medium, and the trace says which.
import type { Interpreter } from "../interpreter.js";
import { TOOL_BY_SHAPE } from "../rule.js";
import type { PythonModule } from "../modules.js";
import type { Taint, Value } from "../values.js";
import { bindArguments, substitute, summarise } from "./functions.js";
import { recordHit } from "./sinks.js";
import type { Arguments, ClassInfo, FunctionInfo, Node, Param, ParamSource } from "./state.js";

/** Annotations the frameworks validate the model's argument against: no code or command fits in them. */
const SCALAR_ANNOTATION = /^(?:int|float|bool|complex)$/;

/**
 * Why the parameters of a function being defined are the model's, if they are: decorators, the tool class
 * it is a method of, the tool message it handles.
 */
export function toolSourceOf(
  it: Interpreter,
  fn: FunctionInfo,
  decorators: readonly Value[],
  decoratorNodes: readonly Node[],
): ParamSource | undefined {
  const tools = it.models.tools;
  for (const decorator of decorators) {
    const row = decorator.path !== undefined ? tools.decorators.match(decorator.path) : undefined;
    if (row) return toolSource(fn, `tool \`${fn.name}\``, false, row.firstParamIsContext === true);
  }
  const owner = fn.cls;
  if (owner) {
    const classRow = inheritedRow(owner, (path) => tools.classes.match(path));
    if (classRow?.methods.includes(fn.name)) {
      const source = toolSource(fn, `tool \`${owner.name}.${fn.name}\``, false, false);
      if (classRow.selfIsMessage) source.selfIsMessage = true;
      return source;
    }
    if (fn.params.length > 1 && handlerRequests(it).has(fn.name))
      return toolSource(fn, `the handler of tool message \`${fn.name}\``, false, false);
  }
  // Shapes only where model output can be at all (a carrier module): a `@tool` elsewhere is not an LLM's.
  if (!it.module.carrier) return undefined;
  for (const node of decoratorNodes) {
    const name = decoratorName(node);
    if (name && tools.shapes.decorator.test(name))
      return toolSource(fn, `tool \`${fn.name}\` (decorated \`@${name}\`)`, true, false);
  }
  if (owner && tools.shapes.methods.has(fn.name)) {
    const named = ancestorNamed(owner, tools.shapes.className);
    if (named) return toolSource(fn, `tool \`${owner.name}.${fn.name}\` (a \`${named}\`)`, true, false);
  }
  return undefined;
}

function toolSource(fn: FunctionInfo, tool: string, byShape: boolean, skipFirst: boolean): ParamSource {
  const source: ParamSource = {
    kind: "llm",
    why: `the model chooses the arguments of ${tool}`,
    tool,
  };
  if (byShape) source.byShape = true;
  if (skipFirst) source.skipFirst = true;
  void fn;
  return source;
}

/** The taint of a tool parameter: the trace starts at the tool's definition and says what made it one. */
export function toolParamTaint(fn: FunctionInfo, param: Param, source: ParamSource): Taint | undefined {
  if (source.tool === undefined) return undefined;
  const origin = `argument \`${param.name}\` the model chooses for ${source.tool}`;
  const note = source.byShape ? `${origin}, a tool by its names ${TOOL_BY_SHAPE}` : origin;
  return { kind: "llm", origin, steps: [{ location: fn.location, note }] };
}

/** `self` in a tool message's own `handle`: the model wrote the message, so its fields are model output. */
export function messageSelfTaint(fn: FunctionInfo, param: Param): Taint | undefined {
  if (!fn.paramSource?.selfIsMessage || !fn.cls) return undefined;
  const origin = `tool message \`${param.name}\` (a \`${fn.cls.name}\`) the model writes, in \`${fn.name}\``;
  return { kind: "llm", origin, steps: [{ location: fn.location, note: origin }] };
}

/** Whether a tool's parameter cannot carry model text: the framework's context, or a validated scalar. */
export function isQuietToolParam(fn: FunctionInfo, param: Param, position: number): boolean {
  const source = fn.paramSource;
  if (!source || source.tool === undefined) return false;
  const first = fn.cls && !fn.isStatic ? 1 : 0;
  if (source.skipFirst && position === first) return true;
  // A tool message's own method: the message is the model's, its other parameters the framework's (`agent`).
  if (source.selfIsMessage && position >= first) return true;
  const annotation = param.annotation?.type === "type" ? param.annotation.namedChildren[0] : param.annotation;
  return annotation !== null && annotation !== undefined && SCALAR_ANNOTATION.test(annotation.text);
}

/**
 * A parameter typed as a tool message (`msg: PandasEvalTool`, a ToolMessage subclass): the model wrote the
 * message, so its fields are model output wherever the handler is.
 */
export function toolMessageParam(it: Interpreter, fn: FunctionInfo, param: Param, annotated: Value): Taint[] {
  const cls = annotated.instance as ClassInfo | undefined;
  if (!cls) return [];
  const tools = it.models.tools;
  const isMessage =
    inheritedRow(cls, (path) => tools.messages.match(path)) ??
    inheritedRow(cls, (path) => (tools.classes.match(path)?.selfIsMessage ? true : undefined));
  if (!isMessage) return [];
  const origin = `tool message \`${param.name}\` (a \`${cls.name}\`) the model writes for \`${fn.name}\``;
  return [{ kind: "llm", origin, steps: [{ location: fn.location, note: origin }] }];
}

/**
 * A call that hands functions to a model as tools (`Tool(func=f)`, `tools=[f]`, `function_map={...}`):
 * each is analysed as the model calls it, here, with arguments the model chooses.
 */
export function registerTools(
  it: Interpreter,
  call: Node,
  callee: Value,
  args: Arguments,
  argsNode: Node | null,
): void {
  if (args.positional.length === 0 && args.keywords.size === 0) return;
  const tools = it.models.tools;
  const row = callee.path !== undefined ? tools.registrations.match(callee.path) : undefined;
  if (!row && !it.module.carrier) return;
  const handed: { node: Node | undefined; value: Value; byShape: boolean }[] = [];
  for (const key of row?.args ?? []) {
    const arg = typeof key === "number" ? args.positional[key] : args.keywords.get(key);
    if (arg) handed.push({ node: arg.node, value: arg.value, byShape: false });
  }
  if (it.module.carrier) {
    for (const [name, arg] of args.keywords) {
      if (tools.shapes.keywords.has(name) && !row?.args.includes(name))
        handed.push({ node: arg.node, value: arg.value, byShape: true });
    }
    // `function_to_schema(f)`: a schema the model sees is built from the function's signature.
    const first = args.positional[0];
    const mayBeTool = first && (first.value.fn || first.value.items || first.value.dispatch);
    if (!row && mayBeTool && tools.shapes.schemaCall.test(lastName(call.childForFieldName("function"))))
      handed.push({ node: first.node, value: first.value, byShape: true });
  }
  for (const { node, value, byShape } of handed) {
    for (const tool of functionsIn(value)) {
      const fn = tool.fn as FunctionInfo;
      // A decorated tool or a tool class's method is analysed as one already.
      if (fn.paramSource || fn.isLambda) continue;
      callAsTool(it, fn, tool.boundSelf, call, node ?? argsNode ?? call, byShape, callee);
    }
  }
}

function lastName(node: Node | null): string {
  const text = node?.text ?? "";
  return text.slice(text.lastIndexOf(".") + 1);
}

/** The functions a value stands for: itself, a list's items, a mapping's values. */
function functionsIn(value: Value): Value[] {
  const out: Value[] = [];
  const visit = (v: Value, depth: number) => {
    if (v.fn) out.push(v);
    if (depth > 1) return;
    for (const item of v.items ?? []) visit(item, depth + 1);
    for (const entry of v.dispatch ?? []) visit(entry.value, depth + 1);
  };
  visit(value, 0);
  return out.slice(0, 32);
}

function callAsTool(
  it: Interpreter,
  fn: FunctionInfo,
  boundSelf: Value | undefined,
  call: Node,
  at: Node,
  byShape: boolean,
  callee: Value,
): void {
  const registeredBy = (call.childForFieldName("function")?.text ?? callee.path ?? "a call").slice(0, 80);
  const tool = `tool \`${fn.name}\` (handed to \`${registeredBy}\`)`;
  const source: ParamSource = { kind: "llm", why: `the model chooses the arguments of ${tool}`, tool };
  if (byShape) source.byShape = true;
  const args: Arguments = { positional: [], keywords: new Map(), splat: undefined };
  const first = fn.cls && !fn.isStatic && !fn.isClassMethod ? 1 : 0;
  fn.params.forEach((param, position) => {
    if (position < first || param.kind === "args" || param.kind === "kwargs") return;
    const probe: FunctionInfo = { ...fn, paramSource: source };
    if (isQuietToolParam(probe, param, position)) return;
    const taint = toolParamTaint(fn, param, source);
    if (!taint) return;
    args.keywords.set(param.name, { node: at, value: { taints: [taint] } });
  });
  if (args.keywords.size === 0) return;
  // The tool's sinks reached by its parameters, replayed as the model's call (`passed to \`f()\`` here).
  const summary = summarise(it, fn);
  const bound = bindArguments(fn, boundSelf, args);
  for (const hit of summary.paramHits) {
    const taints = substitute(it, hit.taints, bound, at, fn.name, fn, boundSelf);
    if (taints?.some((t) => t.kind === "llm")) recordHit(it, { ...hit, taints });
  }
}

/** The first row found on a class or its ancestors (user classes walked, library bases matched by path). */
function inheritedRow<T>(cls: ClassInfo, match: (path: string) => T | undefined, depth = 0): T | undefined {
  if (depth > 8) return undefined;
  for (const base of cls.bases) {
    if (base.path !== undefined) {
      const row = match(base.path);
      if (row !== undefined) return row;
    }
    if (base.cls) {
      const row = inheritedRow(base.cls as ClassInfo, match, depth + 1);
      if (row !== undefined) return row;
    }
  }
  return undefined;
}

/** The class's own name or an ancestor's (user class or library base) that matches, if any. */
function ancestorNamed(cls: ClassInfo, pattern: RegExp, depth = 0): string | undefined {
  if (pattern.test(cls.name)) return cls.name;
  if (depth > 8) return undefined;
  for (const base of cls.bases) {
    const last = base.path?.split(".").pop();
    if (last && pattern.test(last)) return last;
    if (base.cls) {
      const named = ancestorNamed(base.cls as ClassInfo, pattern, depth + 1);
      if (named) return named;
    }
  }
  return undefined;
}

/** `@tool`, `@registry.register_tool("x")`: the decorator's dotted name, without its call. */
function decoratorName(node: Node): string | undefined {
  let expr = node.namedChildren[0];
  if (expr?.type === "call") expr = expr.childForFieldName("function") ?? undefined;
  if (!expr || (expr.type !== "identifier" && expr.type !== "attribute")) return undefined;
  return expr.text.replace(/\s+/g, "");
}

const requestsOf = new WeakMap<Interpreter, ReadonlySet<string>>();

/**
 * The `request` values of tool message classes in the modules that may matter (found in their text, through
 * the subclass index, so that a handler defined before its message's module is interpreted is known).
 */
function handlerRequests(it: Interpreter): ReadonlySet<string> {
  const known = requestsOf.get(it);
  if (known) return known;
  const requests = new Set<string>();
  const tools = it.models.tools;
  const seen = new Set<string>();
  const queue = [...tools.messageBaseNames];
  const messageModules = new Map<PythonModule, Set<string>>();
  while (queue.length > 0 && seen.size < 2000) {
    const name = queue.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    for (const entry of it.subclassIndex.get(name) ?? []) {
      const names = messageModules.get(entry.module) ?? new Set<string>();
      names.add(entry.className);
      messageModules.set(entry.module, names);
      queue.push(entry.className);
    }
  }
  const fields = [...tools.requestFields].join("|");
  if (fields) {
    for (const [mod, classNames] of messageModules) {
      for (const className of classNames)
        for (const value of requestValues(mod.text, className, fields)) requests.add(value);
    }
  }
  requestsOf.set(it, requests);
  return requests;
}

/** `request: str = "pandas_eval"` in the body of class `className`. */
function requestValues(text: string, className: string, fields: string): string[] {
  const out: string[] = [];
  const header = new RegExp(`^([ \\t]*)class[ \\t]+${className}\\b`, "m").exec(text);
  if (!header) return out;
  const indent = header[1]!.length;
  const lines = text
    .slice(header.index + header[0].length)
    .split("\n")
    .slice(1, 400);
  const field = new RegExp(`^[ \\t]+(?:${fields})[ \\t]*(?::[^=\\n]*)?=[ \\t]*["']([A-Za-z_]\\w*)["']`);
  for (const line of lines) {
    if (line.trim() === "") continue;
    const lead = line.length - line.trimStart().length;
    if (lead <= indent) break;
    const match = field.exec(line);
    if (match) out.push(match[1]!);
  }
  return out;
}
