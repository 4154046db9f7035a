import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runAnalysis, runAnalysisAsync } from "../../src/run-analysis.js";
import { parseConfig } from "../../src/config.js";
import { DEFAULT_MAX_FILE_BYTES } from "../../src/engine/file-policy.js";
import { expandAlternatives, PathMatcher } from "../../src/engine/models.js";

const EXAMPLE_APP = join(import.meta.dirname, "..", "..", "examples", "llm-agent");

const VULNERABLE = `from openai import OpenAI
client = OpenAI()

def run():
    code = client.chat.completions.create(model="m", messages=[]).choices[0].message.content
    exec(code)
`;

describe("analyze", () => {
  it("reports the sink argument's exact span, the source and the trace", () => {
    const { findings } = runAnalysis([{ path: "agent.py", text: VULNERABLE }]);
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding).toMatchObject({
      ruleId: "VNX-LLM-002",
      severity: "critical",
      confidence: "high",
      cwe: [95],
      provenance: "llm",
      sinkCallee: "exec",
      location: { path: "agent.py", startLine: 6, startColumn: 10, endLine: 6, endColumn: 13 },
    });
    expect(finding!.message).toBe(
      "Output of `client.chat.completions.create` (line 5) reaches `exec` (line 6): code execution controlled by the model.",
    );
    expect(finding!.trace.map((s) => [s.location.startLine, s.note])).toEqual([
      [5, "output of `client.chat.completions.create`"],
      [5, "assigned to `code`"],
      [6, "reaches `exec`"],
    ]);
    expect(finding!.remediation).toMatch(/allowlist/);
    expect(finding!.helpUri).toMatch(/rules\/VNX-LLM-002\/rule\.md$/);
  });

  it("keeps fingerprints across unrelated edits and line shifts", () => {
    const before = runAnalysis([{ path: "agent.py", text: VULNERABLE }]).findings[0]!;
    const shifted = `"""Module docstring."""\nimport logging\n\nlog = logging.getLogger(__name__)\n${VULNERABLE}`;
    const after = runAnalysis([{ path: "agent.py", text: shifted }]).findings[0]!;
    expect(after.location.startLine).toBe(before.location.startLine + 4);
    expect(after.fingerprint).toBe(before.fingerprint);
    const renamedArgument = VULNERABLE.replaceAll("code", "program");
    const changed = runAnalysis([{ path: "agent.py", text: renamedArgument }]).findings[0]!;
    expect(changed.fingerprint).not.toBe(before.fingerprint);
  });

  it("numbers identical findings in one file so each has its own fingerprint", () => {
    const twice = `${VULNERABLE}\ndef again():\n    code = client.chat.completions.create(model="m", messages=[]).choices[0].message.content\n    exec(code)\n`;
    const fingerprints = runAnalysis([
      { path: "a.py", text: twice.replace("def again", "def run") },
    ]).findings.map((f) => f.fingerprint);
    expect(fingerprints).toHaveLength(2);
    expect(new Set(fingerprints).size).toBe(2);
  });

  it("lists suppressed findings with their reason instead of dropping them", () => {
    const text = VULNERABLE.replace(
      "    exec(code)",
      "    exec(code)  # rce-guard: ignore[VNX-LLM-002] runs inside the gVisor sandbox",
    );
    const result = runAnalysis([{ path: "agent.py", text }]);
    expect(result.findings).toEqual([]);
    expect(result.suppressed).toHaveLength(1);
    expect(result.suppressed[0]!.suppression).toMatchObject({
      reason: "runs inside the gVisor sandbox",
      location: { startLine: 6 },
    });
    const otherRule = VULNERABLE.replace(
      "    exec(code)",
      "    # rce-guard: ignore[VNX-DESER-001] not this rule\n    exec(code)",
    );
    expect(runAnalysis([{ path: "agent.py", text: otherRule }]).findings).toHaveLength(1);
  });

  it("reports only findings touching changed lines, with unchanged files as context", () => {
    const helper = `import subprocess\n\ndef run_command(c):\n    return subprocess.run(c, shell=True)\n`;
    const caller = `from openai import OpenAI\nfrom helper import run_command\n\ndef go():\n    text = OpenAI().responses.create(model="m", input="x").output_text\n    run_command(text)\n`;
    const files = [
      { path: "helper.py", text: helper },
      { path: "caller.py", text: caller },
    ];
    expect(runAnalysis(files).findings).toHaveLength(1);
    // The call that creates the flow changed: reported, although the sink's own line did not change.
    const callChanged = runAnalysis(files, { changedLines: new Map([["caller.py", [[6, 6]]]]) });
    expect(callChanged.findings.map((f) => `${f.location.path}:${f.location.startLine}`)).toEqual([
      "helper.py:4",
    ]);
    const unrelated = runAnalysis(files, { changedLines: new Map([["caller.py", [[1, 1]]]]) });
    expect(unrelated.findings).toEqual([]);
  });

  it("never throws on malformed Python and reports the syntax error", () => {
    const broken = `def f(:\n    pass\nfrom openai import OpenAI\nx = OpenAI().chat.completions.create(model="m").choices[0].message.content\nexec(x)\nclass (\n`;
    const result = runAnalysis([{ path: "broken.py", text: broken }]);
    expect(result.stats.parseErrors).toBe(1);
    expect(result.diagnostics[0]).toMatchObject({ path: "broken.py", severity: "warning" });
    expect(result.diagnostics[0]!.message).toMatch(/syntax error at line 1/);
    expect(result.findings.map((f) => f.location.startLine)).toEqual([5]);
  });

  it("names binary and oversized files as not analysed", () => {
    const result = runAnalysis([
      { path: "blob.py", text: "\u0000\u0001binary" },
      { path: "huge.py", text: `x = 1\n${"#".repeat(DEFAULT_MAX_FILE_BYTES)}` },
    ]);
    expect(result.diagnostics.map((d) => [d.path, d.message, d.incomplete])).toEqual([
      ["blob.py", "not analysed: binary content (NUL bytes)", "file"],
      ["huge.py", `not analysed: larger than the size limit of ${DEFAULT_MAX_FILE_BYTES} bytes`, "file"],
    ]);
  });

  it("takes the size limit it is given, and no other", () => {
    const text = `import openai\nexec(openai.OpenAI().responses.create().output_text)\n#${"x".repeat(9 * 1024 * 1024)}\n`;
    const result = runAnalysis([{ path: "big.py", text }], { maxFileBytes: 30 * 1024 * 1024 });
    expect(result.diagnostics).toEqual([]);
    expect(result.findings.map((f) => f.ruleId)).toEqual(["VNX-LLM-002"]);
  });

  it("survives deep nesting and pathological input", () => {
    const deep =
      `${"(".repeat(2000)}1${")".repeat(2000)}\n` + "x = [" + "[".repeat(500) + "]".repeat(500) + "]\n";
    const result = runAnalysis([
      { path: "deep.py", text: deep },
      { path: "empty.py", text: "" },
    ]);
    expect(result.findings).toEqual([]);
  });

  it("applies the configuration: disabled rules, severity overrides, excludes, extra sources and sinks", () => {
    const files = [{ path: "agent.py", text: VULNERABLE }];
    const off = parseConfig("rules:\n  VNX-LLM-002: off\n").config;
    expect(runAnalysis(files, { config: off }).findings).toEqual([]);
    const high = parseConfig("rules:\n  VNX-LLM-002: { severity: high }\n").config;
    expect(runAnalysis(files, { config: high }).findings[0]!.severity).toBe("high");
    const excluded = parseConfig("exclude: ['agent.py']\n").config;
    expect(runAnalysis(files, { config: excluded }).findings).toEqual([]);

    const custom = `from mycorp.llm import ask\nfrom mycorp.runner import run_snippet\n\ndef go():\n    run_snippet(ask("code"))\n`;
    expect(runAnalysis([{ path: "c.py", text: custom }]).findings).toEqual([]);
    const extended = parseConfig(
      "sources:\n  - mycorp.llm.ask()\nsinks:\n  - { api: mycorp.runner.run_snippet, kind: code }\n",
    ).config;
    const found = runAnalysis([{ path: "c.py", text: custom }], { config: extended }).findings;
    expect(found.map((f) => [f.ruleId, f.location.startLine, f.sinkCallee])).toEqual([
      ["VNX-LLM-002", 5, "run_snippet"],
    ]);
  });

  it("decides injected clients per instance: model output only where a model was passed in", () => {
    const coder = `class Coder:\n    def __init__(self, llm):\n        self.llm = llm\n\n    def run(self, task):\n        exec(self.llm.invoke(task).content)\n`;
    const withModel = `${coder}\nfrom langchain_anthropic import ChatAnthropic\nCoder(ChatAnthropic()).run("x")\n`;
    const withStub = `${coder}\nclass Stub:\n    def invoke(self, t):\n        return t\nCoder(Stub()).run("x")\n`;
    const found = runAnalysis([{ path: "coder.py", text: withModel }]).findings;
    expect(found.map((f) => [f.ruleId, f.location.startLine])).toEqual([["VNX-LLM-002", 6]]);
    expect(found[0]!.trace[0]!.note).toBe(
      "`Coder(ChatAnthropic()).run()` on an object built with `langchain_anthropic.ChatAnthropic`",
    );
    expect(runAnalysis([{ path: "coder.py", text: withStub }]).findings).toEqual([]);
  });

  it("gives the same result when it pauses between modules", async () => {
    const files = readdirSync(EXAMPLE_APP).map((name) => ({
      path: name,
      text: readFileSync(join(EXAMPLE_APP, name), "utf8"),
    }));
    const sync = runAnalysis(files);
    expect(sync.findings.length).toBeGreaterThan(0);
    expect(await runAnalysisAsync(files)).toEqual(sync);
  });

  it("grades a deserialization sink by where its data comes from", () => {
    const text = `import pickle, socket\nfrom django.http import HttpResponse\nfrom openai import OpenAI\n
def from_model():
    return pickle.loads(OpenAI().responses.create(model="m", input="x").output_text.encode())

def from_network(sock: socket.socket):
    return pickle.loads(sock.recv(4096))

def view(request):
    return HttpResponse(pickle.loads(request.body))

def from_caller(blob):
    return pickle.loads(blob)

def from_repository():
    with open("model.pkl", "rb") as handle:
        return pickle.load(handle)
`;
    const graded = runAnalysis([{ path: "g.py", text }])
      .findings.filter((f) => f.ruleId === "VNX-DESER-001")
      .map((f) => [f.location.startLine, f.provenance, f.severity]);
    expect(graded).toEqual([
      [6, "llm", "critical"],
      [9, "remote", "critical"],
      [12, "remote", "critical"],
      [15, "parameter", "medium"],
      [19, "constant", "low"],
    ]);
  });

  it("never executes the code it reads", () => {
    const dir = mkdtempSync(join(tmpdir(), "rce-guard-"));
    const marker = join(dir, "executed");
    try {
      const hostile = `import os\nos.system("touch ${marker}")\nopen("${marker}", "w").write("x")\n__import__("os").system("touch ${marker}")\n`;
      runAnalysis([{ path: "hostile.py", text: hostile }]);
      expect(existsSync(marker)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("API path patterns", () => {
  it("expands alternatives, nested ones included", () => {
    expect(expandAlternatives("a.{b,c}.d")).toEqual(["a.b.d", "a.c.d"]);
    expect(expandAlternatives("x.{y,z.{p,q}}()")).toEqual(["x.y()", "x.z.p()", "x.z.q()"]);
    expect(expandAlternatives("LLMMathChain{,.from_llm}")).toEqual(["LLMMathChain", "LLMMathChain.from_llm"]);
  });

  it("matches `*` within one name only", () => {
    const matcher = new PathMatcher<number>();
    matcher.add("langchain_openai.*().invoke()", 1);
    expect(matcher.match("langchain_openai.ChatOpenAI().invoke()")).toBe(1);
    expect(matcher.match("langchain_openai.a.b().invoke()")).toBeUndefined();
    expect(matcher.match("langchain_openai.ChatOpenAI().invoke")).toBeUndefined();
  });
});
