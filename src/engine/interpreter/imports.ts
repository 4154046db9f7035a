// Imports between the scanned modules: names bound to other modules' values (interpreting them on first
// use), relative imports, and the API paths of everything external, with modelled sources tainted.
import type { Interpreter } from "../interpreter.js";
import type { PythonModule } from "../modules.js";
import type { Value } from "../values.js";
import { sourceTaint } from "./calls.js";
import { awaitName } from "./import-cycles.js";
import { bind } from "./names.js";
import { MAX_CALL_DEPTH, type ModuleInfo, type Node, Scope } from "./state.js";

export function moduleScopeVars(mod: PythonModule): Map<string, Value> | undefined {
  return (mod.scope as Scope | undefined)?.vars;
}

export function execImport(it: Interpreter, node: Node): void {
  for (const child of node.namedChildren) {
    if (child.type === "dotted_name") {
      const full = child.text;
      const root = full.split(".")[0]!;
      it.module.imports.add(root);
      it.module.imports.add(full);
      bind(it, root, resolveModule(it, root), child);
    } else if (child.type === "aliased_import") {
      const full = child.childForFieldName("name")?.text ?? "";
      const alias = child.childForFieldName("alias")?.text ?? full;
      it.module.imports.add(full.split(".")[0]!);
      it.module.imports.add(full);
      bind(it, alias, resolveModule(it, full), child);
    }
  }
}

export function execImportFrom(it: Interpreter, node: Node): void {
  const moduleNode = node.childForFieldName("module_name");
  if (!moduleNode) return;
  const base = absoluteModuleName(it, moduleNode);
  if (base === undefined) return;
  it.module.imports.add(base.split(".")[0]!);
  it.module.imports.add(base);
  const target = findModule(it, base, it.module);
  if (node.namedChildren.some((c) => c.type === "wildcard_import")) {
    if (target) {
      const scope = moduleScope(it, target);
      for (const [name, value] of scope.vars) if (!name.startsWith("_")) bind(it, name, value, node);
    }
    return;
  }
  for (const child of node.childrenForFieldName("name")) {
    const name = child.type === "aliased_import" ? child.childForFieldName("name")?.text : child.text;
    const alias = child.type === "aliased_import" ? child.childForFieldName("alias")?.text : name;
    if (!name || !alias) continue;
    const value = importedName(it, base, name, target);
    bind(it, alias, value, child);
    // A module of an import cycle that is half done: the name may be defined further down (import-cycles.ts).
    if (target && !value.module && !value.fn && !value.cls) awaitName(it, target, base, name, alias, value);
  }
}

export function importedName(
  it: Interpreter,
  base: string,
  name: string,
  target: PythonModule | undefined,
): Value {
  if (target) {
    const scope = moduleScope(it, target);
    const value = scope.vars.get(name);
    if (value) return value.fn || value.cls ? { ...value, path: `${base}.${name}` } : value;
    const submodule = findModule(it, `${base}.${name}`, it.module);
    if (submodule) return { module: moduleRef(it, submodule), path: `${base}.${name}` };
  }
  const submodule = findModule(it, `${base}.${name}`, it.module);
  if (submodule) return { module: moduleRef(it, submodule), path: `${base}.${name}` };
  return externalPath(it, `${base}.${name}`);
}

export function absoluteModuleName(it: Interpreter, moduleNode: Node): string | undefined {
  if (moduleNode.type !== "relative_import") return moduleNode.text;
  const prefix = moduleNode.namedChildren.find((c) => c.type === "import_prefix")?.text ?? ".";
  const rest = moduleNode.namedChildren.find((c) => c.type === "dotted_name")?.text;
  const pkg = it.module.packageName.split(".").filter(Boolean);
  const up = prefix.length - 1;
  if (up > pkg.length) return undefined;
  const anchor = pkg.slice(0, pkg.length - up);
  return [...anchor, ...(rest ? [rest] : [])].join(".");
}

/**
 * The scanned module an import names, if following it can matter: always from a module that carries
 * untrusted data or runs it (a helper may pass it on, or not: `create_temporary_file(code)` returns a
 * name, not the code), otherwise only into modules that can hold a finding.
 */
export function findModule(it: Interpreter, name: string, from: PythonModule): PythonModule | undefined {
  const target = it.modules.find(name, from);
  if (!target) return undefined;
  return from.carrier || from.sinkForCarriers || target.entry || (from.towardSinks && target.towardSinks)
    ? target
    : undefined;
}

export function resolveModule(it: Interpreter, name: string): Value {
  const target = findModule(it, name, it.module);
  if (target) return { module: moduleRef(it, target), path: name };
  return externalPath(it, name);
}

export function moduleRef(it: Interpreter, mod: PythonModule): ModuleInfo {
  let info = it.moduleInfos.get(mod.name);
  if (!info) {
    info = { kind: "module", name: mod.name, source: mod };
    // Registered lazily: interpretModule fills its scope on first use.
    it.moduleInfos.set(mod.name, info);
  }
  return info;
}

export function moduleScope(it: Interpreter, mod: PythonModule): Scope {
  if (mod.scope) return mod.scope as Scope;
  if (mod === it.module) return it.scope;
  if (it.callDepth > MAX_CALL_DEPTH) return new Scope("module", undefined, undefined, "<module>");
  it.callDepth++;
  try {
    const saved = { classOfScope: it.classOfScope };
    it.classOfScope = undefined;
    const scope = it.interpretModule(mod);
    it.classOfScope = saved.classOfScope;
    return scope;
  } finally {
    it.callDepth--;
  }
}

export function externalPath(it: Interpreter, path: string): Value {
  const kind = it.models.sources.match(path);
  if (kind) return { path, taints: [sourceTaint(it, kind, `\`${path}\``, undefined)] };
  return { path };
}
