// Repository-relative glob patterns (`tests/**`, `**/*_test.py`, `legacy/*.py`) as used by `exclude`.
const cache = new Map<string, RegExp>();

export function globToRegExp(pattern: string): RegExp {
  const cached = cache.get(pattern);
  if (cached) return cached;
  let source = "";
  const trimmed = pattern.replace(/^\.\//, "").replace(/\/$/, "/**");
  for (let i = 0; i < trimmed.length; i++) {
    const ch = trimmed[i]!;
    if (ch === "*" && trimmed[i + 1] === "*") {
      const slash = trimmed[i + 2] === "/";
      source += slash ? "(?:.*/)?" : ".*";
      i += slash ? 2 : 1;
    } else if (ch === "*") source += "[^/]*";
    else if (ch === "?") source += "[^/]";
    else source += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  // A pattern without a slash matches at any depth, as in .gitignore.
  const anchored = trimmed.includes("/") ? `^${source}$` : `^(?:.*/)?${source}$`;
  const regex = new RegExp(anchored);
  cache.set(pattern, regex);
  return regex;
}

export function matchesAnyGlob(path: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => globToRegExp(pattern).test(path));
}
