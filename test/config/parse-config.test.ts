// parseConfig reads files written by whoever opens a pull request: it must return problems, never throw,
// and never spend long, whatever the input. Seeded, so a failure reproduces.
import { describe, expect, it } from "vitest";
import { RULES } from "../../rules/index.js";
import { type Config, DEFAULT_CONFIG, MAX_CONFIG_BYTES, parseConfig } from "../../src/config.js";
import { SEVERITIES } from "../../src/engine/types.js";
import { aliasBomb } from "../app/support/fixtures.js";
import { seededRandom } from "../support/prng.js";

const knownRules = RULES.map((r) => r.meta.id);

describe("parseConfig on hostile input", () => {
  it("an alias bomb is one problem, and the base configuration applies unchanged", () => {
    const started = performance.now();
    const { config, problems } = parseConfig(aliasBomb(), DEFAULT_CONFIG, { knownRules });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(problems).toEqual([
      {
        path: "",
        message: "YAML aliases expand to more than 100 nodes (an alias bomb?); the file is ignored",
      },
    ]);
    expect(config).toEqual(DEFAULT_CONFIG);
  });

  it("too large, too deep and too wide are problems, not exceptions", () => {
    expect(parseConfig(`fail_on: low\n# ${"x".repeat(MAX_CONFIG_BYTES)}\n`).problems[0]?.message).toMatch(
      /^the file is \d+ bytes, over the limit of 65536; the file is ignored$/,
    );
    expect(parseConfig(`rules: ${"[".repeat(20_000)}`).problems.length).toBeGreaterThan(0);
    const deep = `rules:\n${Array.from({ length: 40 }, (_, i) => `${"  ".repeat(i + 1)}k${i}:`).join("\n")} 1\n`;
    expect(parseConfig(deep).problems).toEqual([
      { path: "", message: "nested more than 16 levels deep; the file is ignored" },
    ]);
    expect(parseConfig(`exclude: [${Array(3000).fill("a").join(",")}]`).problems[0]?.message).toContain(
      "more than 2000 entries",
    );
  });

  it("unknown rule ids are problems, with the closest known id", () => {
    const { config, problems } = parseConfig(
      "rules:\n  VNX-LLM-020: off\n  VNX-LLM-002: { severity: low }\n",
      DEFAULT_CONFIG,
      {
        knownRules,
      },
    );
    expect(problems).toEqual([
      {
        path: "rules.VNX-LLM-020",
        message: expect.stringMatching(
          /^unknown rule \(did you mean VNX-LLM-002\?\); the rules are VNX-LLM-002, /,
        ),
      },
    ]);
    expect(config.rules).toEqual({ "VNX-LLM-002": { enabled: true, severity: "low" } });
  });

  it("on_unanalysed takes fail, neutral or ignore (default fail)", () => {
    expect(DEFAULT_CONFIG.onUnanalysed).toBe("fail");
    expect(parseConfig("on_unanalysed: neutral\n").config.onUnanalysed).toBe("neutral");
    expect(parseConfig("on_unanalysed: ignore\n").config.onUnanalysed).toBe("ignore");
    expect(parseConfig("on_unanalysed: pass\n").problems).toEqual([
      { path: "on_unanalysed", message: 'must be fail, neutral or ignore; got "pass"' },
    ]);
  });

  it("a scalar of a megabyte is not echoed back in full", () => {
    const { problems } = parseConfig(`fail_on: "${"a".repeat(50_000)}"\n`);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message.length).toBeLessThan(200);
  });
});

describe("parseConfig fuzz", () => {
  const seeds = [
    "rules:\n  VNX-LLM-002: off\n  VNX-DESER-001: { enabled: true, severity: low }\nfail_on: medium\n",
    "exclude:\n  - tests/**\n  - '*.pyi'\nsources:\n  - mycorp.llm.ask()\nsinks:\n  - { api: mycorp.run, kind: code }\n",
    "max_comments: 5\nreview_drafts: true\non_error: fail\non_unanalysed: neutral\ncomment_min_severity: high\n",
    aliasBomb(4, 4),
    "a: &a { b: &b [1, 2, *a] }\n",
  ];
  const tokens = [
    "&a ",
    "*a",
    "<<: *a\n",
    "!!binary ",
    "!!js/function ",
    "? ",
    "[",
    "]",
    "{",
    "}",
    "- ",
    ": ",
    "|\n",
    ">\n",
    '"',
    "'",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "\t",
    "\n  ",
    "#",
    "null",
    "~",
    "1e999",
    "-0",
    "0x1F",
    ".nan",
    "__proto__: ",
    "constructor: ",
    "rules: ",
    "fail_on: ",
    "exclude: ",
    "VNX-LLM-002: ",
    "\u0000",
    "\uFEFF",
    "\uD800",
  ];

  function generate(random: () => number): string {
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    const kind = random();
    if (kind < 0.1) return aliasBomb(2 + Math.floor(random() * 10), 2 + Math.floor(random() * 12));
    if (kind < 0.2) {
      const depth = Math.floor(random() * 5000);
      return random() < 0.5
        ? `rules: ${"[".repeat(depth)}${"]".repeat(Math.floor(random() * depth))}`
        : `${"{a: ".repeat(depth)}1${"}".repeat(depth)}`;
    }
    if (kind < 0.3)
      return `${pick(["fail_on", "exclude", "rules", "sources", "max_comments"])}: ${pick(["", "'", '"'])}${"z".repeat(Math.floor(random() * 100_000))}\n`;
    let text = pick(seeds);
    const edits = 1 + Math.floor(random() * 12);
    for (let i = 0; i < edits; i++) {
      const at = Math.floor(random() * (text.length + 1));
      const op = random();
      if (op < 0.5) text = text.slice(0, at) + pick(tokens) + text.slice(at);
      else if (op < 0.75) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 10));
      else text = text.slice(0, at) + String.fromCharCode(Math.floor(random() * 128)) + text.slice(at + 1);
    }
    return text;
  }

  function assertValid(config: Config): void {
    expect(config.failOn === "never" || SEVERITIES.includes(config.failOn as never)).toBe(true);
    expect(SEVERITIES).toContain(config.commentMinSeverity);
    expect(["neutral", "fail"]).toContain(config.onError);
    expect(["fail", "neutral", "ignore"]).toContain(config.onUnanalysed);
    expect(Number.isInteger(config.maxComments) && config.maxComments >= 0 && config.maxComments <= 100).toBe(
      true,
    );
    expect(typeof config.reviewDrafts).toBe("boolean");
    expect(config.exclude.every((p) => typeof p === "string")).toBe(true);
    for (const key of ["sources", "sinks", "sanitizers"] as const) {
      expect(config[key].every((r) => typeof r.api === "string")).toBe(true);
    }
    for (const [id, rule] of Object.entries(config.rules)) {
      expect(knownRules).toContain(id);
      expect(typeof rule.enabled).toBe("boolean");
    }
  }

  it("never throws, stays fast and always returns a valid configuration (600 seeded inputs)", () => {
    const random = seededRandom(0x5eed);
    const started = performance.now();
    let slowest = 0;
    for (let i = 0; i < 600; i++) {
      const text = generate(random);
      const t0 = performance.now();
      let parsed: ReturnType<typeof parseConfig>;
      try {
        parsed = parseConfig(text, DEFAULT_CONFIG, { knownRules });
      } catch (error) {
        throw new Error(`input ${i} threw: ${String(error)}\n${text.slice(0, 300)}`);
      }
      slowest = Math.max(slowest, performance.now() - t0);
      assertValid(parsed.config);
      for (const p of parsed.problems) expect(p.message.length).toBeLessThan(1000);
    }
    expect(slowest).toBeLessThan(2000);
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});
