// Runs the real CLI in a child process, as a user or CI would, and builds throwaway projects for it.
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const entry = join(repoRoot, "src", "cli", "main.ts");
// Absolute, because the child runs in a temporary directory where `tsx` would not resolve.
const tsxLoader = pathToFileURL(join(repoRoot, "node_modules", "tsx", "dist", "loader.mjs")).href;

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", tsxLoader, entry, ...args],
      { cwd, env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "", ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A fresh directory holding `files` (path → content); removed by the returned cleanup. */
export function makeProject(files: Record<string, string | Buffer>): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "rce-guard-cli-"));
  writeProjectFiles(dir, files);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeProjectFiles(dir: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd: dir,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "Test",
      GIT_AUTHOR_EMAIL: "test@example.com",
      GIT_COMMITTER_NAME: "Test",
      GIT_COMMITTER_EMAIL: "test@example.com",
      GIT_CONFIG_NOSYSTEM: "1",
      HOME: dir,
    },
  });
}

/** The engine's canonical true positive: model output straight into exec (finding on line 5, column 10). */
export const LLM_EXEC = `from openai import OpenAI
client = OpenAI()
def run():
    code = client.chat.completions.create(model="m", messages=[]).choices[0].message.content
    exec(code)
`;

/** The same shape with a constant: must not be reported. */
export const CONSTANT_EXEC = `def run():
    code = "print('hello')"
    exec(code)
`;
