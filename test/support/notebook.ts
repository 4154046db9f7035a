// A Jupyter notebook as Jupyter writes it (nbformat 4, one-space indent, source as a list of lines) with the
// example flow of rules/VNX-LLM-002/examples/helper_chain split over three code cells: a model call (cell 2),
// a helper that cleans and executes (cell 3), the call that joins them (cell 4), plus IPython magics.

type Cell = { cell_type: string; source: string[] | string };

export function notebookText(cells: readonly Cell[], language = "python"): string {
  const notebook = {
    cells: cells.map((cell) =>
      cell.cell_type === "code"
        ? { cell_type: "code", execution_count: null, metadata: {}, outputs: [], source: cell.source }
        : { cell_type: cell.cell_type, metadata: {}, source: cell.source },
    ),
    metadata: {
      kernelspec: { display_name: "Kernel", language, name: "k" },
      language_info: { name: language },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  return `${JSON.stringify(notebook, null, 1)}\n`;
}

/** Source lines as Jupyter stores them: each but the last ends with a newline. */
export function sourceLines(code: string): string[] {
  const lines = code.split("\n");
  return lines.map((line, i) => (i < lines.length - 1 ? `${line}\n` : line));
}

export const THREE_CELL_FLOW: readonly Cell[] = [
  { cell_type: "markdown", source: sourceLines("# Plan and run\nAsks a model for code, then runs it.") },
  {
    cell_type: "code",
    source: sourceLines(
      [
        "%pip install anthropic",
        "from anthropic import Anthropic",
        "",
        "client = Anthropic()",
        "message = client.messages.create(",
        '    model="claude-sonnet-4-5",',
        "    max_tokens=1024,",
        '    messages=[{"role": "user", "content": "Python code that prints \\"done\\""}],',
        ")",
        "reply = message.content[0].text",
      ].join("\n"),
    ),
  },
  {
    cell_type: "code",
    source: sourceLines(
      [
        "def run_step(step: str) -> None:",
        '    cleaned = step.strip().removeprefix("```python").removesuffix("```")',
        "    !echo running",
        "    execute(cleaned)",
        "",
        "",
        "def execute(source: str) -> None:",
        '    exec(compile(source, "<step>", "exec"))',
      ].join("\n"),
    ),
  },
  { cell_type: "code", source: sourceLines("%%time\nrun_step(reply)") },
  { cell_type: "code", source: sourceLines("%%bash\necho 'not Python (((' | exec") },
];

/** Where the flow's parts are: cells and lines as a notebook editor shows them, lines of the .ipynb file. */
export const THREE_CELL_PLACES = {
  source: { cell: 2, line: 5 },
  sink: { cell: 3, line: 8, column: 10 },
  call: { cell: 4, line: 2 },
};

/** The 1-based line of the notebook text holding `needle` (unique). */
export function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  if (index < 0 || text.indexOf(needle, index + 1) >= 0) throw new Error(`not exactly once: ${needle}`);
  return text.slice(0, index).split("\n").length;
}
