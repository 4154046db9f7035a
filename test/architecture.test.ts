// The layers' rule, checked on the import statements of every TypeScript file:
// - src/engine/ depends on nothing above it: an engine file imports only engine files and packages (never
//   rules/, src/config.ts, src/cli, src/app, src/github, src/report, the composition root src/run-analysis.ts);
// - code outside the engine (src/, rules/, bench/) enters it through src/engine/index.ts only.
// Tests may reach an engine module directly: they test the parts (parser, clues, PEP 440) as well as the whole.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const ENGINE = join(ROOT, "src", "engine");
const ENGINE_INDEX = join(ENGINE, "index.ts");

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === "node_modules" || entry.name === "fixtures") return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** Specifiers of `import … from`, `export … from`, `import "…"` and `import("…")`. */
function importSpecifiers(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const found: string[] = [];
  for (const pattern of [
    /\b(?:import|export)\s[^;"'`]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
  ]) {
    for (const match of code.matchAll(pattern)) found.push(match[1]!);
  }
  return found;
}

/** The file a relative specifier names (`./x.js` is `./x.ts` in the sources); undefined for packages. */
function target(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  return resolve(dirname(from), specifier).replace(/\.js$/, ".ts");
}

const inEngine = (path: string) => path === ENGINE || path.startsWith(ENGINE + sep);
const rel = (path: string) => relative(ROOT, path).split(sep).join("/");

const files = ["src", "rules", "bench", "test"].flatMap((dir) => typeScriptFiles(join(ROOT, dir)));

describe("architecture", () => {
  it("reads imports of every form", () => {
    const text =
      'import a from "./a.js";\nimport type {\n  B,\n} from "../b.js";\nexport * from "./c.js";\nimport "./d.js";\nawait import("./e.js");\n// import x from "./no.js";\n';
    expect(importSpecifiers(text).sort()).toEqual(["../b.js", "./a.js", "./c.js", "./d.js", "./e.js"]);
  });

  it("finds the sources it checks", () => {
    expect(files.some((f) => f === ENGINE_INDEX)).toBe(true);
    expect(files.filter((f) => inEngine(f)).length).toBeGreaterThan(10);
  });

  it("the engine imports only itself and packages (nothing above it)", () => {
    const upward: string[] = [];
    for (const file of files.filter(inEngine)) {
      for (const specifier of importSpecifiers(readFileSync(file, "utf8"))) {
        const path = target(file, specifier);
        if (path && !inEngine(path)) upward.push(`${rel(file)} imports ${specifier}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it("code outside the engine enters it through src/engine/index.ts only (tests excepted)", () => {
    const reachingIn: string[] = [];
    for (const file of files.filter((f) => !inEngine(f) && !rel(f).startsWith("test/"))) {
      for (const specifier of importSpecifiers(readFileSync(file, "utf8"))) {
        const path = target(file, specifier);
        if (path && inEngine(path) && path !== ENGINE_INDEX)
          reachingIn.push(`${rel(file)} imports ${specifier}`);
      }
    }
    expect(reachingIn).toEqual([]);
  });
});
