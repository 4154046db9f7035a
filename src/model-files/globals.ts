// Grades the imports a pickle stream makes, from the rows of rules/models/model-file-globals.yml.
// Pure: the caller reads the YAML text.
import { parse } from "yaml";
import type { PickleImport } from "./pickle.js";

export type ImportGrade = "critical" | "high" | "medium" | "none";

export interface GlobalRules {
  aliases: ReadonlyMap<string, string>;
  dangerous: readonly { module: string; names: "*" | ReadonlySet<string> }[];
  safe: readonly RegExp[];
}

export function globalRulesFrom(text: string): { rules: GlobalRules; errors: string[] } {
  const errors: string[] = [];
  let data: Record<string, unknown> = {};
  try {
    const parsed: unknown = parse(text);
    if (parsed && typeof parsed === "object") data = parsed as Record<string, unknown>;
    else errors.push("model-file-globals.yml: not a mapping");
  } catch (error) {
    errors.push(`model-file-globals.yml: ${(error as Error).message}`);
  }
  const aliases = new Map<string, string>();
  for (const [from, to] of Object.entries((data.aliases as Record<string, unknown>) ?? {})) {
    if (typeof to === "string") aliases.set(from, to);
    else errors.push(`model-file-globals.yml: alias ${from} needs a module name`);
  }
  const dangerous: { module: string; names: "*" | ReadonlySet<string> }[] = [];
  for (const row of Array.isArray(data.dangerous) ? data.dangerous : []) {
    const r = row as Record<string, unknown>;
    if (typeof r.module !== "string" || !(r.names === "*" || Array.isArray(r.names))) {
      errors.push(`model-file-globals.yml: dangerous row ${JSON.stringify(row)} needs module and names`);
      continue;
    }
    dangerous.push({
      module: r.module,
      names: r.names === "*" ? "*" : new Set((r.names as unknown[]).map(String)),
    });
  }
  const safe: RegExp[] = [];
  for (const pattern of Array.isArray(data.safe) ? data.safe : []) {
    if (typeof pattern !== "string") {
      errors.push(`model-file-globals.yml: safe entry ${JSON.stringify(pattern)} is not a string`);
      continue;
    }
    safe.push(patternRegex(pattern));
  }
  return { rules: { aliases, dangerous, safe }, errors };
}

function patternRegex(pattern: string): RegExp {
  const deep = pattern.endsWith(".**");
  const body = (deep ? pattern.slice(0, -3) : pattern)
    .split(".")
    .map((part) => part.split("*").map(escapeRegex).join("[^.]*"))
    .join("\\.");
  return new RegExp(`^${body}${deep ? "(?:\\.[^.]+)+" : ""}$`);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The dotted path an import resolves to (Python 2 module names mapped as pickle maps them). */
export function importPath(
  hit: Pick<PickleImport, "module" | "name">,
  rules: GlobalRules,
): string | undefined {
  if (hit.module === undefined || hit.name === undefined) return undefined;
  const module = rules.aliases.get(hit.module) ?? hit.module;
  return `${module}.${hit.name}`;
}

export interface Graded {
  grade: ImportGrade;
  /** `os.system`; for an unresolved name, what is known of it. */
  path: string;
  /** The dangerous row that matched, as `module.name` (it differs from `path` for a reached-through alias). */
  matched?: string;
}

export function gradeImport(hit: PickleImport, rules: GlobalRules): Graded {
  if (hit.extension !== undefined) return { grade: "high", path: `copyreg extension code ${hit.extension}` };
  const path = importPath(hit, rules);
  if (path === undefined) {
    return { grade: "high", path: `${hit.module ?? "<computed>"}.${hit.name ?? "<computed>"}` };
  }
  const parts = path.split(".");
  // Every suffix: `torch.serialization.os.system` reaches `os.system` through an attribute chain.
  for (let start = 0; start < parts.length - 1; start++) {
    for (const row of rules.dangerous) {
      const moduleParts = row.module.split(".");
      if (start + moduleParts.length >= parts.length) continue;
      if (!moduleParts.every((p, i) => parts[start + i] === p)) continue;
      const next = parts[start + moduleParts.length]!;
      if (row.names === "*" || row.names.has(next)) {
        return {
          grade: "critical",
          path,
          matched: parts.slice(start, start + moduleParts.length + 1).join("."),
        };
      }
    }
  }
  if (rules.safe.some((re) => re.test(path))) return { grade: "none", path };
  return { grade: "medium", path };
}
