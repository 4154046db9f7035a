// Runs the real CLI in a child process, as a user or CI would, and builds throwaway projects for it.
import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
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

export interface RunOptions {
  /** Kill the process after this many milliseconds (the run then reports code -1). */
  timeoutMs?: number;
  /** Run as this user and group (tests running as root use it to meet permission errors). */
  uid?: number;
  gid?: number;
}

export function runCli(
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
  options: RunOptions = {},
): Promise<CliRun & { ms: number }> {
  const startedAt = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", tsxLoader, entry, ...args],
      {
        cwd,
        env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "", ...env },
        maxBuffer: 64 * 1024 * 1024,
        ...(options.timeoutMs ? { timeout: options.timeoutMs, killSignal: "SIGKILL" as const } : {}),
        ...(options.uid !== undefined ? { uid: options.uid } : {}),
        ...(options.gid !== undefined ? { gid: options.gid } : {}),
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr, ms: performance.now() - startedAt });
      },
    );
  });
}

/** The CLI as a child process with piped stdio, for tests that need to act on the streams themselves. */
export function spawnCli(args: readonly string[], cwd: string): ChildProcess {
  return spawn(process.execPath, ["--import", tsxLoader, entry, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "" },
    stdio: ["ignore", "pipe", "pipe"],
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
