// Files written with tainted data, then run or imported. A file the model's code was written to carries that
// code, so the value naming the file stands for it: after `open(path, "w").write(code)` the variable `path`
// (or `self.path`) carries the code's taint, and `python <path>`, `runpy.run_path(path)` or a loader built
// from it runs the model's code. Literal paths are kept by the interpreter (`writtenFiles`); this module
// adds computed paths, held by a name, and imports of a written module by its name.
import type { Interpreter } from "../interpreter.js";
import { mergeTaints, type Taint, withTaints } from "../values.js";
import { lookup, updateInPlace } from "./names.js";
import { recordFieldStore, storeField } from "./fields.js";
import type { ClassInfo } from "./state.js";

/** `name` or `self.name`: the forms of a path's holder that are followed (the holder is in this scope). */
const HOLDER = /^(?:[A-Za-z_]\w*|self\.[A-Za-z_]\w*)$/;

/** The text of the expression a file was opened with, when it is a name that holds a computed path. */
export function pathHolder(text: string | undefined): string | undefined {
  return text !== undefined && HOLDER.test(text) ? text : undefined;
}

/**
 * Data was written to a file opened with the path held by `holder`: the holder now carries it. For
 * `self.name` the instance's attribute does too, so another method that runs the file sees it.
 */
export function taintPathHolder(it: Interpreter, holder: string, taints: readonly Taint[]): void {
  const dot = holder.indexOf(".");
  const owner = dot < 0 ? undefined : lookup(it, holder.slice(0, dot))?.instance;
  const current =
    lookup(it, holder) ?? (owner ? (owner as ClassInfo).attrs.get(holder.slice(dot + 1)) : undefined);
  if (!current) return;
  updateInPlace(it, holder, withTaints(current, mergeTaints(current.taints, taints)));
  taintInstanceAttribute(it, holder, taints);
}

/**
 * `self.jobs.put(reply)`, `self.script_path` written to: the instance's attribute carries the data for the
 * other methods that read it (as an assignment to it would). Only concrete origins: parameter placeholders
 * mean nothing outside this method.
 */
export function taintInstanceAttribute(it: Interpreter, holder: string, taints: readonly Taint[]): void {
  const match = /^([A-Za-z_]\w*)\.([A-Za-z_]\w*)$/.exec(holder);
  if (!match) return;
  const owner = lookup(it, match[1]!)?.instance as ClassInfo | undefined;
  if (!owner) return;
  const attribute = match[2]!;
  recordFieldStore(it, owner, attribute, taints);
  const concrete = taints.filter((t) => t.kind !== "param" && t.kind !== "pending");
  if (concrete.length === 0) return;
  const current = owner.attrs.get(attribute) ?? {};
  storeField(it, owner, attribute, withTaints(current, mergeTaints(current.taints, concrete)));
}

/**
 * `importlib.import_module("plugins.generated")` after `plugins/generated.py` was written with tainted data:
 * the taint of the written file whose path ends with the module's path.
 */
export function writtenModuleTaints(it: Interpreter, moduleName: string): readonly Taint[] | undefined {
  if (!/^[A-Za-z_][\w.]*$/.test(moduleName)) return undefined;
  const relative = moduleName.replace(/\./g, "/");
  let taints: readonly Taint[] | undefined;
  for (const [path, written] of it.writtenFiles) {
    const normal = path.replace(/\\/g, "/").replace(/^\.\//, "");
    for (const suffix of [`${relative}.py`, `${relative}/__init__.py`]) {
      if (normal === suffix || normal.endsWith(`/${suffix}`)) taints = mergeTaints(taints, written);
    }
  }
  return taints;
}
