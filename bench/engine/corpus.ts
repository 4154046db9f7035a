// The corpus: the Python standard library (or --root), read once per process, and its package chunks.
import { execFile } from "node:child_process";
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { DEFAULT_MAX_FILE_BYTES, type SourceFile } from "../../src/engine/index.js";
import { MB } from "./measure.js";
import type { Options } from "./options.js";

export interface Corpus {
  root: string;
  files: SourceFile[];
  bytes: number;
  skippedLarge: number;
}

export function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string } = {},
): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { maxBuffer: 256 * MB, ...opts }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({
        stdout: String(stdout),
        stderr: String(stderr) || (error && code === -1 ? error.message : ""),
        code,
      });
    });
  });
}

export async function stdlibRoot(): Promise<string> {
  const { stdout, code, stderr } = await run("python3", [
    "-c",
    "import sysconfig; print(sysconfig.get_paths()['stdlib'])",
  ]);
  if (code !== 0) throw new Error(`cannot locate the standard library through python3: ${stderr.trim()}`);
  return stdout.trim();
}

export async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      // Third-party packages and byte-code caches are not the standard library.
      if (entry.name === "site-packages" || entry.name === "dist-packages" || entry.name === "__pycache__")
        continue;
      await walk(full, out);
    } else if (entry.isFile() && entry.name.endsWith(".py")) out.push(full);
  }
}

export async function loadCorpus(options: Options): Promise<Corpus> {
  const root = options.root ?? (await stdlibRoot());
  const paths: string[] = [];
  await walk(root, paths);
  paths.sort();
  const files: SourceFile[] = [];
  let bytes = 0;
  let skippedLarge = 0;
  for (const full of paths) {
    if (options.limit !== undefined && files.length >= options.limit) break;
    if ((await stat(full)).size > DEFAULT_MAX_FILE_BYTES) {
      skippedLarge++;
      continue;
    }
    // Paths relative to the root, with `/`: module names are then the stdlib's own (`json.decoder`).
    const path = relative(root, full).split(sep).join("/");
    // latin-1 test files decode with replacement characters, as the CLI reads them.
    const text = await readFile(full, "utf8");
    files.push({ path, text });
    bytes += Buffer.byteLength(text, "utf8");
  }
  return { root, files, bytes, skippedLarge };
}

/**
 * Chunks of files that stay together: one per top-level package (top-level modules share one chunk).
 * A chunk larger than `maxBytes` is split one directory level further, and a directory's own files,
 * if still too large, into consecutive runs — `test/` alone is over half the standard library.
 */
export function groupFiles(
  files: readonly SourceFile[],
  maxBytes: number,
): { name: string; files: SourceFile[]; bytes: number }[] {
  const out: { name: string; files: SourceFile[]; bytes: number }[] = [];
  const size = (fs: readonly SourceFile[]) => fs.reduce((n, f) => n + f.text.length, 0);
  const split = (prefix: string, depth: number, members: SourceFile[]) => {
    const bytes = size(members);
    if (bytes <= maxBytes) {
      out.push({ name: prefix || "<top-level modules>", files: members, bytes });
      return;
    }
    const own: SourceFile[] = [];
    const sub = new Map<string, SourceFile[]>();
    for (const file of members) {
      const parts = file.path.split("/");
      if (parts.length <= depth + 1) own.push(file);
      else {
        const key = parts.slice(0, depth + 1).join("/");
        sub.set(key, [...(sub.get(key) ?? []), file]);
      }
    }
    for (const [key, list] of sub) split(key, depth + 1, list);
    let run: SourceFile[] = [];
    let runBytes = 0;
    let part = 1;
    const label = prefix ? `${prefix}/*` : "<top-level modules>";
    const flush = () => {
      if (run.length > 0) out.push({ name: `${label} #${part++}`, files: run, bytes: runBytes });
      run = [];
      runBytes = 0;
    };
    for (const file of own) {
      if (runBytes > 0 && runBytes + file.text.length > maxBytes) flush();
      run.push(file);
      runBytes += file.text.length;
    }
    flush();
  };
  const top = new Map<string, SourceFile[]>();
  for (const file of files) {
    const parts = file.path.split("/");
    const key = parts.length === 1 ? "" : parts[0]!;
    top.set(key, [...(top.get(key) ?? []), file]);
  }
  for (const [key, list] of top) split(key, key ? 1 : 0, list);
  // Largest first: the workers take chunks from a queue, and this order balances them best.
  return out.sort((a, b) => b.bytes - a.bytes);
}

export function textsOf(files: readonly SourceFile[]): Map<string, string> {
  return new Map(files.map((f) => [f.path, f.text]));
}
