// Abstract values: what the interpreter knows about an expression without running it.
import type { Location, ProvenanceKind, TraceStep } from "./types.js";

/**
 * `param`: "whatever the caller passes as parameter N" (replaced at each call site).
 * `pending`: the result of calling something on an object the constructor received (`self.llm.invoke()`
 * after `self.llm = llm`): model output or not depending on what each instance was built with.
 */
export type TaintKind = Exclude<ProvenanceKind, "constant" | "unknown"> | "param" | "pending";

/** Data from one origin, and how it travelled. `param` taints stand for "whatever the caller passes". */
export interface Taint {
  kind: TaintKind;
  /** For `param`: the parameter's index in the function being summarised. */
  param?: number;
  /** Human description of the origin: "output of `client.chat.completions.create`". */
  origin: string;
  steps: readonly TraceStep[];
  /** For `param`: where the parameter is declared. */
  at?: Location;
  /**
   * For `param`: what was read from or called on the parameter to give this value (`()`, `.graph()()`,
   * `.run()`). A caller that passes one of the project's objects gets what that path yields on the object
   * (interpreter/object-paths.ts); a caller that passes tainted data, its taint as for any parameter.
   */
  via?: string;
  /** For `pending`: the API path with the constructor argument as its root, e.g. `$init1.invoke()`. */
  pendingPath?: string;
  /**
   * For `pending`: the call has a model wrapper's shape (`self.llm.chat_completion`). If no construction in
   * the scanned code decides the object (a framework builds it), the hit is reported as model output.
   */
  wrapperShape?: string;
  /**
   * The data is in a file this value names (written to it, or to the file object it is the name of): it runs
   * only where the file is run or imported, not where its name is an argument (`semgrep {path}`).
   */
  viaFile?: boolean;
}

export interface Value {
  /** API path of the value, e.g. `subprocess.run` or `openai.OpenAI().chat`. */
  path?: string;
  taints?: readonly Taint[];
  /** Constant value when the expression is a literal. */
  literal?: string | number | boolean | null;
  /** The result of a payload validator (or a field of it): conditions on it verify the payload. */
  verdict?: boolean;
  /** For objects a library call built: the literal keyword arguments it was given. */
  builtWith?: Readonly<Record<string, string | number | boolean | null>>;
  /** For file objects and paths: the literal path they were opened with. */
  filePath?: string;
  /** For file objects opened with a computed path: the name holding it (`path`, `self.path`). */
  pathHolder?: string;
  /** Built from literals only (`open("model.pkl")`, `os.path.join("a", "b")`). */
  constant?: boolean;
  /** Elements of a list/tuple literal (kept for argument-vector checks and unpacking). */
  items?: readonly Value[];
  /** A user-defined function, lambda or bound method. */
  fn?: FunctionRef;
  /** A user-defined class (calling it makes an instance). */
  cls?: ClassRef;
  /** An instance of a user-defined class. */
  instance?: ClassRef;
  /** A module of the scanned set. */
  module?: ModuleRef;
  /** The receiver a method was read from, for bound methods. */
  boundSelf?: Value;
  /** Subclass methods that may run instead of `fn` (a call on `self` dispatches on the real class). */
  overrides?: readonly FunctionRef[];
  /** For instances of user classes: what the constructor received, by parameter index. */
  initArgs?: ReadonlyMap<number, Value>;
  /** A mapping whose values are functions (`TOOLS = {"calc": calc}`): a lookup picks one of them. */
  dispatch?: readonly { key: string | undefined; value: Value }[];
  /**
   * Other objects this value may be (a factory's branches, a registry's entries, a list of steps): each an
   * instance, class or function value without alternatives of its own, at most MAX_ALTERNATIVES. Calls
   * dispatch to each (see interpreter/alternatives.ts).
   */
  alternatives?: readonly Value[];
  /** An instance known only by a declared type (an annotation, a type row): it may be any subclass. */
  declared?: boolean;
  /** For containers of user objects (`{"a": A, "b": B}`): what a lookup in it may give. */
  entries?: Value;
  /** A dict with the keys of a chat API's request body (see interpreter/chat-requests.ts). */
  chatRequest?: boolean;
  /** A module loaded by a computed name (interpreter/loaded-modules.ts): the scan cannot see it. */
  loaded?: boolean;
  /** Read by name from such a module: a scanned class or function of that name stands for it. */
  template?: boolean;
}

// Opaque handles; the interpreter owns the structures behind them.
export interface FunctionRef {
  readonly kind: "function";
  readonly name: string;
}
export interface ClassRef {
  readonly kind: "class";
  readonly name: string;
}
export interface ModuleRef {
  readonly kind: "module";
  readonly name: string;
}

export const EMPTY: Value = Object.freeze({});
const MAX_TAINTS = 4;
const MAX_STEPS = 14;

export function isTainted(value: Value | undefined): boolean {
  return value?.taints !== undefined && value.taints.length > 0;
}

export function mergeTaints(
  a: readonly Taint[] | undefined,
  b: readonly Taint[] | undefined,
): readonly Taint[] | undefined {
  if (!a || a.length === 0) return b && b.length > 0 ? b : undefined;
  if (!b || b.length === 0 || a === b) return a;
  // Most joins add nothing new (a loop's second pass, a branch that kept the value): no copy then.
  let first = 0;
  while (first < b.length && addsNothing(a, b[first]!)) first++;
  if (first === b.length && a.length <= MAX_TAINTS) return a;
  const out = [...a];
  for (let i = first; i < b.length; i++) {
    const taint = b[i]!;
    if (out.length >= MAX_TAINTS && !out.some((t) => t.kind !== taint.kind)) break;
    const same = out.findIndex((t) => sameOrigin(t, taint));
    if (same < 0) out.push(taint);
    // One taint per parameter: a path that calls something on it says more than one that does not.
    else if (calls(taint.via) && !calls(out[same]!.via)) out[same] = taint;
  }
  return out.length > MAX_TAINTS ? keepStrongest(out) : out;
}

/** `taint` is already in `taints`, by an entry that `mergeTaints` would keep. */
function addsNothing(taints: readonly Taint[], taint: Taint): boolean {
  for (const t of taints) if (sameOrigin(t, taint)) return !calls(taint.via) || calls(t.via);
  return false;
}

function calls(via: string | undefined): boolean {
  return via?.includes("()") === true;
}

function sameOrigin(a: Taint, b: Taint): boolean {
  return a.kind === b.kind && a.param === b.param && a.origin === b.origin;
}

const STRENGTH: Record<TaintKind, number> = { llm: 0, remote: 1, param: 2, pending: 2, parameter: 3 };

function keepStrongest(taints: Taint[]): Taint[] {
  return [...taints].sort((x, y) => STRENGTH[x.kind] - STRENGTH[y.kind]).slice(0, MAX_TAINTS);
}

/** The join of two values at a control-flow merge: taint from either, identity only when both agree. */
export function joinValues(a: Value | undefined, b: Value | undefined): Value {
  if (!a) return b ?? EMPTY;
  if (!b || a === b) return a;
  const taints = mergeTaints(a.taints, b.taints);
  const joined: Value = {};
  const path = a.path ?? b.path;
  if (path !== undefined) joined.path = path;
  if (taints) joined.taints = taints;
  const fn = a.fn ?? b.fn;
  if (fn) joined.fn = fn;
  const cls = a.cls ?? b.cls;
  if (cls) joined.cls = cls;
  const instance = a.instance ?? b.instance;
  if (instance) joined.instance = instance;
  if ((a.instance ? a : b).declared) joined.declared = true;
  const module = a.module ?? b.module;
  if (module) joined.module = module;
  if (a.boundSelf ?? b.boundSelf) joined.boundSelf = (a.boundSelf ?? b.boundSelf)!;
  if (a.initArgs ?? b.initArgs) joined.initArgs = (a.initArgs ?? b.initArgs)!;
  if (a.literal !== undefined && a.literal === b.literal) joined.literal = a.literal;
  const alternatives = joinAlternatives(a, b);
  if (alternatives) joined.alternatives = alternatives;
  if (a.entries ?? b.entries) joined.entries = joinValues(a.entries, b.entries);
  if (a.chatRequest || b.chatRequest) joined.chatRequest = true;
  if (a.loaded || b.loaded) joined.loaded = true;
  if (a.template || b.template) joined.template = true;
  return joined;
}

/** Several classes for one value are kept up to this many; more are dropped (the first ones are kept). */
export const MAX_ALTERNATIVES = 8;

/** The user object a value stands for (an instance's class, a class, a function), for identity. */
export function objectOf(value: Value): FunctionRef | ClassRef | undefined {
  return value.instance ?? value.cls ?? value.fn;
}

/** One of several objects a value may be: its object and what a call on it needs, without taint. */
function alternativeOf(value: Value): Value {
  const out: Value = {};
  if (value.instance) out.instance = value.instance;
  else if (value.cls) out.cls = value.cls;
  else if (value.fn) out.fn = value.fn;
  if (value.path !== undefined) out.path = value.path;
  if (value.boundSelf) out.boundSelf = value.boundSelf;
  if (value.initArgs) out.initArgs = value.initArgs;
  if (value.overrides) out.overrides = value.overrides;
  return out;
}

/**
 * The objects `b` may be that `a`'s primary object is not: a join of `A()` and `B()` is an `A` that may
 * be a `B`. Bounded, so a loop over a registry cannot grow it without end.
 */
function joinAlternatives(a: Value, b: Value): readonly Value[] | undefined {
  const primary = objectOf(a);
  if (!primary || !objectOf(b)) return a.alternatives ?? b.alternatives;
  if (!a.alternatives && !b.alternatives && primary === objectOf(b)) return undefined;
  const out: Value[] = [];
  const seen = new Set<FunctionRef | ClassRef>([primary]);
  for (const candidate of [...(a.alternatives ?? []), b, ...(b.alternatives ?? [])]) {
    const object = objectOf(candidate);
    if (!object || seen.has(object) || out.length >= MAX_ALTERNATIVES - 1) continue;
    seen.add(object);
    out.push(alternativeOf(candidate));
  }
  return out.length > 0 ? out : undefined;
}

export function withTaints(value: Value, taints: readonly Taint[] | undefined): Value {
  if (!taints || taints.length === 0) {
    if (!value.taints) return value;
    const { taints: _drop, ...rest } = value;
    return rest;
  }
  return { ...value, taints };
}

/** Only the taint of a value, for results that are new objects derived from it. */
export function taintOnly(taints: readonly Taint[] | undefined): Value {
  return taints && taints.length > 0 ? { taints } : EMPTY;
}

export function addStep(taints: readonly Taint[] | undefined, step: TraceStep): readonly Taint[] | undefined {
  if (!taints) return undefined;
  return taints.map((taint) => ({ ...taint, steps: appendStep(taint.steps, step) }));
}

export function appendStep(steps: readonly TraceStep[], step: TraceStep): readonly TraceStep[] {
  const last = steps[steps.length - 1];
  if (
    steps.length > 1 &&
    last &&
    last.location.startLine === step.location.startLine &&
    last.location.path === step.location.path
  ) {
    // One line, one step: `code = r.choices[0].message.content` is a single hop for a reader.
    return [...steps.slice(0, -1), step];
  }
  if (steps.length < MAX_STEPS) return [...steps, step];
  return [...steps.slice(0, 1), ...steps.slice(steps.length - MAX_STEPS + 2), step];
}
