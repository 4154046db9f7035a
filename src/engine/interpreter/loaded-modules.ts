// Modules loaded by a computed name (`__import__(f"{path}.round_{n}.graph", fromlist=[""])`,
// `importlib.import_module(name)`: the `module_loaders` rows). The module is one the scan cannot see: a
// workflow a model generated, a plugin chosen at run time. What is read from it by name (`getattr(mod,
// "Workflow")`, `mod.Workflow`) stands for the scanned classes and functions of that name, which such
// modules are written after (the project's template of a generated workflow, a plugin's base): a value that
// may be any of them (alternatives.ts), marked `template`.
//
// A template often leaves the work to the generated code: its `__call__` raises NotImplementedError. When
// such a method is called on an object built from a template that holds a model client (`self.llm =
// create_llm_instance(...)`), the implementation the scan cannot see does its work with that client: its
// result is taken as model output, recognised by names (confidence medium, like a model wrapper's call).
import type { Interpreter } from "../interpreter.js";
import { ASSUMED_PASS_ON } from "../rule.js";
import { MAX_ALTERNATIVES, type Taint, type Value } from "../values.js";
import { ensureAttributes } from "./classes.js";
import { moduleScope, moduleScopeVars } from "./imports.js";
import type { Arguments, ClassInfo, FunctionInfo, Node } from "./state.js";

type ScannedModule = Interpreter["modules"]["modules"][number];

/** The result of a module loader: a module the scan cannot see when the name is computed. */
export function loadedModule(it: Interpreter, calleePath: string, args: Arguments): boolean {
  if (!it.models.moduleLoaders.has(calleePath)) return false;
  const name = args.positional[0]?.value ?? args.keywords.get("name")?.value;
  return name !== undefined && name.literal === undefined && name.constant !== true;
}

/** `getattr(mod, "Workflow")` / `mod.Workflow` on a loaded module: the scanned definitions of that name. */
export function templatesNamed(it: Interpreter, name: string): Value {
  const out: Value[] = [];
  for (const mod of modulesDefining(it, name)) {
    if (out.length >= MAX_ALTERNATIVES) break;
    const defined = (moduleScopeVars(mod) ?? moduleScope(it, mod).vars).get(name);
    if (defined?.cls) out.push({ cls: defined.cls });
    else if (defined?.fn) out.push({ fn: defined.fn });
  }
  const [first, ...rest] = out;
  if (!first) return {};
  return rest.length > 0 ? { ...first, alternatives: rest, template: true } : { ...first, template: true };
}

/**
 * The modules that define a class or function of this name at the top level (a generated module defines
 * its class or function there), found from their text once per name asked: few names are, and indexing
 * every name of every file cost 3 % of a run on the standard library.
 */
function modulesDefining(it: Interpreter, name: string): ScannedModule[] {
  it.definitionIndex ??= new Map();
  let found = it.definitionIndex.get(name);
  if (!found) {
    found = it.modules.modules.filter((mod) => definesAtTop(mod.text, name));
    it.definitionIndex.set(name, found);
  }
  return found;
}

/**
 * Whether `class NAME`, `def NAME` or `async def NAME` starts a line of `text` (as the regex
 * `^(?:class|(?:async[ \t]+)?def)[ \t]+NAME\b` with the m flag), looked for from each occurrence of the name.
 */
export function definesAtTop(text: string, name: string): boolean {
  if (name === "") return false;
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    if (isWordChar(text.charCodeAt(at + name.length))) continue;
    let i = at;
    if (!isBlank(text.charCodeAt(i - 1))) continue;
    while (isBlank(text.charCodeAt(i - 1))) i--;
    if (text.startsWith("class", i - 5) && startsLine(text, i - 5)) return true;
    if (!text.startsWith("def", i - 3)) continue;
    if (startsLine(text, i - 3)) return true;
    let j = i - 3;
    if (!isBlank(text.charCodeAt(j - 1))) continue;
    while (isBlank(text.charCodeAt(j - 1))) j--;
    if (text.startsWith("async", j - 5) && startsLine(text, j - 5)) return true;
  }
  return false;
}

function startsLine(text: string, at: number): boolean {
  if (at < 0) return false;
  if (at === 0) return true;
  const ch = text.charCodeAt(at - 1);
  return ch === 10 || ch === 13 || ch === 0x2028 || ch === 0x2029;
}

function isBlank(ch: number): boolean {
  return ch === 32 || ch === 9;
}

/** `\w` of a regex without the `u` flag. */
function isWordChar(ch: number): boolean {
  return (ch >= 48 && ch <= 57) || (ch >= 65 && ch <= 90) || (ch >= 97 && ch <= 122) || ch === 95;
}

/** An object built from a template keeps the mark: its methods may be implemented elsewhere. */
export function fromTemplate(callee: Value, built: Value): Value {
  return callee.template && built.instance ? { ...built, template: true } : built;
}

/**
 * A method the template leaves to its implementation (the body only raises NotImplementedError), called
 * on an object built from a template that holds a model client: the implementation's result is taken as
 * model output. Undefined otherwise.
 */
export function templateOutput(it: Interpreter, callee: Value): Taint[] | undefined {
  const fn = callee.fn as FunctionInfo | undefined;
  const self = callee.boundSelf;
  if (!fn?.isAbstract || !self?.template || !self.instance) return undefined;
  const client = modelClientOf(it, self.instance as ClassInfo);
  if (!client) return undefined;
  const cls = (self.instance as ClassInfo).name;
  const origin = `output of \`${cls}.${fn.name}\``;
  const note = `${origin}: \`${cls}.${fn.name}\` is left to the module loaded at run time, and \`${cls}\` holds a model client (\`self.${client}\`) ${ASSUMED_PASS_ON}`;
  // The step is on the method the template leaves open: a walk drops its own steps on the call site.
  return [{ kind: "llm", origin, steps: [{ location: fn.location, note }] }];
}

/** The name of an attribute of the class (or a base) named like a model client (`llm`), if any. */
function modelClientOf(it: Interpreter, cls: ClassInfo, depth = 0): string | undefined {
  if (depth > 3) return undefined;
  ensureAttributes(it, cls);
  for (const name of cls.attrs.keys()) if (it.models.wrapperCalls.receiver.test(name)) return name;
  for (const base of cls.bases) {
    const found = base.cls ? modelClientOf(it, base.cls as ClassInfo, depth + 1) : undefined;
    if (found) return found;
  }
  return undefined;
}

/** A method whose body (after a docstring) only raises NotImplementedError: its subclass implements it. */
export function isAbstractBody(body: Node | null): boolean {
  const statements = (body?.namedChildren ?? []).filter((c) => c.type !== "comment");
  const rest =
    statements[0]?.type === "expression_statement" && statements[0].namedChildren[0]?.type === "string"
      ? statements.slice(1)
      : statements;
  return (
    rest.length === 1 && rest[0]!.type === "raise_statement" && /\bNotImplementedError\b/.test(rest[0]!.text)
  );
}
