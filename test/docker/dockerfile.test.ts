// The Dockerfile read as Docker reads it (instructions, line continuations, stages) and checked for what
// the image promises: nothing downloaded beyond npm packages and Debian packages (node-gyp pointed at the
// Node headers the image already has), a runtime stage holding only what the package ships (no rule
// examples, no tests), owned by root and run as an unprivileged user. No Docker engine runs here; the
// native build with node-gyp cut off from nodejs.org is exercised in offline-native-build.test.ts.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../cli/run-cli.js";

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}
interface Stage {
  name: string;
  base: string;
  instructions: Instruction[];
}

/** Instructions (continuations joined, comments dropped) grouped by stage. */
function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  let pending = "";
  let startLine = 0;
  const lines = text.split("\n");
  for (const [index, raw] of lines.entries()) {
    const line = raw.trimEnd();
    if (pending === "" && (line.trim() === "" || line.trimStart().startsWith("#"))) continue;
    if (pending === "") startLine = index + 1;
    if (line.trimStart().startsWith("#")) continue;
    if (line.endsWith("\\")) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const whole = `${pending}${line}`.trim();
    pending = "";
    const match = /^(\S+)\s*(.*)$/.exec(whole);
    if (!match) continue;
    const instruction = {
      keyword: (match[1] as string).toUpperCase(),
      args: match[2] as string,
      line: startLine,
    };
    if (instruction.keyword === "FROM") {
      const from = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      stages.push({ base: from?.[1] ?? "", name: from?.[2] ?? String(stages.length), instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

const stages = parseDockerfile(readFileSync(join(repoRoot, "Dockerfile"), "utf8"));
const stage = (name: string) => {
  const found = stages.find((s) => s.name === name);
  if (!found) throw new Error(`no stage ${name}`);
  return found;
};
/** A stage's instructions, with those of the stages it is built FROM first. */
const inherited = (s: Stage): Instruction[] => {
  const parent = stages.find((p) => p.name === s.base);
  return [...(parent ? inherited(parent) : []), ...s.instructions];
};
const runtime = stages.at(-1) as Stage;

describe("Dockerfile", () => {
  it("has a toolchain, a build, a dependencies and a runtime stage, on the official Node image", () => {
    expect(stages.map((s) => s.name)).toEqual(["toolchain", "build", "deps", "runtime"]);
    expect(stage("toolchain").base).toMatch(/^node:\d+-bookworm-slim$/);
    expect(runtime.base).toBe(stage("toolchain").base);
  });

  it("points node-gyp at the image's own Node headers, checked to be there, in every stage that installs", () => {
    const env = stage("toolchain").instructions.filter((i) => i.keyword === "ENV");
    expect(env.map((i) => i.args)).toContain("npm_config_nodedir=/usr/local");
    expect(stage("toolchain").instructions).toContainEqual(
      expect.objectContaining({
        keyword: "RUN",
        args: expect.stringMatching(/test -f \/usr\/local\/include\/node\/node_api\.h/),
      }),
    );
    for (const s of stages) {
      const installs = s.instructions.some(
        (i) => i.keyword === "RUN" && /\bnpm (ci|install|rebuild)\b/.test(i.args),
      );
      if (!installs) continue;
      expect(
        inherited(s).some((i) => i.keyword === "ENV" && i.args.includes("npm_config_nodedir=/usr/local")),
        s.name,
      ).toBe(true);
    }
  });

  it("downloads nothing but npm and Debian packages (no ADD of a URL, no curl, wget, git or npx fetch)", () => {
    for (const s of stages) {
      for (const i of s.instructions) {
        if (i.keyword === "ADD") expect(i.args, `line ${i.line}`).not.toMatch(/https?:|git@/);
        if (i.keyword === "RUN") expect(i.args, `line ${i.line}`).not.toMatch(/\b(curl|wget|git|npx|pip)\b/);
      }
    }
  });

  it("runtime: only the packed package, the production node_modules and the compiled addon", () => {
    const copies = runtime.instructions.filter((i) => i.keyword === "COPY" || i.keyword === "ADD");
    expect(copies.map((i) => i.args)).toEqual([
      "--from=deps /app/node_modules ./node_modules",
      "--from=build /app/package ./",
      "--from=deps /app/native/build/Release/tree_export.node ./native/build/Release/tree_export.node",
    ]);
    // /app/package is `npm pack` unpacked: package.json's `files`, which ships no examples or tests.
    expect(stage("build").instructions.at(-1)?.args).toMatch(
      /npm pack --ignore-scripts .*tar -xzf \/tmp\/rce-guard-\*\.tgz -C \/app\/package/,
    );
  });

  it("runtime: files owned by root (no --chown, no --chmod), run as the unprivileged `node` user", () => {
    for (const i of runtime.instructions.filter((i) => i.keyword === "COPY")) {
      expect(i.args).not.toMatch(/--chown|--chmod/);
    }
    const users = runtime.instructions.filter((i) => i.keyword === "USER");
    expect(users.map((i) => i.args)).toEqual(["node"]);
    const userAt = runtime.instructions.indexOf(users[0] as Instruction);
    // Nothing after USER changes files: they stay as root left them.
    expect(
      runtime.instructions.slice(userAt).filter((i) => ["COPY", "ADD", "RUN"].includes(i.keyword)),
    ).toEqual([]);
    expect(runtime.instructions.find((i) => i.keyword === "CMD")?.args).toBe(
      '["node", "dist/src/app/main.js"]',
    );
    expect(runtime.instructions.find((i) => i.keyword === "STOPSIGNAL")?.args).toBe("SIGTERM");
  });

  it("every file a stage copies from the build context is there and not excluded by .dockerignore", () => {
    const rules = readFileSync(join(repoRoot, ".dockerignore"), "utf8")
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith("#"))
      .map((line) => {
        const negated = line.startsWith("!");
        const glob = (negated ? line.slice(1) : line).replace(/^\/|\/$/g, "");
        const body = glob
          .replace(/[.+^${}()|[\]\\]/g, "\\$&")
          .replace(/\*\*/g, "\0")
          .replace(/\*/g, "[^/]*");
        return { negated, pattern: new RegExp(`^${body.replace(/\0/g, ".*")}(/|$)`) };
      });
    // As Docker reads it: the last rule that matches a path (or one of its folders) decides.
    const ignored = (path: string) =>
      rules.reduce((excluded, rule) => (rule.pattern.test(path) ? !rule.negated : excluded), false);
    for (const s of stages) {
      for (const i of s.instructions.filter((i) => i.keyword === "COPY" && !i.args.includes("--from="))) {
        const sources = i.args
          .split(/\s+/)
          .filter((a) => !a.startsWith("--"))
          .slice(0, -1);
        for (const source of sources) {
          expect(existsSync(join(repoRoot, source)), `${source} (line ${i.line})`).toBe(true);
          // A folder may be excluded with exceptions (docs, but its schemas): some of its files must remain.
          if (!statSync(join(repoRoot, source)).isDirectory())
            expect(ignored(source), `${source} (line ${i.line}) is in .dockerignore`).toBe(false);
          const files = execFileSync("git", ["ls-files", source], { cwd: repoRoot, encoding: "utf8" })
            .split("\n")
            .filter(Boolean);
          expect(files.filter((file) => !ignored(file)).length, `${source} (line ${i.line})`).toBeGreaterThan(
            0,
          );
        }
      }
    }
    expect(ignored("docs/config.schema.json")).toBe(false);
    expect(ignored("docs/json-report.md")).toBe(true);
    expect(ignored("native/build/Release/tree_export.node")).toBe(true);
  });

  it("the package's file list (what the runtime gets) has no rule examples, tests or sources", () => {
    const listed = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: repoRoot,
      encoding: "utf8",
      env: Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key))),
    });
    const [manifest] = JSON.parse(listed.slice(listed.indexOf("["))) as { files: { path: string }[] }[];
    const paths = manifest?.files.map((f) => f.path) ?? [];
    expect(paths).toContain("rules/models/llm-sources.yml");
    expect(paths.filter((p) => /\/examples\/|^(test|bench|src|examples)\//.test(p))).toEqual([]);
  });
});
