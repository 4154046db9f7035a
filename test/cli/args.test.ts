import { describe, expect, it } from "vitest";
import {
  CliError,
  DEFAULT_FILE_BUDGET_SECONDS,
  DEFAULT_MAX_FILE_SIZE,
  parseArgs,
  parseSize,
} from "../../src/cli/args.js";

function usageError(argv: string[]): string {
  try {
    parseArgs(argv);
  } catch (error) {
    if (error instanceof CliError) return error.message;
    throw error;
  }
  throw new Error(`expected a usage error for ${argv.join(" ")}`);
}

describe("argument parsing", () => {
  it("reads every option in both --name value and --name=value forms", () => {
    expect(
      parseArgs([
        "scan",
        "src",
        "--diff=origin/main",
        "-f",
        "sarif",
        "--output",
        "out.sarif",
        "--fail-on=medium",
        "--config",
        "ci.yml",
        "--root",
        ".",
        "--max-file-size",
        "512k",
        "--threads",
        "2",
        "--file-budget",
        "2.5",
        "--total-budget=600",
        "--allow-incomplete",
        "--no-color",
        "-q",
        "--",
        "--odd-name.py",
      ]),
    ).toEqual({
      kind: "scan",
      options: {
        paths: ["src", "--odd-name.py"],
        diffBase: "origin/main",
        format: "sarif",
        output: "out.sarif",
        failOn: "medium",
        config: "ci.yml",
        root: ".",
        maxFileSize: 512 * 1024,
        threads: 2,
        fileBudgetSeconds: 2.5,
        totalBudgetSeconds: 600,
        allowIncomplete: true,
        color: false,
        quiet: true,
      },
    });
  });

  it("defaults to scanning the current directory as text", () => {
    expect(parseArgs(["scan"])).toEqual({
      kind: "scan",
      options: {
        paths: ["."],
        format: "text",
        maxFileSize: DEFAULT_MAX_FILE_SIZE,
        fileBudgetSeconds: DEFAULT_FILE_BUDGET_SECONDS,
        allowIncomplete: false,
        color: true,
        quiet: false,
      },
    });
    expect(parseArgs(["scan", "--help"])).toEqual({ kind: "help" });
    expect(parseArgs(["-V"])).toEqual({ kind: "version" });
  });

  it("names the offending argument in every usage error", () => {
    expect(usageError([])).toMatch(/missing command/);
    expect(usageError(["lint"])).toBe("unknown command 'lint'; the commands are scan, rules and explain");
    expect(usageError(["scan", "--colour"])).toBe("unknown option '--colour'");
    expect(usageError(["scan", "--output"])).toBe("option '--output' needs a value");
    expect(usageError(["scan", "--diff", "--quiet"])).toBe("option '--diff' needs a value");
    expect(usageError(["scan", "--fail-on", "severe"])).toBe(
      "invalid --fail-on 'severe'; expected one of critical, high, medium, low, info, never",
    );
    expect(usageError(["scan", "--format="])).toBe("option '--format' needs a non-empty value");
    expect(usageError(["scan", "--max-file-size", "lots"])).toMatch(/^invalid --max-file-size 'lots'/);
    expect(usageError(["scan", "--threads=-1"])).toBe(
      "invalid --threads '-1'; expected a whole number from 0 to 64",
    );
    expect(usageError(["scan", "--threads", "two"])).toBe(
      "invalid --threads 'two'; expected a whole number from 0 to 64",
    );
    expect(usageError(["scan", "--file-budget", "0"])).toBe(
      "invalid --file-budget '0'; expected a number of seconds above 0, or none",
    );
    expect(usageError(["scan", "--total-budget=soon"])).toMatch(/^invalid --total-budget 'soon'/);
  });

  it("lifts a time budget with none", () => {
    const command = parseArgs(["scan", "--file-budget", "none"]);
    expect(command.kind === "scan" && command.options.fileBudgetSeconds).toBeUndefined();
  });

  it("reads sizes with k and m suffixes", () => {
    expect(parseSize("100")).toBe(100);
    expect(parseSize("2m")).toBe(2 * 1024 * 1024);
    expect(parseSize("1.5MiB")).toBe(1.5 * 1024 * 1024);
    expect(parseSize("64KB")).toBe(64 * 1024);
  });
});
