import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CliError } from "../../src/cli/args.js";
import { lineOfKeyPath, loadConfig } from "../../src/cli/config-file.js";

const YAML = `# comment
fail_on: high
rules:
  VNX-LLM-002:
    enabled: true
    severity: loud
sources:
  - mycorp.llm.ask()
  - 42
`;

describe("config file", () => {
  it("finds the line of a problem's key path", () => {
    expect(lineOfKeyPath(YAML, "fail_on")).toBe(2);
    expect(lineOfKeyPath(YAML, "rules.VNX-LLM-002.severity")).toBe(6);
    expect(lineOfKeyPath(YAML, "sources[1]")).toBe(9);
    // The nearest existing key when the path runs past what the file has.
    expect(lineOfKeyPath(YAML, "rules.VNX-LLM-002.nope")).toBe(4);
    expect(lineOfKeyPath(YAML, "")).toBeUndefined();
  });

  it("reads [tool.rce-guard] in pyproject.toml when there is no .github/rce-guard.yml, with the same checks", async () => {
    const root = mkdtempSync(join(tmpdir(), "rce-guard-config-"));
    try {
      writeFileSync(
        join(root, "pyproject.toml"),
        '[project]\nname = "app"\n\n[tool.rce-guard]\nfail_on = "medium"\nexclude = ["tests/**"]\n\n[tool.rce-guard.rules]\nVNX-DESER-002 = "off"\n',
      );
      expect(await loadConfig(root, undefined, root)).toMatchObject({
        source: "pyproject.toml [tool.rce-guard]",
        config: { failOn: "medium", exclude: ["tests/**"], rules: { "VNX-DESER-002": { enabled: false } } },
      });
      writeFileSync(join(root, "pyproject.toml"), '[tool.rce-guard]\nfail_on = "loud"\n');
      const error = await loadConfig(root, undefined, root).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(CliError);
      expect((error as CliError).details).toEqual([
        expect.stringMatching(/^ {2}pyproject.toml \[tool.rce-guard\]: fail_on: must be one of/),
      ]);
      // .github/rce-guard.yml wins when both exist.
      mkdirSync(join(root, ".github"));
      writeFileSync(join(root, ".github", "rce-guard.yml"), "fail_on: low\n");
      expect((await loadConfig(root, undefined, root)).config.failOn).toBe("low");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("uses .github/rce-guard.yml under the root when present, defaults otherwise", async () => {
    const root = mkdtempSync(join(tmpdir(), "rce-guard-config-"));
    try {
      expect((await loadConfig(root, undefined, root)).config.failOn).toBe("high");
      mkdirSync(join(root, ".github"));
      writeFileSync(join(root, ".github", "rce-guard.yml"), "fail_on: medium\nexclude: [tests/**]\n");
      const loaded = await loadConfig(root, undefined, root);
      expect(loaded).toMatchObject({
        source: ".github/rce-guard.yml",
        config: { failOn: "medium", exclude: ["tests/**"] },
      });
      writeFileSync(join(root, "bad.yml"), YAML);
      const error = await loadConfig(root, "bad.yml", root).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(CliError);
      expect((error as CliError).details).toEqual([
        '  bad.yml:6: rules.VNX-LLM-002.severity: must be one of critical, high, medium, low, info; got "loud"',
        "  bad.yml:9: sources[1]: must be an API path such as mycorp.llm.ask(); got 42",
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
