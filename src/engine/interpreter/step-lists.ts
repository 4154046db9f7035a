// Lists of step objects handed to a constructor: `Pipeline(steps=[CodeGenerator(), CodeExecution()])`, then
// `for step in self._steps: data = step.execute(data).output` in a method. Inside the method's summary the
// list is only "what the constructor received" (`$init4`), so a call on one of its elements is pending
// (`$init4[].execute()`, see values.ts). Two things are decided where an instance is known:
// - what the call returns (injected.ts walks `[]` here: each element's class, joined), so a pipeline's run
//   returns what its generator step returned;
// - where the data handed to the call goes: the method's calls on elements whose arguments carry its
//   parameters or another element call's result (the value carried around the loop) are kept beside its
//   summary and replayed at each call on an instance built with a list, with that call's arguments, on
//   every element's class — so a step that executes its input runs the model's code another step made.
import type { Interpreter } from "../interpreter.js";
import { EMPTY, MAX_ALTERNATIVES, mergeTaints, type Taint, type Value } from "../values.js";
import { callAlternative } from "./alternatives.js";
import { note } from "./budget.js";
import { attributeOf } from "./classes.js";
import { substitute } from "./functions.js";
import { elementOf, step } from "./names.js";
import type { Arguments, ArgumentValue, FunctionInfo, Node } from "./state.js";

/** A call on an element of a constructor-received list, with what its arguments carried. */
interface ElementCall {
  /** Where the call is, to join a loop's passes (not the node: trees are released once summarised). */
  at: string;
  /** `$init4[].execute`: the element's method, from what the constructor received. */
  calleePath: string;
  positional: (readonly Taint[] | undefined)[];
  keywords: Map<string, readonly Taint[] | undefined>;
}

/** Element calls kept per function: a bound on what one method can hand on. */
const MAX_ELEMENT_CALLS = 8;
/** Element calls replayed inside one another (a pipeline of pipelines): followed this deep. */
const MAX_REPLAY_DEPTH = 3;

/** Step methods called by replays in one analysis: past it, the file is named as not fully analysed. */
const MAX_REPLAYED_CALLS = 4000;

const elementCalls = new WeakMap<FunctionInfo, ElementCall[]>();
const replayDepth = new WeakMap<Interpreter, number>();
const replayedCalls = new WeakMap<Interpreter, number>();

/** A value built from what a constructor received (`$init4`, `$init4[]`): its elements are pending too. */
export function isInjectedPath(path: string | undefined): path is string {
  return path !== undefined && /^\$init\d+/.test(path) && !path.includes("(");
}

/** What iterating over a constructor-received container yields: its element, decided per instance. */
export function injectedElement(value: Value): Value | undefined {
  if (!isInjectedPath(value.path) || value.items) return undefined;
  return value.taints ? { path: `${value.path}[]`, taints: value.taints } : { path: `${value.path}[]` };
}

/**
 * `enumerate(steps)`: pairs of an index and an element, so `for i, step in enumerate(steps)` binds the
 * element (a user object, or a constructor-received list's element) as iterating `steps` would.
 */
export function enumerated(iterable: Value | undefined, result: Value): Value {
  if (!iterable) return result;
  const element = injectedElement(iterable) ?? (iterable.items ? elementOf(iterable) : undefined);
  if (!element || (!element.path && !element.instance && !element.cls && !element.fn)) return result;
  return { ...result, items: [{ items: [EMPTY, element] }] };
}

/**
 * Inside a summary, `step.execute(data)` on an element of a constructor-received list: kept when its
 * arguments carry a parameter or a pending result, to be replayed where the instance is known.
 */
export function noteElementCall(it: Interpreter, node: Node, calleePath: string, args: Arguments): void {
  const owner = it.scope.owner;
  if (!owner || !calleePath.includes("[]")) return;
  const carried = (value: Value) => value.taints?.filter((t) => t.kind === "param" || t.kind === "pending");
  const positional = args.positional.map((a) => carried(a.value));
  const keywords = new Map([...args.keywords].map(([name, a]) => [name, carried(a.value)] as const));
  if (![...positional, ...keywords.values()].some((t) => t && t.length > 0)) return;
  const list = elementCalls.get(owner) ?? [];
  // A loop's passes call again at the same place: what each pass handed over is joined.
  const at = `${node.startIndex}:${node.endIndex}`;
  const same = list.find((c) => c.at === at);
  if (same) {
    positional.forEach((t, i) => {
      same.positional[i] = mergeTaints(same.positional[i], t);
    });
    for (const [name, t] of keywords) same.keywords.set(name, mergeTaints(same.keywords.get(name), t));
    return;
  }
  if (list.length >= MAX_ELEMENT_CALLS) return;
  list.push({ at, calleePath, positional, keywords });
  elementCalls.set(owner, list);
}

/**
 * At a call of `fn` on `boundSelf`: its element calls, with this call's arguments, on the elements of the
 * list the instance was built with. On an instance not known here (`self.run(q)` in another method), they
 * become the calling method's element calls.
 */
export function replayElementCalls(
  it: Interpreter,
  fn: FunctionInfo,
  bound: Map<number, ArgumentValue>,
  boundSelf: Value | undefined,
  call: Node,
  callName: string,
): void {
  const list = elementCalls.get(fn);
  if (!list) return;
  const depth = replayDepth.get(it) ?? 0;
  const replayed = replayedCalls.get(it) ?? 0;
  if (depth >= MAX_REPLAY_DEPTH || replayed >= MAX_REPLAYED_CALLS) {
    const why = depth >= MAX_REPLAY_DEPTH ? `nested more than ${MAX_REPLAY_DEPTH} deep` : "too many";
    note(
      it,
      call,
      "step-lists",
      `steps of \`${callName}()\` not followed (pipelines ${why}): flows through them not followed`,
      it.module.carrier ? "part" : undefined,
    );
    return;
  }
  replayDepth.set(it, depth + 1);
  try {
    for (const element of list) {
      const resolve = (taints: readonly Taint[] | undefined) =>
        substitute(it, taints, bound, call, callName, fn, boundSelf);
      const positional = element.positional.map(resolve);
      const keywords = new Map([...element.keywords].map(([name, t]) => [name, resolve(t)] as const));
      const match = /^\$init(\d+)(.*)\.(\w+)$/.exec(element.calleePath);
      const object = match ? boundSelf?.initArgs?.get(Number(match[1])) : undefined;
      if (!match || !boundSelf?.initArgs) {
        // Not decided here: the caller's own element calls, if the receiver is the caller's `self`.
        if (match && it.scope.owner?.cls && it.scope.owner.cls === fn.cls)
          noteElementCall(it, call, element.calleePath, argumentsOf(call, positional, keywords));
        continue;
      }
      if (!object) continue;
      // Data of an origin, or this caller's parameters (a sink the steps reach becomes the caller's).
      const carried = [...positional, ...keywords.values()].some((t) => t?.some((x) => x.kind !== "pending"));
      if (!carried) continue;
      const passed = step(it, call, `handed to each step of \`${callName.replace(/\.\w+$/, "")}\``);
      const args = argumentsOf(
        call,
        positional.map((t) => t?.map((x) => ({ ...x, steps: [...x.steps, passed] }))),
        keywords,
      );
      const calleeNode = call.childForFieldName("function") ?? call;
      for (const target of receivers(it, object, match[2]!)) {
        const method = attributeOf(it, target, match[3]!);
        if (!method.fn && !method.cls) continue;
        replayedCalls.set(it, (replayedCalls.get(it) ?? 0) + 1);
        callAlternative(it, method, args, call, calleeNode);
      }
    }
  } finally {
    replayDepth.set(it, depth);
  }
}

/** How a trace names a list of the project's objects: `[PromptGeneration, CodeGenerator, …]`. */
export function listOfObjects(value: Value): string {
  const names = (value.items ?? []).map((item) => (item.instance ?? item.cls ?? item.fn)?.name ?? "…");
  return names.length > 3 ? `[${names.slice(0, 3).join(", ")}, …]` : `[${names.join(", ")}]`;
}

/** The objects `rest` (`[]`, `[].runner`) leads to from what the constructor received, each class once. */
export function receivers(it: Interpreter, start: Value, rest: string): Value[] {
  let current: Value[] = [start];
  for (const match of rest.matchAll(/\.(\w+)|(\[\])/g)) {
    const next: Value[] = [];
    for (const value of current) {
      const reached = match[1] !== undefined ? attributeOf(it, value, match[1]) : elementOf(value);
      for (const candidate of [reached, ...(reached.alternatives ?? [])])
        if (next.length < MAX_ALTERNATIVES) next.push(candidate);
    }
    current = next;
  }
  return current;
}

function argumentsOf(
  call: Node,
  positional: (readonly Taint[] | undefined)[],
  keywords: Map<string, readonly Taint[] | undefined>,
): Arguments {
  const value = (taints: readonly Taint[] | undefined): Value => (taints ? { taints } : EMPTY);
  return {
    positional: positional.map((t) => ({ node: call, value: value(t) })),
    keywords: new Map([...keywords].map(([name, t]) => [name, { node: call, value: value(t) }] as const)),
    splat: undefined,
  };
}

/**
 * A field the constructor stored from a parameter (`self.output = output`) read on an instance built here
 * (`LogicUnitOutput(code).output`): the data it was built with. Only data of a known origin: placeholders
 * belong to the summary that built the instance.
 */
export function constructorField(object: Value, member: Value): Value {
  const match = member.path !== undefined ? /^\$init(\d+)$/.exec(member.path) : null;
  const arg = match ? object.initArgs?.get(Number(match[1])) : undefined;
  const data = arg?.taints?.filter((t) => t.kind !== "param" && t.kind !== "pending");
  if (!data || data.length === 0) return member;
  return { ...member, taints: mergeTaints(member.taints, data) ?? [] };
}

/**
 * A field of a pending call's result (`step.execute(data).output`): the pending call now names the field,
 * so the result is decided on it (the object a step returns is rarely the data itself).
 */
export function pendingField(object: Value, attribute: string, taints: readonly Taint[] | undefined) {
  // Only on a list's elements: a field of a single injected object's result stays its call's (the models
  // know `ChatModel().invoke()`, not every field of what it returns).
  if (!taints || object.path === undefined || !/^\$init\d+\[\]/.test(object.path)) return taints;
  return taints.map((t) =>
    t.kind === "pending" && t.pendingPath === object.path
      ? { ...t, pendingPath: `${object.path}.${attribute}` }
      : t,
  );
}
