// Tool arguments are model output (rules/models/llm-tools.yml): what a finding through a tool says, and how
// the tool sections of the models are read.
import { describe, expect, it } from "vitest";
import { runAnalysis } from "../../src/run-analysis.js";
import { modelRowsFrom } from "../../src/engine/index.js";

const DECORATED = `from langchain_core.tools import tool
import subprocess

@tool
def shell(command: str) -> str:
    """Runs a command."""
    return subprocess.check_output(command, shell=True, text=True)
`;

const BY_SHAPE = `import subprocess
from openai import OpenAI
from myframework import register_tool

@register_tool("shell")
def shell(command: str) -> str:
    return subprocess.check_output(command, shell=True, text=True)
`;

const HANDED_OVER = `import subprocess
from langchain_core.tools import StructuredTool

def shell(command: str) -> str:
    return subprocess.check_output(command, shell=True, text=True)

shell_tool = StructuredTool.from_function(func=shell)
`;

describe("tool calls", () => {
  it("says the source is a tool argument the model chooses, and the trace starts at the tool", () => {
    const { findings } = runAnalysis([{ path: "tools.py", text: DECORATED }]);
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding).toMatchObject({ ruleId: "VNX-LLM-002", confidence: "high", provenance: "llm" });
    expect(finding!.message).toBe(
      "Argument `command` the model chooses for tool `shell` (line 5) reaches `subprocess.check_output` (line 7): a process launch controlled by the model.",
    );
    expect(finding!.trace[0]).toMatchObject({
      location: { startLine: 5 },
      note: "argument `command` the model chooses for tool `shell`",
    });
  });

  it("gives a tool recognised by its names medium confidence, and says so in the trace", () => {
    const { findings } = runAnalysis([{ path: "tools.py", text: BY_SHAPE }]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ confidence: "medium" });
    expect(findings[0]!.trace[0]!.note).toContain("decorated `@register_tool`");
    expect(findings[0]!.trace[0]!.note).toContain("recognised by its shape");
  });

  it("replays a function handed over as a tool at the call that hands it over", () => {
    const { findings } = runAnalysis([{ path: "tools.py", text: HANDED_OVER }]);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toContain("tool `shell` (handed to `StructuredTool.from_function`)");
    expect(findings[0]!.trace.map((s) => s.location.startLine)).toEqual([4, 7, 5]);
  });

  it("reports tool rows without their required fields", () => {
    const { rows, errors } = modelRowsFrom([
      {
        name: "llm-tools.yml",
        text: [
          "tool_decorators: [{ api: a.tool }]",
          "tool_classes: [{ base: a.BaseTool }]",
          "tool_messages: [{ base: a.Message }]",
          "tool_registrations: [{ api: a.Tool, args: [0, func] }]",
          'tool_shapes: { decorators: "tool", classes: "\\\\w*Tool", methods: [run], keywords: [tools] }',
        ].join("\n"),
      },
    ]);
    expect(errors).toHaveLength(2);
    expect(rows.tools).toMatchObject({
      decorators: [{ api: "a.tool" }],
      classes: [],
      messages: [],
      registrations: [{ api: "a.Tool", args: [0, "func"] }],
      shapes: { decorators: "tool", classes: "\\w*Tool", methods: ["run"], keywords: ["tools"] },
    });
  });
});
