// Sink checks: whether a call of a modelled sink meets its conditions, which argument is the input and what
// taint reaches it, and the SinkHit the rules judge (spans for fixes, constant input, validation).
import type { Interpreter } from "../interpreter.js";
import type { ArgumentCondition, MethodSinkModel, SinkModel } from "../models.js";
import type { SinkHit } from "../rule.js";
import { EMPTY, isTainted, mergeTaints, type Taint, type Value, withTaints } from "../values.js";
import { isValidated } from "./guards.js";
import { locationOf, spanOf } from "./names.js";
import type { Arguments, ArgumentValue, Node } from "./state.js";
import { writtenModuleTaints } from "./written-files.js";

export function builtWithHolds(
  condition: ArgumentCondition,
  builtWith: Readonly<Record<string, string | number | boolean | null>> | undefined,
): boolean {
  const value = condition.keyword !== undefined ? builtWith?.[condition.keyword] : undefined;
  if (value === undefined) return false;
  if (condition.equals !== undefined) return value === condition.equals;
  if (condition.in) return typeof value === "string" && condition.in.includes(value);
  return true;
}

export function checkSink(
  it: Interpreter,
  sink: SinkModel | MethodSinkModel,
  call: Node,
  calleeNode: Node,
  args: Arguments,
  receiver: Value | undefined,
): void {
  if (!sink.onlyIf.every((condition) => holds(condition, args))) return;
  if (sink.unless.some((condition) => holds(condition, args))) return;
  if (sink.receiverOnlyIf && !sink.receiverOnlyIf.every((c) => builtWithHolds(c, receiver?.builtWith)))
    return;
  const inputs = sinkInputs(sink, args);
  // `Unpickler(f).load()`, `sock.recv_pyobj()`: without an argument, the object read from is the input.
  const receiverNode = calleeNode.childForFieldName("object");
  if (sink.args.length === 0 && receiver && receiverNode)
    inputs.push({ node: receiverNode, value: receiver });
  let reached: readonly Taint[] | undefined;
  let first = inputs[0];
  // `create_subprocess_exec("git", "commit", "-m", message)`, `os.execlp("git", ...)`: a program named by a
  // literal runs whatever its arguments say only if it is an interpreter (`"python", "-c", code`), as in a
  // list command. The arguments of any other program are its data.
  const program = sink.category === "process" && sink.vararg ? inputs[0]?.value : undefined;
  if (program && typeof program.literal === "string" && inputs.length > 1) {
    reached = dangerousTaints(it, sink, { items: inputs.map((i) => i.value) }, args);
    first = inputs.slice(1).find((input) => isTainted(input.value)) ?? inputs[1];
  } else {
    for (const input of inputs) {
      const taints = commandTaints(it, sink, dangerousTaints(it, sink, input.value, args), input.node);
      if (taints && !reached) first = input;
      reached = mergeTaints(reached, taints);
    }
  }
  if (!reached && !sink.rule) return;
  const inputValue = first?.value ?? EMPTY;
  reportHit(
    it,
    sink,
    call,
    calleeNode,
    calleeNode.text,
    inputs,
    args.keywords,
    withTaints(inputValue, reached),
    first?.node,
  );
}

/**
 * A command line (`f"cd {tmp} && semgrep {path}"`) that names a file holding model output runs that file
 * only if an interpreter in its words does: elsewhere the name is data. A bare value (`subprocess.run(path)`,
 * `os.startfile(path)`) is the program itself, and runs the file.
 */
function commandTaints(
  it: Interpreter,
  sink: SinkModel | MethodSinkModel,
  taints: readonly Taint[] | undefined,
  node: Node | undefined,
): readonly Taint[] | undefined {
  if (sink.category !== "process" || !node || !taints?.some((t) => t.viaFile)) return taints;
  const words = node
    .descendantsOfType("string_content")
    .flatMap((part) => part.text.split(/[\s;&|()<>'"`]+/))
    .filter((word) => word !== "");
  if (words.length === 0) return taints;
  if (words.some((word) => isInterpreter(it, word))) return taints;
  const kept = taints.filter((t) => !t.viaFile);
  return kept.length > 0 ? kept : undefined;
}

/** `python3`, `/bin/sh`, `sys.executable`: a program that runs the code its arguments give it. */
function isInterpreter(it: Interpreter, program: string): boolean {
  return it.models.interpreters.has(program) || it.models.interpreters.has(program.split("/").pop()!);
}

/** The input's taint that makes this call dangerous, by the sink's category. */
export function dangerousTaints(
  it: Interpreter,
  sink: SinkModel | MethodSinkModel,
  value: Value,
  args: Arguments,
): readonly Taint[] | undefined {
  if (sink.category === "import" && typeof value.literal === "string" && !value.taints)
    return writtenModuleTaints(it, value.literal);
  if (sink.category !== "process") return value.taints;
  const shell = args.keywords.get("shell")?.value;
  if (shell && shell.literal !== false && shell.literal !== null && shell.literal !== 0) {
    if (shell.literal === true || isTainted(shell)) return value.taints;
  }
  if (!value.items) return value.taints;
  const [program, ...rest] = value.items;
  if (!program) return undefined;
  if (isTainted(program)) return program.taints;
  const named = typeof program.literal === "string" ? program.literal : program.path;
  if (named !== undefined && isInterpreter(it, named)) {
    let taints: readonly Taint[] | undefined;
    for (const item of rest) taints = mergeTaints(taints, item.taints);
    return taints;
  }
  return undefined;
}

export function sinkInputs(sink: SinkModel | MethodSinkModel, args: Arguments): ArgumentValue[] {
  const inputs: ArgumentValue[] = [];
  for (const key of sink.args) {
    const arg = typeof key === "number" ? args.positional[key] : args.keywords.get(key);
    if (arg) inputs.push(arg);
  }
  if (sink.vararg) {
    const numeric = sink.args.filter((a): a is number => typeof a === "number");
    const from = numeric.length > 0 ? Math.max(...numeric) + 1 : 0;
    inputs.push(...args.positional.slice(from));
  }
  if (args.splat) inputs.push(args.splat);
  return inputs;
}

export function holds(condition: ArgumentCondition, args: Arguments): boolean {
  const arg =
    (condition.keyword !== undefined ? args.keywords.get(condition.keyword) : undefined) ??
    (condition.position !== undefined ? args.positional[condition.position] : undefined);
  if (condition.absent) return arg === undefined && !args.splat;
  if (!arg) return false;
  if (condition.truthy) {
    const literal = arg.value.literal;
    return literal !== false && literal !== null && literal !== 0 && literal !== "";
  }
  if (condition.equals !== undefined) return arg.value.literal === condition.equals;
  if (condition.in) {
    const value = arg.value;
    const candidates = [value.path, typeof value.literal === "string" ? value.literal : undefined];
    return candidates.some((c) => c !== undefined && condition.in!.includes(c));
  }
  return true;
}

export function reportHit(
  it: Interpreter,
  sink: SinkModel | MethodSinkModel,
  call: Node,
  calleeNode: Node,
  callee: string,
  inputs: ArgumentValue[],
  keywords: Map<string, ArgumentValue & { whole?: Node }>,
  input: Value,
  inputNode?: Node,
): void {
  const target = inputNode ?? inputs[0]?.node ?? call;
  const argsNode = call.childForFieldName("arguments");
  const positionalCount = (argsNode?.namedChildren ?? []).filter(
    (c) => c.type !== "keyword_argument" && c.type !== "comment",
  ).length;
  const keywordSpans: SinkHit["keywordSpans"] = {};
  for (const [name, arg] of keywords) {
    const whole = (arg as { whole?: Node }).whole ?? arg.node;
    if (!whole || !arg.node) continue;
    const previous = whole.previousNamedSibling;
    // Removing a keyword removes the comma before it too.
    const removal = previous
      ? {
          ...spanOf(whole),
          startLine: previous.endPosition.row + 1,
          startColumn: previous.endPosition.column + 1,
        }
      : spanOf(whole);
    keywordSpans[name] = { span: spanOf(whole), removal, valueText: arg.node.text };
  }
  const lastArg = argsNode?.namedChildren.at(-1);
  const hit: SinkHit = {
    sink,
    location: locationOf(it, target),
    callLocation: locationOf(it, call),
    callee,
    inputText: target.text.replace(/\s+/g, " ").slice(0, 200),
    scopeName: it.scope.owner?.qualname ?? "<module>",
    taints: input.taints ?? [],
    constantInput: inputs.length > 0 && inputs.every((i) => isConstantInput(it, i.value)),
    validated: isValidated(it),
    gateKeywordAbsent:
      "gateKeyword" in sink && sink.gateKeyword !== undefined
        ? !keywords.has(sink.gateKeyword) &&
          (sink.gatePosition === undefined || positionalCount <= sink.gatePosition)
        : false,
    argumentCount: argsNode?.namedChildren.length ?? 0,
    calleeSpan: spanOf(calleeNode),
    keywordSpans,
    argumentsEnd: lastArg ? spanOf(lastArg) : argsNode ? spanOf(argsNode) : spanOf(call),
    hasArguments: (argsNode?.namedChildren.length ?? 0) > 0,
  };
  recordHit(it, hit);
}

export function isConstantInput(it: Interpreter, value: Value): boolean {
  if (isTainted(value)) return false;
  if (value.literal !== undefined || value.constant) return true;
  if (value.items) return value.items.every((item) => isConstantInput(it, item));
  return false;
}

/** Hits reached by a parameter also go into the summary, to be replayed at each call site. */
export function recordHit(it: Interpreter, hit: SinkHit): void {
  const paramTaints = hit.taints.filter((t) => t.kind === "param" || t.kind === "pending");
  if (paramTaints.length > 0) {
    const summaryHits = it.scope.summaryHits;
    const key = `${hit.location.path}:${hit.location.startLine}:${hit.location.startColumn}`;
    if (
      summaryHits &&
      !summaryHits.some((h) => `${h.location.path}:${h.location.startLine}:${h.location.startColumn}` === key)
    ) {
      summaryHits.push({ ...hit, taints: paramTaints });
    }
    // Inside the function itself the data is "a parameter of a function callers can reach".
    const owner = it.scope.owner;
    const publicParam = owner && !owner.name.startsWith("_") && !owner.isLambda;
    const concrete = hit.taints
      .filter((t) => t.kind !== "param" && t.kind !== "pending")
      .concat(
        publicParam
          ? paramTaints
              .filter((t) => t.kind === "param")
              .slice(0, 1)
              .map((t) => ({
                ...t,
                kind: "parameter" as const,
                steps: [{ location: t.at ?? hit.location, note: t.origin }],
              }))
          : [],
      );
    it.hits.push({ ...hit, taints: concrete });
    return;
  }
  it.hits.push(hit);
}
