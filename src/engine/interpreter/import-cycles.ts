// Import cycles: `from pkg.config import Config` in a module that `pkg.config` itself (through others)
// imports. Whichever module of the cycle is interpreted first reaches the other while it is half done, and a
// name it defines further down is not there yet. Python programs avoid reading such a name before the cycle
// completes (they use it in functions and annotations), so the name is bound to a placeholder and, when
// the imported module is done, replaced by what the module defined — before the importer's functions are
// summarised (an imported module's summaries wait for the outermost module, see interpreter.ts).
import type { Interpreter } from "../interpreter.js";
import type { PythonModule } from "../modules.js";
import type { Value } from "../values.js";
import { selfValue } from "./classes.js";
import type { ClassInfo, Scope } from "./state.js";

interface LateImport {
  /** The importer's scope and the name the import bound there. */
  scope: Scope;
  alias: string;
  /** What was bound for now: replaced only if the name still holds it. */
  placeholder: Value;
  name: string;
  base: string;
}

/** Per module being interpreted: the names other modules imported from it before it defined them. */
const lateImports = new WeakMap<Interpreter, Map<PythonModule, LateImport[]>>();
/** Modules whose interpretation has started and not finished (a cycle meets one of them). */
const inProgress = new WeakMap<Interpreter, Set<PythonModule>>();
/** Names awaited from one module: a bound on what one cycle can record. */
const MAX_LATE_IMPORTS = 200;

export function startedModule(it: Interpreter, mod: PythonModule): void {
  const set = inProgress.get(it) ?? new Set<PythonModule>();
  inProgress.set(it, set);
  set.add(mod);
}

/** Whether a module is half done (its interpretation started and has not finished). */
export function inProgressModule(it: Interpreter, mod: PythonModule): boolean {
  return inProgress.get(it)?.has(mod) === true;
}

/** `target` is half done and lacks `name`: bind `placeholder` now, the real value when it is done. */
export function awaitName(
  it: Interpreter,
  target: PythonModule,
  base: string,
  name: string,
  alias: string,
  placeholder: Value,
): void {
  if (!inProgress.get(it)?.has(target)) return;
  const byModule = lateImports.get(it) ?? new Map<PythonModule, LateImport[]>();
  lateImports.set(it, byModule);
  const list = byModule.get(target) ?? [];
  if (list.length >= MAX_LATE_IMPORTS) return;
  list.push({ scope: it.scope, alias, placeholder, name, base });
  byModule.set(target, list);
}

/** `mod` is done: the names imported from it too early become what it defined. */
export function finishedModule(it: Interpreter, mod: PythonModule, scope: Scope): void {
  inProgress.get(it)?.delete(mod);
  const list = lateImports.get(it)?.get(mod);
  if (!list) return;
  lateImports.get(it)!.delete(mod);
  for (const late of list) {
    const value = scope.vars.get(late.name);
    if (!value || late.scope.vars.get(late.alias) !== late.placeholder) continue;
    late.scope.vars.set(
      late.alias,
      value.fn || value.cls ? { ...value, path: `${late.base}.${late.name}` } : value,
    );
    if (value.cls) retypeFields(it, late.scope, `${late.base}.${late.name}()`, value.cls as ClassInfo);
  }
}

/**
 * Fields of the importer's classes declared with the name while it was a placeholder (`llm: LLM = None`
 * in a class body runs at import time): an instance of the class, as if the cycle had been resolved.
 */
function retypeFields(it: Interpreter, scope: Scope, placeholderPath: string, type: ClassInfo): void {
  for (const [, value] of scope.vars) {
    const cls = value.cls as ClassInfo | undefined;
    if (!cls || cls.scope.parent !== scope) continue;
    for (const [name, attr] of cls.attrs) {
      if (attr.path !== placeholderPath || attr.instance) continue;
      const { path: _path, ...rest } = attr;
      cls.attrs.set(name, { ...rest, ...selfValue(it, type), declared: true });
    }
  }
}
