// Finding and reading the configuration file for a scan. Validation itself is src/config.ts, shared with
// the App; this adds what a terminal user needs: the file name and a line number on every problem.
import { access, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parse as parseToml } from "smol-toml";
import { isMap, isScalar, isSeq, type Node, parseDocument } from "yaml";
import { RULES } from "../../rules/index.js";
import { CONFIG_PATH, type Config, DEFAULT_CONFIG, parseConfig } from "../config.js";
import { CliError } from "./args.js";

export interface LoadedConfig {
  config: Config;
  /** Where it came from, as given or relative to the root; undefined when defaults apply. */
  source?: string;
}

/** `explicitPath` is as the user typed it (relative to `cwd`), so messages show it unchanged. */
export async function loadConfig(
  root: string,
  explicitPath: string | undefined,
  cwd: string,
): Promise<LoadedConfig> {
  let path = explicitPath === undefined ? undefined : resolve(cwd, explicitPath);
  let shown = explicitPath;
  if (!path) {
    const candidate = join(root, CONFIG_PATH);
    const exists = await access(candidate).then(
      () => true,
      () => false,
    );
    if (!exists) return (await fromPyproject(root)) ?? { config: parseConfig("", DEFAULT_CONFIG).config };
    path = candidate;
    shown = CONFIG_PATH;
  }
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "it is a directory"
          : code === "EACCES"
            ? "permission denied"
            : String(error);
    throw new CliError(`cannot read config file ${shown}: ${why}`);
  }
  const { config, problems } = parseConfig(text, DEFAULT_CONFIG, {
    knownRules: RULES.map((rule) => rule.meta.id),
  });
  if (problems.length > 0) {
    const details = problems.map((problem) => {
      const line = problem.line ?? lineOfKeyPath(text, problem.path);
      const where = line ? `${shown}:${line}` : `${shown}`;
      return `  ${where}: ${problem.path ? `${problem.path}: ` : ""}${problem.message}`;
    });
    throw new CliError(
      `invalid config file ${shown} (${problems.length} problem${problems.length === 1 ? "" : "s"}):`,
      details,
    );
  }
  return { config, ...(shown ? { source: shown } : {}) };
}

/**
 * `[tool.rce-guard]` in the root's `pyproject.toml`, read when there is no `.github/rce-guard.yml`: the
 * same keys, validated by the same parser (a TOML table is JSON, and JSON is YAML).
 */
async function fromPyproject(root: string): Promise<LoadedConfig | undefined> {
  let text: string;
  try {
    text = await readFile(join(root, "pyproject.toml"), "utf8");
  } catch {
    return undefined;
  }
  if (!/^\s*\[tool\.(?:rce-guard|"rce-guard"|rce_guard)\]/m.test(text)) return undefined;
  const shown = "pyproject.toml [tool.rce-guard]";
  let table: unknown;
  try {
    const tool = (parseToml(text) as { tool?: Record<string, unknown> }).tool ?? {};
    table = tool["rce-guard"] ?? tool.rce_guard;
  } catch (error) {
    throw new CliError(`invalid config in pyproject.toml: ${(error as Error).message.split("\n")[0]}`);
  }
  if (table === undefined) return undefined;
  const { config, problems } = parseConfig(JSON.stringify(table), DEFAULT_CONFIG, {
    knownRules: RULES.map((rule) => rule.meta.id),
  });
  if (problems.length > 0) {
    throw new CliError(
      `invalid config in ${shown} (${problems.length} problem${problems.length === 1 ? "" : "s"}):`,
      problems.map((problem) => `  ${shown}: ${problem.path ? `${problem.path}: ` : ""}${problem.message}`),
    );
  }
  return { config, source: shown };
}

/** The line of the key a dotted problem path such as `rules.VNX-LLM-002.severity` or `sources[1]` names. */
export function lineOfKeyPath(text: string, keyPath: string): number | undefined {
  if (!keyPath) return undefined;
  const segments = [...keyPath.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((match) =>
    match[2] !== undefined ? Number(match[2]) : match[1]!,
  );
  const doc = parseDocument(text);
  let node: unknown = doc.contents;
  let offset: number | undefined;
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return offset === undefined ? undefined : text.slice(0, offset).split("\n").length;
}
