// The reader interface every format reader implements (Sink), the scan's shared state (Context: results,
// problems, the decompression budget), and the small sinks that end a chain: Ignore, Dropper, PickleSink
// and LambdaSearch. Split out of scan.ts so the format readers can share them without importing the entry point.
import type { GlobalRules } from "./globals.js";
import { gradeImport } from "./globals.js";
import { type PickleImport, PickleReader } from "./pickle.js";
import type { ModelScanResult } from "./scan.js";
import { latin1 } from "./bytes.js";

export interface Sink {
  write(chunk: Uint8Array): Promise<void> | void;
  end(): Promise<void> | void;
}

export class Context {
  readonly result: ModelScanResult = {
    formats: [],
    imports: [],
    problems: [],
    lambdaLayers: [],
    pickles: 0,
    bytes: 0,
  };
  inflated = 0;
  constructor(
    readonly rules: GlobalRules,
    readonly maxInflated: number,
  ) {}
  format(name: string): void {
    if (!this.result.formats.includes(name)) this.result.formats.push(name);
  }
  problem(where: string, message: string): void {
    if (this.result.problems.length < 50) this.result.problems.push(where ? `${where}: ${message}` : message);
  }
  keep = (hit: PickleImport): boolean => {
    const grade = gradeImport(hit, this.rules).grade;
    return grade === "critical" || grade === "high";
  };
}

export class Ignore implements Sink {
  write(): void {}
  end(): void {}
}

/** Drops the first bytes of a stream (a header) and passes on the rest. */
export class Dropper implements Sink {
  constructor(
    private remaining: number,
    private readonly next: Sink,
  ) {}
  async write(chunk: Uint8Array): Promise<void> {
    if (this.remaining >= chunk.length) {
      this.remaining -= chunk.length;
      return;
    }
    const rest = chunk.subarray(this.remaining);
    this.remaining = 0;
    await this.next.write(rest);
  }
  end(): Promise<void> | void {
    return this.next.end();
  }
}

export class PickleSink implements Sink {
  private readonly reader: PickleReader;
  constructor(
    private readonly context: Context,
    private readonly where: string,
    definitive: boolean,
  ) {
    this.reader = new PickleReader({ definitive, keep: context.keep });
  }
  write(chunk: Uint8Array): void {
    this.reader.write(chunk);
  }
  end(): void {
    const r = this.reader.end();
    const c = this.context;
    if (r.pickles > 0 || r.imports.length > 0) c.format("pickle");
    c.result.pickles += r.pickles + r.nested;
    if (r.problem) c.problem(this.where, `${r.problem}; the rest of the stream was not analysed`);
    for (const hit of r.imports) {
      const graded = gradeImport(hit, c.rules);
      if (graded.grade === "none") continue;
      c.result.imports.push({
        ...graded,
        where: this.where,
        opcode: hit.opcode,
        offset: hit.offset,
        nested: hit.depth > 0,
      });
    }
  }
}

/** Searches configs (Keras `config.json`, HDF5 attributes) for Lambda layers, whose code is marshalled bytecode. */
export class LambdaSearch implements Sink {
  private tail = "";
  private found = 0;
  constructor(
    private readonly context: Context,
    private readonly where: string,
  ) {}
  write(chunk: Uint8Array): void {
    const text = this.tail + latin1(chunk);
    const re = /"class_name"\s*:\s*"Lambda"/g;
    let match: RegExpExecArray | null = re.exec(text);
    while (match) {
      if (match.index + match[0].length > this.tail.length) this.found++;
      match = re.exec(text);
    }
    this.tail = text.slice(-64);
  }
  end(): void {
    if (this.found > 0)
      this.context.result.lambdaLayers.push(
        `${this.where || "the file"}: ${this.found} Lambda layer${this.found > 1 ? "s" : ""}`,
      );
  }
}
