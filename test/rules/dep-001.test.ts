import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  type Advisory,
  checkDependencyAdvisories,
  HELP_URI,
  parseAdvisories,
} from "../../rules/VNX-DEP-001/check.js";
import type { Finding, SourceFile } from "../../src/engine/types.js";

const ruleDir = new URL("../../rules/VNX-DEP-001/", import.meta.url);
const { advisories, errors } = parseAdvisories(
  readFileSync(fileURLToPath(new URL("../../rules/models/advisories.yml", import.meta.url)), "utf8"),
);

function example(name: string): SourceFile[] {
  const dir = new URL(`examples/${name}/`, ruleDir);
  return readdirSync(dir).map((file) => ({
    path: file,
    text: readFileSync(fileURLToPath(new URL(file, dir)), "utf8"),
  }));
}

/** What a reviewer reads: where, which advisory, how sure, the upgrade target and the rewritten line text. */
function summary(finding: Finding) {
  return {
    at: `${finding.location.path}:${finding.location.startLine}:${finding.location.startColumn}-${finding.location.endColumn}`,
    advisory: /CVE-\d+-\d+/.exec(finding.message)?.[0],
    confidence: finding.confidence,
    remediation: finding.remediation,
    fix: finding.fix?.edits.map((edit) => edit.replacement),
  };
}

function check(files: SourceFile[], rows: readonly Advisory[] = advisories) {
  return checkDependencyAdvisories(files, rows).map(summary);
}

describe("rules/models/advisories.yml", () => {
  it("parses without errors, every row naming the source it was checked against", () => {
    expect(errors).toEqual([]);
    expect(advisories.length).toBeGreaterThanOrEqual(15);
    for (const advisory of advisories) expect(advisory.source.length).toBeGreaterThan(10);
  });

  it("includes the advisories the engine's decisions rely on", () => {
    const byId = new Map(advisories.map((advisory) => [advisory.id, advisory]));
    expect(byId.get("CVE-2025-32434")).toMatchObject({
      package: "torch",
      affected: "<2.6.0",
      fixed: "2.6.0",
    });
    expect(byId.get("CVE-2020-14343")).toMatchObject({ package: "PyYAML", affected: "<5.4", fixed: "5.4" });
    expect(byId.get("CVE-2017-18342")).toMatchObject({ package: "PyYAML", affected: "<5.1", fixed: "5.1" });
    expect(byId.get("CVE-2025-30165")).toMatchObject({ package: "vllm", fixed: null });
  });
});

describe("VNX-DEP-001 on the examples", () => {
  it("vulnerable/: exact pins, a straddling range, an unfixed advisory and an unpinned package", () => {
    expect(check(example("vulnerable"))).toEqual([
      {
        at: "requirements-serving.txt:1:1-11",
        advisory: "CVE-2025-30165",
        confidence: "medium",
        remediation:
          "No release of vllm fixes CVE-2025-30165: remove the dependency or apply the mitigation in https://github.com/vllm-project/vllm/security/advisories/GHSA-9pcc-gvx5-r5wm.",
        fix: undefined,
      },
      {
        at: "requirements-serving.txt:2:1-7",
        advisory: "CVE-2025-27520",
        confidence: "medium",
        remediation:
          "Upgrade bentoml to 1.4.8 or later: 1.4.3 fixes CVE-2025-27520 (1.4.8 also fixes the other advisories on this package).",
        fix: ["bentoml>=1.4.8"],
      },
      {
        at: "requirements-serving.txt:2:1-7",
        advisory: "CVE-2025-32375",
        confidence: "medium",
        remediation: "Upgrade bentoml to 1.4.8 or later: 1.4.8 fixes CVE-2025-32375.",
        fix: ["bentoml>=1.4.8"],
      },
      {
        at: "requirements.txt:2:1-12",
        advisory: "CVE-2025-32434",
        confidence: "high",
        remediation: "Upgrade torch to 2.6.0 or later: 2.6.0 fixes CVE-2025-32434.",
        fix: ["torch==2.6.0"],
      },
      {
        at: "requirements.txt:3:1-13",
        advisory: "CVE-2020-14343",
        confidence: "high",
        remediation: "Upgrade pyyaml to 5.4 or later: 5.4 fixes CVE-2020-14343.",
        fix: ["PyYAML==5.4"],
      },
      {
        at: "requirements.txt:5:1-35",
        advisory: "CVE-2024-38459",
        confidence: "medium",
        remediation: "Upgrade langchain-experimental to 0.0.61 or later: 0.0.61 fixes CVE-2024-38459.",
        fix: ["langchain-experimental>=0.0.61,<0.1"],
      },
    ]);
  });

  it("safe/: torch>=2.6, pyyaml>=6.0 and fixed Poetry ranges produce nothing", () => {
    expect(check(example("safe"))).toEqual([]);
  });

  it("locked-safe/: the lock's torch 2.6.0 wins over the manifest's torch>=2.0", () => {
    expect(check(example("locked-safe"))).toEqual([]);
  });

  it("locked-vulnerable/: the locked pyyaml 5.3.1 is reported on the lock line, without a fix", () => {
    expect(check(example("locked-vulnerable"))).toEqual([
      {
        at: "poetry.lock:3:12-16",
        advisory: "CVE-2020-14343",
        confidence: "high",
        remediation: "Upgrade pyyaml to 5.4 or later and regenerate the lock file: 5.4 fixes CVE-2020-14343.",
        fix: undefined,
      },
    ]);
  });

  it("pipfile/: Pipfile and setup.cfg lines, unpinned torch, and an advisory without a fixed release", () => {
    expect(check(example("pipfile"))).toEqual([
      {
        at: "Pipfile:2:10-10",
        advisory: "CVE-2025-32434",
        confidence: "medium",
        remediation: "Upgrade torch to 2.6.0 or later: 2.6.0 fixes CVE-2025-32434.",
        fix: [">=2.6.0"],
      },
      {
        at: "Pipfile:3:13-19",
        advisory: "CVE-2024-12366",
        confidence: "high",
        remediation:
          "No release of pandasai fixes CVE-2024-12366: remove the dependency or apply the mitigation in https://www.kb.cert.org/vuls/id/148244.",
        fix: undefined,
      },
      {
        at: "Pipfile:4:27-30",
        advisory: "CVE-2023-39662",
        confidence: "high",
        remediation: "Upgrade llama-index to 0.9.14 or later: 0.9.14 fixes CVE-2023-39662.",
        fix: [">=0.9.14"],
      },
      {
        at: "setup.cfg:7:5-22",
        advisory: "CVE-2023-36095",
        confidence: "high",
        remediation: "Upgrade langchain to 0.0.236 or later: 0.0.236 fixes CVE-2023-36095.",
        fix: ["langchain==0.0.236"],
      },
      {
        at: "setup.cfg:7:5-22",
        advisory: "CVE-2023-36258",
        confidence: "high",
        remediation: "Upgrade langchain to 0.0.236 or later: 0.0.236 fixes CVE-2023-36258.",
        fix: ["langchain==0.0.236"],
      },
    ]);
  });
});

describe("VNX-DEP-001 finding shape", () => {
  const [torch] = checkDependencyAdvisories(
    [{ path: "svc/requirements.txt", text: "torch==2.5.1\n" }],
    advisories,
  );

  it("fills every field the reporters need", () => {
    expect(torch).toMatchObject({
      ruleId: "VNX-DEP-001",
      severity: "critical",
      confidence: "high",
      cwe: [1395, 502],
      message:
        "torch is pinned to ==2.5.1 in svc/requirements.txt:1, so every version it admits is affected by CVE-2025-32434 (torch<2.6.0): torch.load with weights_only=True can still run arbitrary code from a crafted checkpoint.",
      location: { path: "svc/requirements.txt", startLine: 1, startColumn: 1, endLine: 1, endColumn: 12 },
      sinkCallee: "torch",
      provenance: "unknown",
      trace: [],
      helpUri: HELP_URI,
      fix: {
        safety: "unsafe",
        edits: [
          { span: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 12 }, replacement: "torch==2.6.0" },
        ],
      },
    });
    expect(torch?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it("keeps the fingerprint when the line moves and changes it with the path", () => {
    const moved = checkDependencyAdvisories(
      [{ path: "svc/requirements.txt", text: "numpy\n\ntorch==2.4.0\n" }],
      advisories,
    );
    const elsewhere = checkDependencyAdvisories(
      [{ path: "requirements.txt", text: "torch==2.5.1\n" }],
      advisories,
    );
    expect(moved[0]?.fingerprint).toBe(torch?.fingerprint);
    expect(elsewhere[0]?.fingerprint).not.toBe(torch?.fingerprint);
  });

  it("words an unpinned dependency as such", () => {
    const [finding] = checkDependencyAdvisories([{ path: "requirements.txt", text: "torch\n" }], advisories);
    expect(finding?.message).toMatch(
      /^torch has no version constraint in requirements.txt:1, so versions affected by CVE-2025-32434/,
    );
  });
});

describe("VNX-DEP-001 decisions", () => {
  const torchOnly = advisories.filter((advisory) => advisory.package === "torch");

  it.each([
    ["torch>=2.6", []],
    ["torch>=2.6.0,<3", []],
    ["torch~=2.6", []],
    ["torch==2.6.0+cu124", []],
    ["torch", ["requirements.txt:1:1-5"]],
    ["torch>=2.5", ["requirements.txt:1:1-10"]],
    ["torch>=2.6.0rc1", ["requirements.txt:1:1-15"]],
    ["torch<=2.6.0", ["requirements.txt:1:1-12"]],
  ])("%s -> %j", (line, expected) => {
    expect(check([{ path: "requirements.txt", text: `${line}\n` }], torchOnly).map((f) => f.at)).toEqual(
      expected,
    );
  });

  it("reports pyyaml==5.3.1 for CVE-2020-14343 only (CVE-2020-1747 and CVE-2017-18342 are fixed in it)", () => {
    expect(check([{ path: "requirements.txt", text: "pyyaml==5.3.1\n" }]).map((f) => f.advisory)).toEqual([
      "CVE-2020-14343",
    ]);
  });

  it("reports every advisory an old PyYAML has, each fixed by upgrading to the highest fix", () => {
    const findings = check([{ path: "requirements.txt", text: "PyYAML==3.13\n" }]);
    expect(findings.map((f) => [f.advisory, f.fix])).toEqual([
      ["CVE-2017-18342", ["PyYAML==5.4"]],
      ["CVE-2020-14343", ["PyYAML==5.4"]],
      ["CVE-2020-1747", ["PyYAML==5.4"]],
    ]);
  });

  it("reports a manifest line once per file even when the package is listed twice there", () => {
    const pyproject =
      '[project]\ndependencies = ["torch>=2.0"]\n[project.optional-dependencies]\ngpu = ["torch>=2.1"]\n';
    expect(check([{ path: "pyproject.toml", text: pyproject }], torchOnly).map((f) => f.at)).toEqual([
      "pyproject.toml:2:18-27",
    ]);
  });

  it("does not report when another manifest already excludes the affected versions", () => {
    const files = [
      { path: "requirements.txt", text: "torch\n" },
      { path: "pyproject.toml", text: '[project]\ndependencies = ["torch>=2.6"]\n' },
    ];
    expect(check(files, torchOnly)).toEqual([]);
  });

  it("keeps a Poetry caret a caret in the fix", () => {
    const pyproject = '[tool.poetry.dependencies]\npython = "^3.10"\ntorch = "^2.1"\n';
    expect(check([{ path: "pyproject.toml", text: pyproject }], torchOnly)).toEqual([
      expect.objectContaining({ at: "pyproject.toml:3:10-13", fix: ["^2.6.0"] }),
    ]);
  });

  it("ignores packages no advisory names", () => {
    expect(check([{ path: "requirements.txt", text: "requests==2.0.0\nnumpy==1.0\n" }])).toEqual([]);
  });
});

describe("parseAdvisories", () => {
  it("reports invalid rows and keeps the valid ones, without throwing", () => {
    const { advisories: parsed, errors: problems } = parseAdvisories(`
advisories:
  - { id: CVE-2020-0001, package: demo, affected: "<1.0", fixed: "1.0", summary: s, url: "https://x", source: checked }
  - { id: NOT-AN-ID, package: demo, affected: "<1.0", fixed: 1.0, summary: s, url: "https://x", source: checked }
  - { id: CVE-2020-0002, package: demo, affected: ">=banana", fixed: null, summary: s, url: "http://x", source: checked }
  - { id: CVE-2020-0003, package: demo, affected: "<2.0", fixed: "1.5", summary: s, url: "https://x", source: checked }
  - just a string
`);
    expect(parsed.map((advisory) => advisory.id)).toEqual(["CVE-2020-0001"]);
    expect(parsed[0]).toMatchObject({ severity: "high", cwe: [], aliases: [] });
    expect(problems).toEqual([
      "advisories[1] (NOT-AN-ID): id NOT-AN-ID is not a CVE, GHSA or PYSEC identifier",
      "advisories[1] (NOT-AN-ID): fixed must be a quoted version or null, not number",
      expect.stringMatching(/^advisories\[2\] \(CVE-2020-0002\): affected: /),
      "advisories[2] (CVE-2020-0002): url must be an https URL",
      "advisories[3] (CVE-2020-0003): fixed version 1.5 is itself inside affected <2.0",
      "advisories[4]: not a mapping",
    ]);
  });

  it("returns an error for text that is not YAML or not a list", () => {
    expect(parseAdvisories("advisories: [").errors[0]).toMatch(/cannot parse advisories/);
    expect(parseAdvisories("advisories: 3").errors).toEqual(["advisories must be a list of rows"]);
  });
});
