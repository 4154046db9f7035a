// setup.cfg: `[options] install_requires` and `[options.extras_require]`, INI continuation lines.
import type { SourceFile } from "../engine/index.js";
import { addRequirement, type Collector, fileEntry, report } from "./collector.js";
import { lineStarts, position } from "./spans.js";

export function parseSetupCfg(collector: Collector, file: SourceFile) {
  const entry = fileEntry(collector, file.path, "setup.cfg");
  const starts = lineStarts(file.text);
  const lines = file.text.split("\n");
  let section = "";
  let collecting = false;
  let offset = 0;
  for (const rawLine of lines) {
    const lineOffset = offset;
    offset += rawLine.length + 1;
    const line = rawLine.replace(/\r$/, "");
    const trimmed = line.trim();
    const header = /^\[([^\]]+)\]\s*$/.exec(trimmed);
    if (header && !/^\s/.test(line)) {
      section = (header[1] as string).trim().toLowerCase();
      collecting = false;
      continue;
    }
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith(";")) continue;
    const continuation = /^\s/.test(line);
    if (!continuation) {
      const assignment = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
      const key = assignment?.[1]?.trim().toLowerCase() ?? "";
      collecting =
        (section === "options" && key === "install_requires") ||
        (section === "options.extras_require" && key !== "");
      const value = assignment?.[2] ?? "";
      if (!collecting || value.trim() === "") continue;
      if (value.trim().startsWith("file:")) {
        report(
          entry,
          position(starts, lineOffset).line,
          `${key} reads ${value.trim()}, which is not followed`,
          "note",
        );
        continue;
      }
      // setuptools splits a single-line value on `;` (a dangling list keeps markers intact).
      let valueOffset = lineOffset + line.length - value.length;
      for (const part of value.split(";")) {
        const partOffset = valueOffset + (part.length - part.trimStart().length);
        const requirement = part.replace(/\s+#.*$/, "").trim();
        if (requirement !== "") addRequirement(collector, entry, starts, requirement, partOffset);
        valueOffset += part.length + 1;
      }
      continue;
    }
    if (!collecting) continue;
    const requirement = trimmed.replace(/\s+#.*$/, "");
    addRequirement(collector, entry, starts, requirement, lineOffset + line.indexOf(trimmed));
  }
}
