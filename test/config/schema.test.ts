// docs/config.schema.json (for editors and SchemaStore) against the parser that really reads the file
// (src/config.ts): what the parser accepts the schema accepts, and what it rejects the schema rejects.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { RULES } from "../../rules/index.js";
import { parseConfig } from "../../src/config.js";
import { SEVERITIES } from "../../src/engine/types.js";
import { repoRoot } from "../cli/run-cli.js";

const schema = JSON.parse(readFileSync(join(repoRoot, "docs", "config.schema.json"), "utf8"));
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
const knownRules = RULES.map((rule) => rule.meta.id);

function parserProblems(text: string): string[] {
  return parseConfig(text, undefined, { knownRules }).problems.map((p) => `${p.path}: ${p.message}`);
}

function schemaAccepts(text: string): boolean {
  return validate(parse(text) ?? null) as boolean;
}

const VALID: Record<string, string> = {
  empty: "",
  "only a comment": "# nothing to change\n",
  "the README example": `fail_on: high
max_comments: 10
exclude:
  - "tests/fixtures/**"
rules:
  VNX-DESER-002: { severity: high }
`,
  "every key": `fail_on: never
comment_min_severity: low
sink_side_fallback: true
max_comments: 0
review_drafts: true
on_error: fail
on_unanalysed: ignore
exclude: ["a/**", "b.py"]
rules:
  VNX-LLM-002: on
  VNX-LLM-005: off
  VNX-LLM-007: true
  VNX-DESER-001: false
  VNX-DESER-003: { enabled: false }
  VNX-DEP-001: { enabled: true, severity: info }
sources:
  - mycorp.llm.ask()
  - api: mycorp.{chat,complete}()
    kind: llm
sinks: [mycorp.run_code]
sanitizers: []
`,
};

const INVALID: Record<string, string> = {
  "not a mapping": "- fail_on\n",
  "a scalar": "high\n",
  "unknown key": "fail_onn: high\n",
  "fail_on not a severity": "fail_on: hihg\n",
  "comment_min_severity never": "comment_min_severity: never\n",
  "max_comments too large": "max_comments: 101\n",
  "max_comments negative": "max_comments: -1\n",
  "max_comments fractional": "max_comments: 2.5\n",
  "max_comments a string": 'max_comments: "5"\n',
  "review_drafts a string": "review_drafts: yes please\n",
  "on_error other": "on_error: ignore\n",
  "on_unanalysed other": "on_unanalysed: pass\n",
  "exclude a string": "exclude: tests/**\n",
  "exclude with a number": "exclude: [1]\n",
  "rules a list": "rules: [VNX-LLM-002]\n",
  "rule id malformed": "rules:\n  llm-002: off\n",
  "rule id unknown": "rules:\n  VNX-LLM-020: off\n",
  "rule setting a number": "rules:\n  VNX-LLM-002: 1\n",
  "rule setting an unknown key": "rules:\n  VNX-LLM-002: { enable: false }\n",
  "rule severity invalid": "rules:\n  VNX-LLM-002: { severity: severe }\n",
  "rule enabled a string": "rules:\n  VNX-LLM-002: { enabled: 'no' }\n",
  "sources a string": "sources: mycorp.llm.ask()\n",
  "source not an API path": "sources: ['rm -rf /']\n",
  "source row without api": "sources:\n  - kind: llm\n",
  "sinks with a number": "sinks: [3]\n",
};

describe("docs/config.schema.json", () => {
  it("names exactly the rules the registry has and the severities the engine knows", () => {
    expect(schema.properties.rules.propertyNames.enum).toEqual(knownRules);
    expect(schema.properties.comment_min_severity.enum).toEqual([...SEVERITIES]);
    expect(schema.properties.fail_on.enum).toEqual([...SEVERITIES, "never"]);
  });

  for (const [name, text] of Object.entries(VALID)) {
    it(`accepts, like the parser, ${name}`, () => {
      expect(parserProblems(text)).toEqual([]);
      expect(schemaAccepts(text), JSON.stringify(validate.errors)).toBe(true);
    });
  }

  for (const [name, text] of Object.entries(INVALID)) {
    it(`rejects, like the parser, ${name}`, () => {
      expect(parserProblems(text).length).toBeGreaterThan(0);
      expect(schemaAccepts(text)).toBe(false);
    });
  }

  it("accepts the defaults written out, key for key", () => {
    const text = Object.entries(schema.properties as Record<string, { default?: unknown }>)
      .filter(([, property]) => property.default !== undefined)
      .map(([key, property]) => `${key}: ${JSON.stringify(property.default)}`)
      .join("\n");
    expect(parserProblems(text)).toEqual([]);
    expect(schemaAccepts(text)).toBe(true);
    const { config } = parseConfig(text);
    expect(config).toMatchObject({
      failOn: "high",
      maxComments: 20,
      onUnanalysed: "fail",
      commentMinSeverity: "medium",
    });
  });
});
