// User classes: definitions, members and inheritance, instances (a library base makes an instance behave as
// that library's object), and overrides in subclasses found by class hierarchy analysis.
import type { Interpreter } from "../interpreter.js";
import type { PythonModule } from "../modules.js";
import { addStep, MAX_ALTERNATIVES, mergeTaints, type Value, withTaints } from "../values.js";
import { argumentTaints } from "./calls.js";
import { evaluate } from "./expressions.js";
import { bindArguments, callFunction, qualify, summarise } from "./functions.js";
import { noteFieldRead } from "./fields.js";
import { externalPath, findModule, moduleRef, moduleScope, moduleScopeVars } from "./imports.js";
import { bind, step } from "./names.js";
import { templatesNamed } from "./loaded-modules.js";
import { inProgressModule } from "./import-cycles.js";
import { extendVia, isPlaceholder } from "./object-paths.js";
import {
  type Arguments,
  type ClassInfo,
  type FunctionInfo,
  type ModuleInfo,
  type Node,
  Scope,
} from "./state.js";
import { execBlock } from "./statements.js";
import { constructorField, pendingField } from "./step-lists.js";

// Bases are read up to 300 characters: an unbounded `[^)]*` rescans the rest of the file at every
// unclosed `class A(` (quadratic on hostile input).
const CLASS_HEADER = /^[ \t]*class[ \t]+(\w+)[ \t]*\(([^)]{0,300})\)/gm;

/**
 * Methods of subclasses that override `name` (class hierarchy analysis): `self.submit_prompt()` in a base
 * class runs whichever subclass's version the object has, e.g. one that calls an LLM.
 */
export function overridesOf(it: Interpreter, cls: ClassInfo, name: string): FunctionInfo[] {
  const known = cls.overridesByName?.get(name);
  if (known) return known;
  const { found, complete } = collectOverrides(it, cls, name, 0);
  // Asked at every method read on an object of the class: remembered once every subclass is defined.
  if (complete) {
    cls.overridesByName ??= new Map();
    cls.overridesByName.set(name, found);
  }
  return found;
}

function collectOverrides(
  it: Interpreter,
  cls: ClassInfo,
  name: string,
  depth: number,
): { found: FunctionInfo[]; complete: boolean } {
  if (depth > 3) return { found: [], complete: true };
  const found: FunctionInfo[] = [];
  let complete = true;
  for (const entry of it.subclassIndex.get(cls.name) ?? []) {
    // Only overrides that can return model output, or hold a sink the base's callers may feed (an
    // entry: `evaluate_problem` that execs what it is given), are worth interpreting another module for.
    if (!entry.module.carrier && !entry.module.entry) continue;
    const scope = entry.module === it.module ? it.scope : moduleScope(it, entry.module);
    const sub = (scope.vars.get(entry.className) ?? moduleScopeVars(entry.module)?.get(entry.className))
      ?.cls as ClassInfo | undefined;
    // A subclass in a module still being read (an import cycle) may add an override later; one whose
    // module could not be read here (calls nested too deep) may be found from elsewhere.
    if (!sub && (inProgressModule(it, entry.module) || !entry.module.scope)) complete = false;
    if (!sub || sub === cls || !sub.bases.some((b) => b.cls === cls)) continue;
    const method = sub.methods.get(name);
    if (method) found.push(method);
    const deeper = collectOverrides(it, sub, name, depth + 1);
    found.push(...deeper.found);
    complete &&= deeper.complete;
  }
  return { found, complete };
}

export function defineClass(it: Interpreter, node: Node, _decorators: Value[]): void {
  const name = node.childForFieldName("name")?.text ?? "<class>";
  const superclasses = node.childForFieldName("superclasses");
  const bases = (superclasses?.namedChildren ?? [])
    .filter((c) => c.type !== "keyword_argument")
    .map((c) => evaluate(it, c));
  const qualname = qualify(it, name);
  const scope = new Scope("class", it.scope, undefined, qualname);
  const cls: ClassInfo = {
    kind: "class",
    name,
    qualname,
    module: it.module,
    scope,
    methods: new Map(),
    attrs: new Map(),
    bases,
    attrsReady: false,
  };
  const saved = { scope: it.scope, cls: it.classOfScope };
  it.scope = scope;
  it.classOfScope = cls;
  try {
    const body = node.childForFieldName("body");
    if (body) execBlock(it, body);
  } finally {
    it.scope = saved.scope;
    it.classOfScope = saved.cls;
  }
  for (const [key, value] of scope.vars) if (!value.fn) cls.attrs.set(key, value);
  bind(it, name, { cls }, node);
}

export function attributeOf(it: Interpreter, object: Value, attribute: string): Value {
  // A module loaded by a computed name: the project's definitions of that name, if any (it stays as
  // tainted as the name it was loaded by). Only where model output can travel, as for imports (findModule):
  // elsewhere the modules it would interpret (every `def open` of the standard library) cannot matter.
  const mod = it.module;
  const followed = mod.carrier || mod.sinkForCarriers || mod.towardSinks;
  const template = object.loaded && followed ? templatesNamed(it, attribute) : undefined;
  if (template?.cls || template?.fn) return withTaints(template, object.taints);
  if (object.module) {
    const mod = (object.module as ModuleInfo).source;
    const exported = moduleScope(it, mod).vars.get(attribute);
    if (exported)
      return exported.fn || exported.cls
        ? { ...exported, path: `${object.path ?? mod.name}.${attribute}` }
        : exported;
    const sub = findModule(it, `${mod.name}.${attribute}`, it.module);
    if (sub) return { module: moduleRef(it, sub), path: `${object.path ?? mod.name}.${attribute}` };
  }
  if (object.instance) {
    const member = memberOf(it, object.instance as ClassInfo, attribute);
    if (member?.fn) {
      // `self` may be any subclass; an object built here is exactly its class.
      let overrides = object.initArgs ? [] : overridesOf(it, object.instance as ClassInfo, attribute);
      // A declared type that more than a few subclasses override (`todo: Action`) says too little about
      // which one runs: its own method only (`self` inside the class still dispatches to every override).
      if (object.declared && overrides.length > MAX_ALTERNATIVES) overrides = [];
      return overrides.length > 0
        ? { fn: member.fn, boundSelf: object, overrides }
        : { fn: member.fn, boundSelf: object };
    }
    // A field of what the caller passed (`msg: Message`, then `msg.content`) is what the caller passed.
    if (member) {
      const field = constructorField(object, member);
      return object.taints ? withTaints(field, mergeTaints(field.taints, object.taints)) : field;
    }
  }
  if (object.cls) {
    const member = memberOf(it, object.cls as ClassInfo, attribute);
    if (member) return member;
    // `class Plan(BaseModel)`: `Plan.model_validate_json` is the library's classmethod.
    const base = (object.cls as ClassInfo).bases.find((b) => b.path !== undefined)?.path;
    if (base !== undefined) return externalPath(it, `${base}.${attribute}`);
  }
  const path = object.path !== undefined ? `${object.path}.${attribute}` : undefined;
  const result: Value = path !== undefined ? externalPath(it, path) : {};
  if (object.verdict) result.verdict = true;
  // `optimizer.graph` on a parameter: the path is kept for callers that pass an object (object-paths.ts);
  // a field of a step list's element stays pending on it (step-lists.ts).
  const own = isPlaceholder(object)
    ? extendVia(object.taints!, `.${attribute}`)
    : pendingField(object, attribute, object.taints);
  const taints = mergeTaints(own, result.taints);
  return withTaints(result, taints);
}

export function memberOf(it: Interpreter, cls: ClassInfo, attribute: string, depth = 0): Value | undefined {
  if (depth > 8) return undefined;
  const method = cls.methods.get(attribute);
  if (method) return { fn: method };
  ensureAttributes(it, cls);
  noteFieldRead(it, cls, attribute);
  const attr = cls.attrs.get(attribute);
  if (attr) return attr;
  for (const base of cls.bases) {
    if (base.cls) {
      const inherited = memberOf(it, base.cls as ClassInfo, attribute, depth + 1);
      if (inherited) return inherited;
    }
  }
  return undefined;
}

/**
 * `__init__` runs before any other method can read `self.x`, so it is summarised first. Attributes that
 * other methods set arrive as those methods are summarised (in file order at the latest); summarising
 * them here, in the middle of another method, would freeze half-computed summaries.
 */
export function ensureAttributes(it: Interpreter, cls: ClassInfo): void {
  if (cls.attrsReady) return;
  cls.attrsReady = true;
  const init = cls.methods.get("__init__");
  if (init) summarise(it, init);
}

export function instantiate(
  it: Interpreter,
  cls: ClassInfo,
  args: Arguments,
  call: Node,
  calleeNode: Node,
): Value {
  it.builtClasses.add(cls);
  let instance = selfValue(it, cls);
  // A subclass that keeps its base's constructor (`class OpenAi(BaseLlm)`) is built by that one.
  const init = (cls.methods.get("__init__") ?? memberOf(it, cls, "__init__")?.fn) as FunctionInfo | undefined;
  if (!init) {
    // No constructor in the scanned code (a dataclass, a pydantic model, a NamedTuple): its fields are
    // what it was built with (`Message(content=reply)`), without telling one field from another.
    const taints = argumentTaints(args, undefined);
    if (taints)
      instance = { ...instance, taints: addStep(taints, step(it, call, `built into \`${cls.name}\``))! };
  }
  if (init) {
    const initArgs = new Map<number, Value>();
    for (const [index, arg] of bindArguments(init, instance, args))
      if (index > 0) initArgs.set(index, passedOn(it, arg.value, arg.node));
    instance = { ...instance, initArgs };
    callFunction(it, init, instance, args, call, calleeNode);
  }
  return instance;
}

/**
 * In a constructor, an object built with one of its parameters (`self.planner = Planner(llm)`) was built
 * with whatever the enclosing object was built with: `$initN`, decided where that object is built.
 */
function passedOn(it: Interpreter, value: Value, node: Node | undefined): Value {
  if (value.path !== undefined || it.scope.owner?.name !== "__init__") return value;
  // Only the parameter itself (`llm`, `self.llm`), not something derived from it (`llm.name`).
  if (node?.type !== "identifier" && !/^self\.\w+$/.test(node?.text ?? "")) return value;
  const param = value.taints?.find((t) => t.kind === "param");
  return param ? { ...value, path: `$init${param.param}` } : value;
}

export function selfValue(it: Interpreter, cls: ClassInfo): Value {
  const path = instancePath(it, cls);
  return path ? { instance: cls, path } : { instance: cls };
}

/**
 * A subclass of a library class behaves as that class for the methods it does not define, except one that
 * overrides the library's documented way to restrict it (an Unpickler's `find_class`: restricting_overrides).
 */
export function instancePath(it: Interpreter, cls: ClassInfo): string | undefined {
  const externalBase = cls.bases.find((b) => b.path !== undefined);
  if (!externalBase?.path) return undefined;
  const path = externalBase.path;
  if (it.models.restrictingOverrides.some((o) => cls.methods.has(o.method) && path.endsWith(o.baseEndsWith)))
    return undefined;
  return `${path}()`;
}

/** Fills `index` with the subclasses each module's text declares, by the last name of each base. */
export function indexSubclasses(
  index: Map<string, { module: PythonModule; className: string }[]>,
  modules: readonly PythonModule[],
): void {
  for (const mod of modules) {
    for (const match of mod.text.matchAll(CLASS_HEADER)) {
      for (const base of match[2]!.split(",")) {
        const name = base.replace(/\[.*$/s, "").trim().split(".").pop();
        if (!name || name.includes("=")) continue;
        const list = index.get(name) ?? [];
        list.push({ module: mod, className: match[1]! });
        index.set(name, list);
      }
    }
  }
}
