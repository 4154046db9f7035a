// Calls: to user functions and classes (through their summaries), to modelled library APIs (sources,
// sinks, sanitizers, validators, propagators), and to unmodelled functions (assumed to pass data on);
// methods on tainted objects, writes to files and containers.
import type { Interpreter } from "../interpreter.js";
import { ASSUMED_PASS_ON } from "../rule.js";
import type { ProvenanceKind, TraceStep } from "../types.js";
import {
  addStep,
  EMPTY,
  isTainted,
  joinValues,
  mergeTaints,
  type Taint,
  taintOnly,
  type Value,
  withTaints,
} from "../values.js";
import { alternativeCallees, callableMember, callAlternative } from "./alternatives.js";
import { callThrough } from "./callbacks.js";
import { sendsChatRequest } from "./chat-requests.js";
import { attributeOf, instantiate } from "./classes.js";
import { withReturnRow } from "./declared-types.js";
import { lookupInTable } from "./dispatch.js";
import { evaluate } from "./expressions.js";
import { callFunction } from "./functions.js";
import { isNameLike, lookup, step, updateInPlace } from "./names.js";
import { fromTemplate, loadedModule, templateOutput } from "./loaded-modules.js";
import { extendVia, isPlaceholder } from "./object-paths.js";
import { checkSink, reportHit } from "./sinks.js";
import { enumerated, noteElementCall } from "./step-lists.js";
import type { Arguments, ClassInfo, FunctionInfo, Node } from "./state.js";
import { registerTools } from "./tools.js";
import { pathHolder, taintInstanceAttribute, taintPathHolder } from "./written-files.js";

export function literalKeywords(
  args: Arguments,
): Record<string, string | number | boolean | null> | undefined {
  let out: Record<string, string | number | boolean | null> | undefined;
  for (const [name, arg] of args.keywords) {
    if (arg.value.literal === undefined) continue;
    out ??= {};
    out[name] = arg.value.literal;
  }
  return out;
}

export function allConstant(args: Arguments): boolean {
  const values = [...args.positional, ...args.keywords.values()].map((a) => a.value);
  return (
    values.length > 0 && !args.splat && values.every((v) => v.literal !== undefined || v.constant === true)
  );
}

export function evaluateCall(it: Interpreter, node: Node): Value {
  const result = evaluateCallOf(it, node);
  const wrapper = wrapperCallName(it, node);
  if (!wrapper || result.taints?.some((t) => t.kind === "llm")) return result;
  // An object the constructor received is decided per instance where the class is built (`pending`); the
  // shape is kept on the taint for classes the scanned code never builds (see `unbuiltWrapperHits`).
  if (result.taints?.some((t) => t.kind === "pending")) {
    return withTaints(
      result,
      result.taints.map((t) => (t.kind === "pending" ? { ...t, wrapperShape: wrapper } : t)),
    );
  }
  // The project's own model wrapper, recognised by its names (its class could not be followed to the SDK
  // call): its result is model output, and the trace says how it was recognised (confidence medium).
  return withTaints(result, mergeTaints([wrapperTaint(wrapper, [step(it, node, "")])], result.taints));
}

/**
 * Model output recognised by a wrapper's names (`self.llm.aask`): the first step says so, and ends with
 * ASSUMED_PASS_ON so that the finding's confidence is medium. One shape for the three places that decide it.
 */
export function wrapperTaint(wrapper: string, steps: readonly TraceStep[]): Taint {
  const origin = `output of \`${wrapper}\``;
  const [first, ...rest] = steps;
  const note = `${origin}: a model wrapper by its names ${ASSUMED_PASS_ON}`;
  return { kind: "llm", origin, steps: first ? [{ ...first, note }, ...rest] : [] };
}

/** `self.llm.aask` when a call has the shape of a model wrapper's (see `wrapper_receivers` in the models). */
function wrapperCallName(it: Interpreter, node: Node): string | undefined {
  const calleeNode = node.childForFieldName("function");
  if (calleeNode?.type !== "attribute") return undefined;
  const method = calleeNode.childForFieldName("attribute")?.text;
  if (!method || !it.models.wrapperCalls.methods.has(method)) return undefined;
  const objectNode = calleeNode.childForFieldName("object");
  const receiverName =
    objectNode?.type === "identifier"
      ? objectNode.text
      : objectNode?.type === "attribute"
        ? objectNode.childForFieldName("attribute")?.text
        : undefined;
  if (!receiverName || !it.models.wrapperCalls.receiver.test(receiverName)) return undefined;
  return calleeNode.text;
}

function evaluateCallOf(it: Interpreter, node: Node): Value {
  const calleeNode = node.childForFieldName("function");
  const argsNode = node.childForFieldName("arguments");
  if (!calleeNode) return EMPTY;
  let receiver: Value | undefined;
  let methodName: string | undefined;
  let callee: Value;
  if (calleeNode.type === "attribute") {
    const objectNode = calleeNode.childForFieldName("object");
    methodName = calleeNode.childForFieldName("attribute")?.text;
    const field = isNameLike(objectNode) ? lookup(it, calleeNode.text) : undefined;
    receiver = objectNode ? evaluate(it, objectNode) : EMPTY;
    callee = field ?? attributeOf(it, receiver, methodName ?? "");
  } else {
    callee = evaluate(it, calleeNode);
  }
  const args = evaluateArguments(it, argsNode);
  registerTools(it, node, callee, args, argsNode);
  // `TOOLS.get(name)`: the entry of a dispatch table (see dispatch.ts).
  if (methodName === "get" && receiver?.dispatch)
    return lookupInTable(receiver, args.positional[0]?.value) ?? EMPTY;
  // `HANDLERS.get(name)` on a registry of classes may give any of them.
  if (methodName === "get" && receiver?.entries) return receiver.entries;
  const others = alternativeCallees(it, receiver, callee, methodName);
  let result = callCallee(it, node, calleeNode, receiver, methodName, callee, args);
  for (const other of others) result = joinValues(result, callAlternative(it, other, args, node, calleeNode));
  return result;
}

function callCallee(
  it: Interpreter,
  node: Node,
  calleeNode: Node,
  receiver: Value | undefined,
  methodName: string | undefined,
  callee: Value,
  args: Arguments,
): Value {
  if (callee.fn) {
    let result = callFunction(it, callee.fn as FunctionInfo, callee.boundSelf, args, node, calleeNode);
    const left = templateOutput(it, callee);
    if (left) result = withTaints(result, mergeTaints(left, result.taints));
    for (const override of callee.overrides ?? []) {
      result = joinValues(
        result,
        callFunction(it, override as FunctionInfo, callee.boundSelf, args, node, calleeNode),
      );
    }
    if (callee.path !== undefined) {
      // A scanned module that is also a modelled library (a vendored `yaml/`, the stdlib's own
      // pickle.py): its functions are still the library's sinks and sources.
      for (const sink of it.models.sinks.matchAll(callee.path)) {
        if (!sink.calleeIsInput) checkSink(it, sink, node, calleeNode, args, receiver);
      }
      const kind = it.models.sources.match(`${callee.path}()`);
      if (kind) {
        const origin = [sourceTaint(it, kind, `output of \`${calleeNode.text}\``, node)];
        result = withTaints(result, mergeTaints(origin, result.taints));
      }
    }
    return withReturnRow(it, callee.path, result);
  }
  if (callee.cls)
    return fromTemplate(callee, instantiate(it, callee.cls as ClassInfo, args, node, calleeNode));
  // `graph(prompt)` on an instance of a scanned class runs its `__call__` (and subclasses' overrides).
  const called = callableMember(it, callee);
  if (called) {
    const result = callCallee(it, node, calleeNode, callee, "__call__", called, args);
    // A tainted object stays so when called, as any tainted callable does (below).
    return isTainted(callee) ? withTaints(result, mergeTaints(result.taints, callee.taints)) : result;
  }

  const calleePath = callee.path;
  let result: Value = {};
  if (calleePath !== undefined) {
    const resultPath = `${calleePath}()`;
    // A sanitized temporary file is still a file: what is written into it is followed (`viaFile`).
    if (it.models.sanitizers.match(calleePath))
      return isFileObject(it, resultPath) ? { path: resultPath } : EMPTY;
    for (const sink of it.models.sinks.matchAll(calleePath)) {
      if (sink.calleeIsInput) {
        if (isTainted(callee))
          reportHit(it, sink, node, calleeNode, calleeNode.text, [], new Map(), callee, calleeNode);
      } else checkSink(it, sink, node, calleeNode, args, receiver);
    }
    if (it.models.validators.match(calleePath)) result = { verdict: true };
    const propagator = it.models.propagators.match(calleePath);
    if (propagator) {
      result = taintOnly(argumentTaints(args, propagator.args));
      if (!result.taints && allConstant(args)) result = { constant: true };
    } else if (isUnmodelledFunction(it, calleePath, receiver)) {
      // A library function the models do not know (`extract_code(reply)` from a package that is not
      // scanned) is assumed to pass its arguments' data on, as Semgrep's taint mode does; the step
      // says so and the finding's confidence drops. Methods of objects are not assumed to: a
      // `commands.get(choice)` lookup returns the program's own value.
      const passed = argumentTaints(args, undefined);
      if (passed)
        result = {
          taints: addStep(passed, step(it, node, `through \`${calleeNode.text}()\` ${ASSUMED_PASS_ON}`))!,
        };
    }
    const through = it.models.functionCallers.match(calleePath);
    const ran = through ? callThrough(it, through, args, node, calleeNode) : undefined;
    if (ran?.taints) result = withTaints(result, mergeTaints(result.taints, ran.taints));
    const opened = it.models.fileOpeners.has(calleePath) ? args.positional[0]?.value : undefined;
    if (typeof opened?.literal === "string") {
      result = { ...result, filePath: opened.literal };
      const written = mergeTaints(result.taints, it.writtenFiles.get(opened.literal));
      if (written) result.taints = written;
    } else if (opened?.filePath !== undefined) result = { ...result, filePath: opened.filePath };
    else if (opened) {
      const holder = pathHolder(args.positional[0]?.node?.text);
      if (holder !== undefined) result = { ...result, pathHolder: holder };
    }
    const fluent = methodName !== undefined && it.models.fluentMethods.has(methodName) && receiver?.path;
    const path = fluent ? receiver!.path! : resultPath;
    let sourceKind = it.models.sources.match(path);
    // An HTTP call to a model's REST endpoint (Ollama's /api/generate, an OpenAI-compatible server)
    // returns model output, whichever HTTP client makes it.
    // So does one whose body is a chat API's request, wherever its URL comes from (chat-requests.ts).
    if (sourceKind === "remote" && (callsModelEndpoint(it, args) || sendsChatRequest(args)))
      sourceKind = "llm";
    const origin = `output of \`${calleeNode.text}\``;
    const sourceTaints = sourceKind
      ? [sourceTaint(it, sourceKind, origin, node)]
      : path.startsWith("$init")
        ? [{ kind: "pending" as const, origin, pendingPath: path, steps: [step(it, node, origin)] }]
        : undefined;
    if (sourceTaints?.[0]?.kind === "pending") noteElementCall(it, node, calleePath, args);
    if (calleePath === "builtins.enumerate") result = enumerated(args.positional[0]?.value, result);
    result = withReturnRow(it, calleePath, { ...result, path });
    if (loadedModule(it, calleePath, args)) result.loaded = true;
    // `getattr(obj, "name")` with a literal name is `obj.name` on the project's objects and loaded modules.
    const named = calleePath === "builtins.getattr" ? namedAttribute(it, args) : undefined;
    if (named) return withTaints(named, mergeTaints(named.taints, result.taints));
    const builtWith = literalKeywords(args);
    if (builtWith) result.builtWith = builtWith;
    result = withTaints(result, mergeTaints(sourceTaints, result.taints));
  }
  if (receiver && methodName !== undefined) {
    // Whatever a tainted object's methods return is tainted too: `text.strip()`, `m.group(1)`.
    // A method called on a parameter's placeholder keeps the path for callers that pass an object.
    if (isTainted(receiver)) {
      const own = isPlaceholder(receiver) ? extendVia(receiver.taints!, `.${methodName}()`) : receiver.taints;
      result = withTaints(result, mergeTaints(result.taints, own));
    }
    if (it.models.stringBuilders.has(methodName)) {
      result = withTaints(result, mergeTaints(result.taints, argumentTaints(args, undefined)));
    }
    if (it.models.mutators.has(methodName) || methodName === "write_text" || methodName === "write_bytes") {
      mutateReceiver(it, calleeNode, receiver, args, node);
    }
    // Name-only sinks (`df.query`) apply to receivers of unknown type, or of the module they are about:
    // `session.query(...)` on a known SQLAlchemy session is not pandas.
    const receiverRoot = receiver.path?.split(/[.(]/, 1)[0];
    for (const sink of it.models.methodSinks.get(methodName) ?? []) {
      if (!it.module.imports.has(sink.whenImported)) continue;
      if (receiverRoot !== undefined && receiverRoot !== sink.whenImported.split(".")[0]) continue;
      if (calleePath !== undefined && it.models.sinks.match(calleePath)) continue;
      checkSink(it, sink, node, calleeNode, args, receiver);
    }
  } else if (calleePath === undefined && isTainted(callee)) {
    // Calling a tainted callable (a value the model picked) yields model-controlled data; calling a
    // parameter (`graph(prompt)`), whatever the object the caller passes returns (object-paths.ts).
    result = withTaints(result, isPlaceholder(callee) ? extendVia(callee.taints!, "()") : callee.taints);
  }
  return result;
}

/** `getattr(obj, "name")` on a project object or a loaded module: what `obj.name` reads. */
function namedAttribute(it: Interpreter, args: Arguments): Value | undefined {
  const object = args.positional[0]?.value;
  const name = args.positional[1]?.value.literal;
  if (!object || typeof name !== "string" || !/^\w+$/.test(name)) return undefined;
  if (!object.loaded && !object.instance && !object.cls && !object.module) return undefined;
  return attributeOf(it, object, name);
}

/** A function reached through a module (not a method of an object), outside builtins and the models. */
export function isUnmodelledFunction(
  it: Interpreter,
  calleePath: string,
  receiver: Value | undefined,
): boolean {
  if (calleePath.startsWith("builtins.") || calleePath.startsWith("$init")) return false;
  if (receiver && (receiver.path === undefined || receiver.path.includes("("))) return false;
  if (calleePath.includes("(")) return false;
  return (
    it.models.sinks.match(calleePath) === undefined &&
    it.models.sources.match(`${calleePath}()`) === undefined &&
    it.models.validators.match(calleePath) === undefined
  );
}

export function callsModelEndpoint(it: Interpreter, args: Arguments): boolean {
  const url = args.keywords.get("url") ?? args.positional[0];
  if (!url) return false;
  const text = typeof url.value.literal === "string" ? url.value.literal : (url.node?.text ?? "");
  return it.models.llmEndpoints.test(text);
}

export function mutateReceiver(
  it: Interpreter,
  calleeNode: Node,
  receiver: Value,
  args: Arguments,
  call: Node,
): void {
  const taints = argumentTaints(args, undefined);
  const objectNode = calleeNode.childForFieldName("object");
  if (!taints || !objectNode) return;
  const written = addStep(taints, step(it, call, `written to \`${objectNode.text}\``));
  // A file's name stands for what was written into it (see `viaFile`); a container holds the data itself.
  const method = calleeNode.childForFieldName("attribute")?.text;
  const intoFile =
    (method === "write" || method === "writelines") &&
    (receiver.filePath !== undefined || receiver.pathHolder !== undefined || isFileObject(it, receiver.path));
  const stepped = intoFile ? written?.map((t) => ({ ...t, viaFile: true })) : written;
  // `open("gen.py", "w").write(code)` then `python gen.py`: the file's name now stands for the code.
  if (receiver.filePath !== undefined) it.writtenFiles.set(receiver.filePath, stepped!);
  else if (receiver.pathHolder !== undefined) taintPathHolder(it, receiver.pathHolder, stepped!);
  if (!isNameLike(objectNode)) return;
  updateInPlace(it, objectNode.text, withTaints(receiver, mergeTaints(receiver.taints, stepped)));
  taintInstanceAttribute(it, objectNode.text, stepped!);
}

/** A file object (`open(...)`, `tempfile.NamedTemporaryFile(...)`, entered by `with`): by its API path. */
function isFileObject(it: Interpreter, path: string | undefined): boolean {
  const call = path?.indexOf("()") ?? -1;
  return call > 0 && it.models.fileObjects.has(path!.slice(0, call));
}

export function evaluateArguments(it: Interpreter, argsNode: Node | null): Arguments {
  const args: Arguments = { positional: [], keywords: new Map(), splat: undefined };
  if (!argsNode) return args;
  if (argsNode.type === "generator_expression") {
    args.positional.push({ node: argsNode, value: evaluate(it, argsNode) });
    return args;
  }
  for (const child of argsNode.namedChildren) {
    if (child.type === "keyword_argument") {
      const name = child.childForFieldName("name")?.text;
      const valueNode = child.childForFieldName("value");
      if (name && valueNode)
        args.keywords.set(name, { node: valueNode, value: evaluate(it, valueNode), whole: child });
    } else if (child.type === "list_splat" || child.type === "dictionary_splat") {
      const value = evaluate(it, child);
      args.splat = { node: child, value: joinValues(args.splat?.value, value) };
    } else if (child.type !== "comment") {
      args.positional.push({ node: child, value: evaluate(it, child) });
    }
  }
  return args;
}

export function argumentTaints(
  args: Arguments,
  which: (number | string)[] | undefined,
): readonly Taint[] | undefined {
  let taints: readonly Taint[] | undefined;
  if (!which) {
    for (const arg of args.positional) taints = mergeTaints(taints, arg.value.taints);
    for (const arg of args.keywords.values()) taints = mergeTaints(taints, arg.value.taints);
    return mergeTaints(taints, args.splat?.value.taints);
  }
  for (const key of which) {
    const arg = typeof key === "number" ? args.positional[key] : args.keywords.get(key);
    taints = mergeTaints(taints, arg?.value.taints);
  }
  return mergeTaints(taints, args.splat?.value.taints);
}

export function sourceTaint(
  it: Interpreter,
  kind: ProvenanceKind,
  origin: string,
  node: Node | undefined,
): Taint {
  const steps: TraceStep[] = node ? [step(it, node, origin)] : [];
  return { kind: kind === "remote" || kind === "parameter" ? kind : "llm", origin, steps };
}
