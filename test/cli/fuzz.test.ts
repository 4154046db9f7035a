// A bounded, seeded fuzz run of the real CLI: generated and mutated Python (deep nesting, long lines, odd
// line endings, invalid UTF-8, huge literals, binary junk). Every run must end within its time limit with
// status 0, 1 or 3 and nothing on stderr, and every file must be accounted for: analysed, or named with a
// reason. A file that holds model output reaching `exec` after the hostile part must yield the finding or
// be named as not fully analysed. Set RCE_GUARD_FUZZ_SEED to replay a failure; the seed is in each message.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportSchemaErrors, sarifSchemaErrors } from "../report/validators.js";
import { LLM_EXEC, makeProject, runCli } from "./run-cli.js";
import { seededRandom } from "../support/prng.js";

const SEED = Number(process.env.RCE_GUARD_FUZZ_SEED ?? 20261130);
const FILES_PER_CORPUS = 10;
const CORPORA = 3;
/** Per run: the scan's own per-file budget, and the wall-clock limit the run must end within. */
const FILE_BUDGET_SECONDS = 10;
const RUN_LIMIT_MS = 25_000;
const MAX_FILE_SIZE = 1024 * 1024;

interface Generated {
  content: string | Buffer;
  /** Model output reaches `exec(r)` at top level after the hostile part: found, or the file is named. */
  flow: boolean;
}

const HEADER = `from openai import OpenAI
client = OpenAI()
r = client.chat.completions.create(model="m", messages=[]).choices[0].message.content
`;
const SINK = "exec(r)\n";

function generators(rand: () => number) {
  const int = (low: number, high: number) => low + Math.floor(rand() * (high - low + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const nest = (open: string, close: string, depth: number, inner = "1") =>
    `${open.repeat(depth)}${inner}${close.repeat(depth)}`;
  const flow = (middle: string): Generated => ({ content: `${HEADER}${middle}\n${SINK}`, flow: true });
  return {
    parens: () => flow(`x = ${nest("(", ")", int(200, 6000))}`),
    brackets: () => flow(`x = ${nest("[", "]", int(200, 6000))}`),
    mixed: () => {
      const depth = int(200, 3000);
      const opens = Array.from({ length: depth }, () => pick(["(", "[", "{1:", "f("]));
      const closes = opens.map((open) => (open === "{1:" ? "}" : open === "[" ? "]" : ")")).reverse();
      return flow(`x = ${opens.join("")}1${closes.join("")}`);
    },
    calls: () => flow(`x = ${nest("g(", ")", int(200, 5000))}`),
    ifs: () => {
      const depth = int(20, 300);
      const lines = Array.from({ length: depth }, (_, level) => `${" ".repeat(level)}if x${level}:`);
      return flow(`${lines.join("\n")}\n${" ".repeat(depth)}pass`);
    },
    terms: () =>
      flow(
        `x = ${Array.from({ length: int(1000, 60_000) }, () => pick(["1", "a", "b.c", "f(1)"])).join(pick([" + ", " * ", " or ", ", "]))}`,
      ),
    longLine: () => flow(`pad = "${"a".repeat(int(10_000, 900_000))}"; y = 1`),
    hugeLiteral: () => {
      // Sometimes over --max-file-size, so the CLI's own skip is exercised too.
      const size = pick([int(10_000, 600_000), int(MAX_FILE_SIZE + 1, MAX_FILE_SIZE + 200_000)]);
      return flow(`BLOB = """${"z\\n ".repeat(Math.floor(size / 4))}"""`);
    },
    lineEndings: (): Generated => {
      const ending = pick(["\r\n", "\r", "\n\x0c", "\r\n\r\n"]);
      const bom = rand() < 0.5 ? "\ufeff" : "";
      // A lone \r ends a line for CPython but not for the parser: then only "analysed or named" holds.
      return {
        content: `${bom}${LLM_EXEC}`.replace(/\n/g, ending),
        flow: ending !== "\r" && !ending.includes("\x0c"),
      };
    },
    invalidUtf8: (): Generated => {
      const junk = Buffer.from(Array.from({ length: int(1, 200) }, () => int(0x80, 0xff)));
      return {
        content: Buffer.concat([Buffer.from(`${HEADER}# `), junk, Buffer.from(`\n${SINK}`)]),
        flow: true,
      };
    },
    binary: (): Generated => ({
      content: Buffer.from(Array.from({ length: int(1, 5000) }, () => int(0, 255))),
      flow: false,
    }),
    mutated: (): Generated => {
      const chars = [...`${HEADER}def run(a):\n    if a:\n        return [a, {"k": (a,)}]\n${SINK}`];
      const alphabet = [
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        ":",
        ",",
        "\n",
        "\t",
        " ",
        '"',
        "'",
        "#",
        "\\",
        "\r",
        "\x0c",
        "lambda ",
        "exec(r)",
      ];
      for (let edits = int(1, 40); edits > 0; edits--) {
        const at = int(0, chars.length);
        const op = rand();
        if (op < 0.4) chars.splice(at, 0, pick(alphabet));
        else if (op < 0.7) chars.splice(at, int(1, 5));
        else
          chars.splice(
            at,
            0,
            ...chars
              .slice(at, at + int(1, 200))
              .join("")
              .repeat(int(2, 50)),
          );
      }
      return { content: chars.join(""), flow: false };
    },
  };
}

interface Corpus {
  seed: number;
  project: { dir: string; cleanup: () => void };
  files: Map<string, Generated & { kind: string }>;
}

function makeCorpus(seed: number): Corpus {
  const rand = seededRandom(seed);
  const shapes = generators(rand);
  const kinds = Object.keys(shapes) as (keyof typeof shapes)[];
  const files = new Map<string, Generated & { kind: string }>();
  for (let index = 0; index < FILES_PER_CORPUS; index++) {
    const kind = kinds[Math.floor(rand() * kinds.length)]!;
    files.set(`f${index}_${kind}.py`, { ...shapes[kind](), kind });
  }
  // A plain true positive next to the hostile files: they must not cost it.
  files.set("canary.py", { content: LLM_EXEC, flow: true, kind: "canary" });
  const project = makeProject(Object.fromEntries([...files].map(([path, file]) => [path, file.content])));
  return { seed, project, files };
}

interface Report {
  findings: { location: { path: string } }[];
  diagnostics: { path: string; message: string }[];
  notAnalysed: { path: string; reason: string }[];
  stats: { files: number; skippedFiles: number };
  gate: { exitCode: number; failed: boolean };
}

let corpora: Corpus[];
beforeAll(() => {
  corpora = Array.from({ length: CORPORA }, (_, index) => makeCorpus(SEED + index));
});
afterAll(() => {
  for (const corpus of corpora) corpus.project.cleanup();
});

const ARGS = [
  "--fail-on",
  "never",
  "--max-file-size",
  String(MAX_FILE_SIZE),
  "--file-budget",
  String(FILE_BUDGET_SECONDS),
  "--threads",
  "0",
];

describe(`fuzzed Python through the CLI (seed ${SEED})`, () => {
  it("every run ends in time with 0, 1 or 3, no crash, and every file found, analysed or named", async () => {
    const runs = await Promise.all(
      corpora.map((corpus) =>
        runCli(["scan", "-f", "json", ...ARGS], corpus.project.dir, {}, { timeoutMs: RUN_LIMIT_MS }),
      ),
    );
    for (const [index, run] of runs.entries()) {
      const corpus = corpora[index]!;
      const where = `seed ${corpus.seed}: ${[...corpus.files].map(([path, file]) => `${path}(${file.kind})`).join(" ")}`;
      expect(run.ms, where).toBeLessThan(RUN_LIMIT_MS);
      expect(run.stderr, where).toBe("");
      expect([0, 3], where).toContain(run.code);
      const report = JSON.parse(run.stdout) as Report;
      expect(reportSchemaErrors(report), where).toEqual([]);
      expect(report.gate.exitCode, where).toBe(run.code);

      // Accounted for: handed to the analysis or skipped with a reason; no other paths appear.
      expect(report.stats.files + report.stats.skippedFiles, where).toBe(corpus.files.size);
      const named = new Set(report.diagnostics.map((d) => d.path));
      for (const path of named) expect(corpus.files.has(path), `${where}: ${path}`).toBe(true);
      const incomplete = new Set(report.notAnalysed.map((file) => file.path));
      expect(run.code, where).toBe(incomplete.size > 0 ? 3 : 0);

      const found = new Set(report.findings.map((f) => f.location.path));
      expect(found.has("canary.py"), where).toBe(true);
      for (const [path, file] of corpus.files) {
        if (file.flow)
          expect(found.has(path) || incomplete.has(path), `${where}: ${path} found or named`).toBe(true);
        if (file.kind === "binary") expect(named.has(path), `${where}: ${path} named`).toBe(true);
      }
    }
  });

  it("text and SARIF name what was not analysed, and agree with their own exit status", async () => {
    // Each run is checked on its own: how deep the engine's recursion gets before the stack runs out can
    // differ between runs (optimised frames are smaller), so runs are not compared with each other.
    const corpus = corpora[0]!;
    const limit = { timeoutMs: RUN_LIMIT_MS };
    const [text, sarif] = await Promise.all([
      runCli(["scan", "--no-color", "--quiet", ...ARGS], corpus.project.dir, {}, limit),
      runCli(["scan", "-f", "sarif", ...ARGS], corpus.project.dir, {}, limit),
    ]);
    const where = `seed ${corpus.seed}`;
    expect([text.stderr, sarif.stderr], where).toEqual(["", ""]);
    expect([0, 3], where).toContain(text.code);
    expect([0, 3], where).toContain(sarif.code);

    const block = /^Not analysed \((\d+) files?\): .*\n((?: {2}.*\n)+)/m.exec(text.stdout);
    expect(block !== null, where).toBe(text.code === 3);
    if (block) {
      const paths = new Set(
        block[2]!
          .trimEnd()
          .split("\n")
          .map((line) => /^ {2}([^ :]+)/.exec(line)![1]!),
      );
      expect(paths.size, where).toBe(Number(block[1]));
      for (const path of paths) expect(corpus.files.has(path), `${where}: ${path}`).toBe(true);
    }

    const log = JSON.parse(sarif.stdout);
    expect(sarifSchemaErrors(log), where).toEqual([]);
    const [invocation] = log.runs[0].invocations;
    expect(invocation.exitCode, where).toBe(sarif.code);
    const notified = invocation.toolExecutionNotifications.filter(
      (n: { properties?: { incomplete?: string } }) => n.properties?.incomplete,
    );
    expect(notified.length > 0, where).toBe(sarif.code === 3);
    if (notified.length > 0) expect(invocation.executionSuccessful, where).toBe(false);
    for (const notification of notified) {
      const uri = notification.locations[0].physicalLocation.artifactLocation.uri;
      expect(corpus.files.has(uri), `${where}: ${uri}`).toBe(true);
    }
  });
});
