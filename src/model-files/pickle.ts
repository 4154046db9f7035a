// A streaming reader of pickle opcodes (protocols 0–5). It never loads anything: it runs a small abstract
// stack machine over the opcodes, keeping only what naming an import needs (short strings, small
// containers, the memo), and reports every callable the stream would import (GLOBAL, INST, STACK_GLOBAL,
// EXT*), with the names resolved through the memo. Bytes arrive in chunks of any size; large arguments
// (tensor data in BINBYTES8) are skipped without being held. Concatenated pickles are read one after
// another; a bytes argument that itself starts like a pickle is read as a nested pickle. joblib's inline
// array data (raw bytes written into the stream after a NumpyArrayWrapper) is skipped by its shape and
// dtype. Pure: no I/O, never throws on input.
// Parts: pickle-values.ts (types, limits, helpers), pickle-machine.ts (state and its operations),
// pickle-opcodes.ts (one step per opcode); this file drives them over the chunks.
import { PickleOpcodes } from "./pickle-opcodes.js";
import { MAX_DEPTH, type PickleReadResult, startsWithProto } from "./pickle-values.js";

export type { PickleImport, PickleReaderOptions, PickleReadResult, PickleValue } from "./pickle-values.js";
export { startsWithProto } from "./pickle-values.js";

export class PickleReader extends PickleOpcodes {
  write(chunk: Uint8Array): void {
    if (this.done || chunk.length === 0) return;
    if (this.pos >= this.buf.length) {
      this.bufOffset += this.buf.length;
      this.buf = chunk;
    } else {
      const rest = this.buf.subarray(this.pos);
      const joined = new Uint8Array(rest.length + chunk.length);
      joined.set(rest, 0);
      joined.set(chunk, rest.length);
      this.bufOffset += this.pos;
      this.buf = joined;
    }
    this.pos = 0;
    this.run();
  }

  end(): PickleReadResult {
    if (!this.done) {
      if (
        this.skip ||
        this.raw > 0 ||
        this.pad ||
        (!this.between && this.frames.length > 0) ||
        this.pos < this.buf.length
      ) {
        this.fail(`the stream ends inside a pickle (at byte ${this.base + this.bufOffset + this.pos})`);
      }
      this.done = true;
    }
    for (const nested of this.nestedResults) {
      const r = nested.end();
      this.result.imports.push(...r.imports);
      this.result.nested += 1 + r.nested;
    }
    this.nestedResults.length = 0;
    this.buf = new Uint8Array(0);
    return this.result;
  }

  private run(): void {
    const buf = this.buf;
    while (!this.done) {
      if (this.skip) {
        const take = Math.min(this.skip.remaining, buf.length - this.pos);
        if (take === 0) return;
        const part = buf.subarray(this.pos, this.pos + take);
        if (!this.skip.sniffed) {
          this.skip.sniffed = true;
          if (this.depth < MAX_DEPTH && this.skip.remaining >= 2 && startsWithProto(part)) {
            this.skip.nested = new PickleReader({
              definitive: false,
              keep: this.options.keep,
              baseOffset: this.base + this.bufOffset + this.pos,
              depth: this.depth + 1,
            });
          }
        }
        this.skip.nested?.write(part);
        this.pos += take;
        this.skip.remaining -= take;
        if (this.skip.remaining > 0) return;
        if (this.skip.nested) this.nestedResults.push(this.skip.nested);
        const value = this.skip.value;
        this.skip = undefined;
        this.push(value);
        continue;
      }
      if (this.pad === "length") {
        if (this.pos >= buf.length) return;
        this.raw += buf[this.pos]!;
        this.pos++;
        this.pad = undefined;
        continue;
      }
      if (this.raw > 0) {
        const take = Math.min(this.raw, buf.length - this.pos);
        if (take === 0) return;
        this.pos += take;
        this.raw -= take;
        continue;
      }
      if (this.pos >= buf.length) return;
      if (this.between) {
        // The first pickle, or what follows a STOP: another pickle (torch's legacy format holds five,
        // `pickle.load` called in a loop reads any number), or trailing data.
        this.between = false;
        // Only the first counts as a pickle for sure; later ones must reach STOP, except for what `keep`
        // accepts (so a payload hidden behind a benign pickle is found even when it breaks on purpose).
        this.newFrame(!this.started && this.options.definitive, false);
        this.started = true;
      }
      if (!this.step(buf)) return;
    }
  }
}
