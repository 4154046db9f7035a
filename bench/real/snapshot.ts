// A repository's files at one commit, read from a bare mirror with git (no checkout, nothing written to disk):
// the Python files and dependency manifests, as run.py in the case folder extracts them.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import type { SourceFile } from "../../src/engine/index.js";

const MANIFESTS = new Set(["pyproject.toml", "setup.cfg", "Pipfile", "poetry.lock", "uv.lock"]);

/** What the scan reads: Python files and dependency manifests (as the case runner extracts them). */
export function isScanned(path: string): boolean {
  const name = path.slice(path.lastIndexOf("/") + 1);
  return (
    path.endsWith(".py") || MANIFESTS.has(name) || (name.startsWith("requirements") && name.endsWith(".txt"))
  );
}

/** DIR/OWNER+NAME/repo: the layout of the mirror folder (`git clone --bare URL DIR/OWNER+NAME/repo`). */
export function mirrorPath(mirrors: string, repo: string): string {
  return join(mirrors, repo.replace("/", "+"), "repo");
}

/** Clones a public GitHub repository as a bare mirror, when asked to and it is not there yet. */
export function cloneMirror(mirror: string, repo: string): void {
  mkdirSync(dirname(mirror), { recursive: true });
  execFileSync("git", ["clone", "--bare", "--quiet", `https://github.com/${repo}.git`, mirror], {
    stdio: ["ignore", "inherit", "inherit"],
  });
}

export function hasCommit(mirror: string, commit: string): boolean {
  if (!existsSync(mirror)) return false;
  const probe = spawnSync("git", ["-C", mirror, "cat-file", "-e", `${commit}^{commit}`]);
  return probe.status === 0;
}

/**
 * The scanned files at `commit`, read through `git cat-file --batch`. Blobs missing from the mirror (a
 * partial copy) are skipped and counted, so a case's file that is absent shows as a miss, not a crash.
 */
export function readSnapshot(mirror: string, commit: string): { files: SourceFile[]; missing: number } {
  const listing = execFileSync("git", ["-C", mirror, "ls-tree", "-r", "-z", commit], {
    maxBuffer: 1 << 30,
  }).toString("utf8");
  const wanted: { sha: string; path: string }[] = [];
  for (const entry of listing.split("\0")) {
    const tab = entry.indexOf("\t");
    if (tab < 0) continue;
    const [, type, sha] = entry.slice(0, tab).split(" ");
    const path = entry.slice(tab + 1);
    if (type === "blob" && sha && isScanned(path)) wanted.push({ sha, path });
  }
  const batch = spawnSync("git", ["-C", mirror, "cat-file", "--batch"], {
    input: wanted.map((w) => w.sha).join("\n") + "\n",
    maxBuffer: 2 ** 31,
  });
  const out = batch.stdout;
  const files: SourceFile[] = [];
  let missing = 0;
  let at = 0;
  for (const { path } of wanted) {
    const newline = out.indexOf(10, at);
    if (newline < 0) break;
    const header = out.subarray(at, newline).toString("utf8");
    at = newline + 1;
    if (header.endsWith(" missing")) {
      missing++;
      continue;
    }
    const size = Number(header.split(" ")[2]);
    files.push({ path, text: out.subarray(at, at + size).toString("utf8") });
    at += size + 1;
  }
  return { files, missing };
}
