#!/usr/bin/env node
// Entry point of the `rce-guard` command. Turns every failure into a one-line message and exit status 2,
// so CI logs show what went wrong instead of a stack trace.
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CliError, parseArgs, USAGE } from "./args.js";
import { renderExplanation, renderRuleList } from "./rules.js";
import { type CliIo, EXIT_ERROR, EXIT_OK, runScan } from "./scan.js";
import { toolVersion } from "./version.js";

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const command = parseArgs(argv);
    if (command.kind === "help") {
      io.stdout.write(USAGE);
      return EXIT_OK;
    }
    if (command.kind === "version") {
      io.stdout.write(`rce-guard ${toolVersion()}\n`);
      return EXIT_OK;
    }
    if (command.kind === "rules") {
      io.stdout.write(renderRuleList(command.format));
      return EXIT_OK;
    }
    if (command.kind === "explain") {
      io.stdout.write(renderExplanation(command.ruleId));
      return EXIT_OK;
    }
    return await runScan(command.options, io);
  } catch (error) {
    if (error instanceof CliError) {
      const hint =
        error.message.startsWith("unknown") || error.message.startsWith("missing command")
          ? " (see rce-guard --help)"
          : "";
      io.stderr.write(`rce-guard: ${error.message}${hint}\n`);
      for (const line of error.details) io.stderr.write(`${line}\n`);
    } else {
      const message = error instanceof Error ? error.message : String(error);
      io.stderr.write(`rce-guard: internal error: ${message.split("\n")[0]}\n`);
      if (process.env.RCE_GUARD_DEBUG && error instanceof Error && error.stack)
        io.stderr.write(`${error.stack}\n`);
    }
    return EXIT_ERROR;
  }
}

function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/**
 * A reader that stops early (`rce-guard scan -f sarif | head -1`) closes the pipe: the rest of the output
 * has nowhere to go, and that is not an error worth a stack trace. Node ignores SIGPIPE and reports EPIPE
 * as an 'error' event, which would otherwise crash the process; here it ends the output quietly. The exit
 * status is still the scan's. Any other stream error is one line and status 2.
 */
export function endQuietlyOnClosedPipe(stream: NodeJS.WriteStream, name: string): void {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE" || error.code === "ERR_STREAM_DESTROYED") return;
    try {
      if (stream !== process.stderr)
        process.stderr.write(`rce-guard: cannot write to ${name}: ${error.message}\n`);
    } finally {
      process.exit(EXIT_ERROR);
    }
  });
}

if (invokedDirectly()) {
  endQuietlyOnClosedPipe(process.stdout, "standard output");
  endQuietlyOnClosedPipe(process.stderr, "standard error");
  // exitCode rather than process.exit(): a large report piped to another program must be flushed first.
  process.exitCode = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  });
}
