// The state of the pickle reader's abstract machine (buffer, frames with stack, MARK stack and memo, skips)
// and the operations on it: failing, frames, push, memo get/put, joblib inline arrays. The base of
// PickleOpcodes (pickle-opcodes.ts) and PickleReader (pickle.ts); split out of pickle.ts for size.
import type { PickleReader } from "./pickle.js";
import {
  dictGet,
  dtypeLayout,
  type Frame,
  MAX_MEMO,
  type PickleReaderOptions,
  type PickleReadResult,
  type PickleValue,
} from "./pickle-values.js";

export abstract class PickleMachine {
  protected buf: Uint8Array = new Uint8Array(0);
  protected pos = 0;
  /** Stream offset of buf[0]. */
  protected bufOffset = 0;
  protected frames: Frame[] = [];
  protected between = true;
  protected started = false;
  protected done = false;
  protected skip:
    | { remaining: number; value: PickleValue; nested?: PickleReader; sniffed: boolean }
    | undefined;
  protected raw = 0;
  protected pad: "length" | undefined;
  protected readonly result: PickleReadResult = { imports: [], pickles: 0, nested: 0 };
  protected readonly base: number;
  protected readonly depth: number;
  protected readonly nestedResults: PickleReader[] = [];

  constructor(protected readonly options: PickleReaderOptions) {
    this.base = options.baseOffset ?? 0;
    this.depth = options.depth ?? 0;
  }

  /** True once the reader has stopped reading (a broken stream, or trailing data that is not a pickle). */
  get finished(): boolean {
    return this.done;
  }

  protected get frame(): Frame {
    return this.frames[this.frames.length - 1]!;
  }

  protected fail(message: string): void {
    // A definitive pickle that breaks: what came before it was (or would have been) executed, so its
    // imports count, and the rest of the stream was not read. A tentative one was data, not a pickle.
    for (const frame of this.frames) {
      if (frame.definitive) this.result.imports.push(...frame.pending);
      else this.result.imports.push(...frame.pending.filter(this.options.keep));
    }
    if (this.frames.some((f) => f.definitive) && this.result.problem === undefined)
      this.result.problem = message;
    this.frames = [];
    this.done = true;
    this.skip = undefined;
  }

  protected newFrame(definitive: boolean, inline: boolean): void {
    this.frames.push({ stack: [], meta: [], memo: new Map(), pending: [], definitive, inline });
  }

  protected push(value: PickleValue): void {
    if (this.frames.length === 0) return;
    this.frame.stack.push(value);
  }

  protected memoPut(index: number): void {
    const f = this.frame;
    const v = f.stack[f.stack.length - 1];
    if (v === undefined) {
      this.fail("memo store with an empty stack");
      return;
    }
    if (f.memo.size >= MAX_MEMO && !f.memo.has(index)) {
      this.fail(`more than ${MAX_MEMO} memo entries`);
      return;
    }
    f.memo.set(index, v);
  }

  protected memoGet(index: number, offset: number): void {
    const v = this.frame.memo.get(index);
    if (v === undefined) {
      this.fail(`memo entry ${index} read before it is stored (byte ${offset})`);
      return;
    }
    this.push(v);
  }

  /** joblib writes a wrapped array's bytes into the stream right after the wrapper's BUILD. */
  protected joblibArray(state: PickleValue, offset: number): void {
    const get = (key: string) => dictGet(state, key);
    const dtype = get("dtype");
    const layout = dtypeLayout(dtype);
    if (layout === "object") {
      // An object array is pickled inline (protocol 2) and read by a nested Unpickler.
      this.newFrame(true, true);
      return;
    }
    const shape = get("shape");
    const dims = shape?.k === "seq" ? shape.items.map((v) => (v.k === "num" ? v.n : undefined)) : undefined;
    if (layout === undefined || !dims || dims.some((d) => d === undefined || d < 0)) {
      this.fail(`a joblib array whose size cannot be read from its header (byte ${offset})`);
      return;
    }
    this.raw = dims.reduce((a: number, d) => a * d!, 1) * layout;
    if (get("numpy_array_alignment_bytes") !== undefined) this.pad = "length";
  }
}
