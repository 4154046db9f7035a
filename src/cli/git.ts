// `--diff BASE`: which lines changed since the merge base with BASE. Git runs through execFile with an
// argument vector, never a shell, so a branch name can never become a command.
import { execFile } from "node:child_process";
import type { LineRanges } from "../engine/index.js";
import { CliError } from "./args.js";

export interface ChangedLines {
  mergeBase: string;
  /** Root-relative path → added or changed lines, for every file that differs from the merge base. */
  changed: Map<string, LineRanges>;
  /** Root-relative paths git does not track yet: new files, every line of which counts as changed. */
  untracked: Set<string>;
}

function git(cwd: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      args,
      {
        cwd,
        maxBuffer: 256 * 1024 * 1024,
        encoding: "utf8",
        env: { ...process.env, GIT_TERMINAL_PROMPT: "0" },
      },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        if ((error as NodeJS.ErrnoException).code === "ENOENT") {
          return reject(new CliError("--diff needs git, but the git executable was not found on PATH"));
        }
        const firstLine = stderr.split("\n").find((line) => line.trim() !== "") ?? error.message;
        reject(new GitError(firstLine.trim()));
      },
    );
  });
}

class GitError extends Error {}

export async function changedLinesSince(root: string, base: string): Promise<ChangedLines> {
  if (base.startsWith("-")) throw new CliError(`--diff '${base}' is not a branch, tag or commit`);
  let mergeBase: string;
  try {
    mergeBase = (await git(root, ["merge-base", base, "HEAD"])).trim();
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    const shallow = await git(root, ["rev-parse", "--is-shallow-repository"]).catch(() => "");
    const hint =
      shallow.trim() === "true"
        ? "; this is a shallow clone, fetch more history (actions/checkout with fetch-depth: 0)"
        : "";
    throw new CliError(
      `--diff ${base}: cannot find the merge base with HEAD (${error.message || "no common ancestor"})${hint}`,
    );
  }
  // Against the work tree rather than HEAD, so uncommitted edits are reviewed too when run locally.
  const diff = await git(root, [
    "-c",
    "core.quotePath=false",
    "diff",
    "--unified=0",
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "--find-renames",
    "--relative",
    "--src-prefix=a/",
    "--dst-prefix=b/",
    mergeBase,
    "--",
  ]);
  const untrackedList = await git(root, ["ls-files", "--others", "--exclude-standard", "-z"]);
  return {
    mergeBase,
    changed: parseUnifiedDiff(diff),
    untracked: new Set(untrackedList.split("\0").filter((path) => path !== "")),
  };
}

/**
 * Added and changed lines per file from `git diff --unified=0`. A hunk that only deletes lines adds
 * nothing on the new side, so it contributes no range; the file still appears, with what else changed.
 */
export function parseUnifiedDiff(diff: string): Map<string, LineRanges> {
  const changed = new Map<string, [number, number][]>();
  let current: [number, number][] | undefined;
  for (const line of diff.split("\n")) {
    if (line.startsWith("+++ ")) {
      const target = unquote(line.slice(4).replace(/\t$/, ""));
      if (target === "/dev/null") {
        current = undefined;
        continue;
      }
      const path = target.startsWith("b/") ? target.slice(2) : target;
      current = changed.get(path) ?? [];
      changed.set(path, current);
      continue;
    }
    if (!current || !line.startsWith("@@")) continue;
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (!hunk) continue;
    const start = Number(hunk[1]);
    const count = hunk[2] === undefined ? 1 : Number(hunk[2]);
    if (count > 0) current.push([start, start + count - 1]);
  }
  return changed;
}

/** Git quotes paths with control characters or quotes as C strings even with core.quotePath=false. */
function unquote(text: string): string {
  if (!text.startsWith('"') || !text.endsWith('"')) return text;
  const bytes: number[] = [];
  const body = text.slice(1, -1);
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, b: 8, f: 12, a: 7, v: 11, '"': 34, "\\": 92 };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== "\\") {
      bytes.push(...Buffer.from(ch, "utf8"));
      continue;
    }
    const next = body[i + 1] ?? "";
    if (/[0-7]/.test(next)) {
      bytes.push(Number.parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(simple[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

/** The commit checked out at `root`, or undefined outside git (or without git): for SARIF provenance. */
export async function headRevision(root: string): Promise<string | undefined> {
  try {
    const revision = (await git(root, ["rev-parse", "--verify", "--quiet", "HEAD"])).trim();
    return /^[0-9a-f]{40,64}$/.test(revision) ? revision : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What .gitignore (and .git/info/exclude, core.excludesFile) leaves out under `root`, as root-relative
 * paths; ignored directories end in `/` and stand for everything below them. Undefined when `root` is not
 * in a git work tree or git is not installed: then nothing is ignored, as with ripgrep outside a repository.
 */
export async function gitIgnoredPaths(root: string): Promise<Set<string> | undefined> {
  try {
    const listed = await git(root, [
      "-c",
      "core.quotePath=false",
      "ls-files",
      "-z",
      "--others",
      "--ignored",
      "--exclude-standard",
      "--directory",
    ]);
    return new Set(listed.split("\0").filter((path) => path !== ""));
  } catch {
    return undefined;
  }
}
