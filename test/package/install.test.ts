import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../cli/run-cli.js";
import { expectExampleFindings, plainEnv, run, skipInstallTests as skip } from "./support.js";

describe.skipIf(skip)("the packed tarball installed into another project", () => {
  let scratch: string;
  let tarball: string;
  let files: string[];
  let installLog: string;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), "rce-guard-install-"));
    const packed = await run("npm", ["pack", "--json", "--pack-destination", scratch], {
      cwd: repoRoot,
      env: plainEnv(),
      maxBuffer: 64 * 1024 * 1024,
    });
    const [manifest] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("["))) as {
      filename: string;
      files: { path: string }[];
    }[];
    tarball = join(scratch, manifest!.filename);
    files = manifest!.files.map((file) => file.path);

    const project = join(scratch, "project");
    cpSync(join(repoRoot, "examples", "llm-agent"), join(project, "llm-agent"), { recursive: true });
    writeFileSync(
      join(project, "package.json"),
      `${JSON.stringify({ name: "consumer", private: true }, null, 2)}\n`,
    );
    const installed = await run("npm", ["install", "--no-audit", "--no-fund", tarball], {
      cwd: project,
      env: plainEnv(),
      maxBuffer: 64 * 1024 * 1024,
    });
    installLog = `${installed.stdout}${installed.stderr}`;
  }, 900_000);

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it("ships only what runs: the build, the models, the rule docs and the addon's sources", () => {
    expect(files).toContain("dist/src/cli/main.js");
    expect(files).toContain("rules/models/llm-sources.yml");
    expect(files).toContain("native/binding.gyp");
    expect(files).toContain("native/tree_export.c");
    const unwanted = files.filter(
      (path) =>
        /^(test|bench|\.ci|examples|src)\//.test(path) ||
        /\/examples\//.test(path) ||
        (path.endsWith(".ts") && !path.endsWith(".d.ts")) ||
        path.startsWith("native/build/") ||
        path.startsWith("dist/test/") ||
        path.startsWith("dist/bench/"),
    );
    expect(unwanted).toEqual([]);
  });

  it("builds the native addon inside the consumer project (tree-sitter found through Node's resolution)", () => {
    const addon = join(
      scratch,
      "project",
      "node_modules",
      "rce-guard",
      "native",
      "build",
      "Release",
      "tree_export.node",
    );
    expect(existsSync(addon), installLog).toBe(true);
    expect(installLog).not.toMatch(/native tree export not built/);
  });

  it("`npx rce-guard scan` finds the example's 3 findings", async () => {
    const project = join(scratch, "project");
    await expectExampleFindings(project);
    expect(readdirSync(join(project, "node_modules", ".bin"))).toContain("rce-guard");
  });
});
