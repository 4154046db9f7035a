// Config `exclude` patterns. node's path.matchesGlob exists on Node 20.20 but prints an
// ExperimentalWarning on stderr there, which would pollute every scan's output; this small matcher
// covers what exclude lists use: `*`, `?`, `**`, `[abc]`, `[!abc]` and `{a,b}`.
//
// Semantics follow .gitignore where people expect them to: a pattern without a slash matches a file or
// directory name at any depth (`*_pb2.py`, `migrations`), a pattern with a slash is anchored at the root
// (`src/generated/**`), and a trailing slash matches directories only. A matching directory excludes
// everything below it.

export interface ExcludeMatcher {
  readonly pattern: string;
  matches(relativePath: string, isDirectory: boolean): boolean;
}

export function compileExclude(pattern: string): ExcludeMatcher {
  let body = pattern.trim().replace(/\\/g, "/");
  const directoryOnly = body.endsWith("/");
  body = body.replace(/\/+$/, "").replace(/^\.\//, "").replace(/^\//, "");
  const anchored = body.includes("/");
  const regex = new RegExp(`^${globToRegExpSource(body)}$`);
  return {
    pattern,
    matches(relativePath, isDirectory) {
      if (directoryOnly && !isDirectory) return false;
      if (anchored) return regex.test(relativePath);
      const name = relativePath.slice(relativePath.lastIndexOf("/") + 1);
      return regex.test(name);
    },
  };
}

export function globToRegExpSource(glob: string): string {
  let out = "";
  let braceDepth = 0;
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === "*") {
      if (glob[i + 1] === "*") {
        const atSegmentStart = i === 0 || glob[i - 1] === "/";
        const next = glob[i + 2];
        if (atSegmentStart && next === "/") {
          out += "(?:[^/]*/)*";
          i += 2;
          continue;
        }
        if (atSegmentStart && next === undefined) {
          out += ".*";
          i += 1;
          continue;
        }
      }
      out += "[^/]*";
      while (glob[i + 1] === "*") i++;
    } else if (ch === "?") {
      out += "[^/]";
    } else if (ch === "[") {
      const close = glob.indexOf("]", i + 2);
      if (close === -1) {
        out += "\\[";
        continue;
      }
      let set = glob.slice(i + 1, close);
      if (set.startsWith("!")) set = `^${set.slice(1)}`;
      out += `[${set.replace(/\\/g, "\\\\")}]`;
      i = close;
    } else if (ch === "{") {
      braceDepth++;
      out += "(?:";
    } else if (ch === "}" && braceDepth > 0) {
      braceDepth--;
      out += ")";
    } else if (ch === "," && braceDepth > 0) {
      out += "|";
    } else {
      out += ch.replace(/[.+^${}()|\\/]/g, "\\$&");
    }
  }
  // An unclosed brace would otherwise make the whole RegExp invalid.
  out += ")".repeat(braceDepth);
  return out;
}

/**
 * The pattern that excludes a root-relative path: one matching the path itself or a directory above it
 * (a matching directory excludes everything below it). The one ancestor-aware test: the CLI's walk, the
 * App's file selection and the engine's settings all ask it.
 */
export function excludingPattern(
  matchers: readonly ExcludeMatcher[],
  path: string,
  isDirectory = false,
): string | undefined {
  if (matchers.length === 0 || path === "" || path.startsWith("..")) return undefined;
  const segments = path.split("/");
  for (let length = 1; length <= segments.length; length++) {
    const prefix = length === segments.length ? path : segments.slice(0, length).join("/");
    const prefixIsDirectory = length < segments.length || isDirectory;
    const matcher = matchers.find((m) => m.matches(prefix, prefixIsDirectory));
    if (matcher) return matcher.pattern;
  }
  return undefined;
}

/** A test for repository paths: true when the path, or a directory above it, matches one of the patterns. */
export function excludesPaths(patterns: readonly string[]): (path: string) => boolean {
  const matchers = patterns.map(compileExclude);
  return (path) => excludingPattern(matchers, path) !== undefined;
}
