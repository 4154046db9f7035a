// The opcode table of the pickle reader: one step runs one opcode (protocols 0–5) on the abstract machine
// of pickle-machine.ts, decoding its argument from the buffer. Split out of pickle.ts for size; PickleReader
// (pickle.ts) drives it.
import { PickleMachine } from "./pickle-machine.js";
import {
  addItems,
  JOBLIB_WRAPPERS,
  latin1,
  MAX_ITEMS,
  MAX_LINE,
  MAX_TEXT,
  NONE,
  OTHER,
  type PickleImport,
  type PickleValue,
  rawUnicodeEscape,
  unquote,
  utf8,
} from "./pickle-values.js";

export abstract class PickleOpcodes extends PickleMachine {
  /** Runs one opcode; false when more bytes are needed. */
  protected step(buf: Uint8Array): boolean {
    const at = this.pos;
    const op = buf[at]!;
    const avail = buf.length - at - 1;
    const offset = this.base + this.bufOffset + at;
    const f = this.frame;
    const u32 = (o: number) => buf[o]! | (buf[o + 1]! << 8) | (buf[o + 2]! << 16) | (buf[o + 3]! * 0x1000000);
    const u64 = (o: number) => u32(o) + u32(o + 4) * 0x100000000;
    const line = (from: number): number | undefined => {
      const end = buf.indexOf(0x0a, from);
      if (end < 0) {
        if (buf.length - from > MAX_LINE)
          this.fail(`a text argument longer than ${MAX_LINE} bytes at byte ${offset}`);
        return undefined;
      }
      return end;
    };
    const text = (from: number, to: number) => latin1(buf.subarray(from, to));
    const pop = (): PickleValue => {
      const v = f.stack.pop();
      if (v === undefined) {
        this.fail(`stack underflow at byte ${offset}`);
        return OTHER;
      }
      return v;
    };
    const popMark = (): PickleValue[] | undefined => {
      const items = f.stack;
      const previous = f.meta.pop();
      if (previous === undefined) {
        this.fail(`no MARK for the opcode at byte ${offset}`);
        return undefined;
      }
      f.stack = previous;
      return items;
    };
    const top = (): PickleValue | undefined => f.stack[f.stack.length - 1];
    const record = (
      module: string | undefined,
      name: string | undefined,
      opcode: string,
      extension?: number,
    ) => {
      const hit: PickleImport = { module, name, opcode, offset, depth: this.depth };
      if (extension !== undefined) hit.extension = extension;
      f.pending.push(hit);
      return hit;
    };
    const lenArg = (size: number, kind: "str" | "bytes", width: number): boolean => {
      if (avail < width) return false;
      const len = width === 1 ? buf[at + 1]! : width === 4 ? u32(at + 1) : u64(at + 1);
      const start = at + 1 + width;
      if (kind === "str" && len <= MAX_TEXT) {
        if (buf.length - start < len) return false;
        this.pos = start + len;
        this.push({
          k: "str",
          s: size === 1 ? latin1(buf.subarray(start, start + len)) : utf8(buf.subarray(start, start + len)),
        });
        return true;
      }
      this.pos = start;
      this.skip = {
        remaining: len,
        value: kind === "str" ? { k: "str", s: undefined } : { k: "bytes", len },
        sniffed: false,
      };
      if (len === 0) {
        this.skip = undefined;
        this.push(kind === "str" ? { k: "str", s: "" } : { k: "bytes", len: 0 });
      }
      return true;
    };

    switch (op) {
      case 0x80: // PROTO
        if (avail < 1) return false;
        if (buf[at + 1]! > 5) {
          this.fail(`unsupported pickle protocol ${buf[at + 1]} at byte ${offset}`);
          return true;
        }
        this.pos = at + 2;
        return true;
      case 0x95: // FRAME: a length prefix only; the opcodes follow as usual
        if (avail < 8) return false;
        this.pos = at + 9;
        return true;
      case 0x2e: {
        // STOP
        this.pos = at + 1;
        const done = this.frames.pop()!;
        this.result.imports.push(...done.pending);
        if (done.inline && this.frames.length > 0) {
          // joblib's object array: the nested pickle returns to the wrapper's BUILD.
          return true;
        }
        this.result.pickles++;
        this.frames = [];
        this.between = true;
        return true;
      }
      case 0x28: // MARK
        f.meta.push(f.stack);
        f.stack = [];
        this.pos = at + 1;
        return true;
      case 0x30: // POP
        if (f.stack.length === 0) popMark();
        else pop();
        this.pos = at + 1;
        return true;
      case 0x31: // POP_MARK
        popMark();
        this.pos = at + 1;
        return true;
      case 0x32: {
        // DUP
        const v = top();
        if (!v) this.fail(`stack underflow at byte ${offset}`);
        else this.push(v);
        this.pos = at + 1;
        return true;
      }
      case 0x4e: // NONE
        this.push(NONE);
        this.pos = at + 1;
        return true;
      case 0x88: // NEWTRUE
      case 0x89: // NEWFALSE
        this.push({ k: "bool" });
        this.pos = at + 1;
        return true;
      case 0x49: // INT
      case 0x4c: // LONG
      case 0x46: {
        // FLOAT
        const end = line(at + 1);
        if (end === undefined) return false;
        const t = text(at + 1, end).replace(/L$/, "");
        this.pos = end + 1;
        if (op === 0x49 && (t === "00" || t === "01")) this.push({ k: "bool" });
        else this.push({ k: "num", n: Number.isFinite(Number(t)) ? Number(t) : undefined });
        return true;
      }
      case 0x4a: // BININT
        if (avail < 4) return false;
        this.push({ k: "num", n: u32(at + 1) | 0 });
        this.pos = at + 5;
        return true;
      case 0x4b: // BININT1
        if (avail < 1) return false;
        this.push({ k: "num", n: buf[at + 1]! });
        this.pos = at + 2;
        return true;
      case 0x4d: // BININT2
        if (avail < 2) return false;
        this.push({ k: "num", n: buf[at + 1]! | (buf[at + 2]! << 8) });
        this.pos = at + 3;
        return true;
      case 0x47: // BINFLOAT
        if (avail < 8) return false;
        this.push({ k: "num", n: undefined });
        this.pos = at + 9;
        return true;
      case 0x8a: // LONG1
      case 0x8b: {
        // LONG4
        const width = op === 0x8a ? 1 : 4;
        if (avail < width) return false;
        const len = width === 1 ? buf[at + 1]! : u32(at + 1);
        if (len <= 6) {
          if (avail < width + len) return false;
          let n = 0;
          for (let i = len - 1; i >= 0; i--) n = n * 256 + buf[at + 1 + width + i]!;
          if (len > 0 && buf[at + width + len]! & 0x80) n -= 2 ** (8 * len);
          this.pos = at + 1 + width + len;
          this.push({ k: "num", n });
          return true;
        }
        this.pos = at + 1 + width;
        this.skip = { remaining: len, value: { k: "num", n: undefined }, sniffed: true };
        return true;
      }
      case 0x53: // STRING
      case 0x56: {
        // UNICODE
        const end = line(at + 1);
        if (end === undefined) return false;
        let t = text(at + 1, end);
        if (op === 0x53) t = unquote(t);
        else t = rawUnicodeEscape(buf.subarray(at + 1, end));
        this.pos = end + 1;
        this.push({ k: "str", s: t });
        return true;
      }
      case 0x54: // BINSTRING (Python 2 str: text to Python 3 by default)
        return lenArg(1, "str", 4);
      case 0x55: // SHORT_BINSTRING
        return lenArg(1, "str", 1);
      case 0x58: // BINUNICODE
        return lenArg(8, "str", 4);
      case 0x8c: // SHORT_BINUNICODE
        return lenArg(8, "str", 1);
      case 0x8d: // BINUNICODE8
        return lenArg(8, "str", 8);
      case 0x42: // BINBYTES
        return lenArg(0, "bytes", 4);
      case 0x43: // SHORT_BINBYTES
        return lenArg(0, "bytes", 1);
      case 0x8e: // BINBYTES8
      case 0x96: // BYTEARRAY8
        return lenArg(0, "bytes", 8);
      case 0x97: // NEXT_BUFFER (out-of-band data the caller supplies)
        this.push(OTHER);
        this.pos = at + 1;
        return true;
      case 0x98: // READONLY_BUFFER
        this.pos = at + 1;
        return true;
      case 0x29: // EMPTY_TUPLE
        this.push({ k: "seq", kind: "tuple", items: [] });
        this.pos = at + 1;
        return true;
      case 0x5d: // EMPTY_LIST
        this.push({ k: "seq", kind: "list", items: [] });
        this.pos = at + 1;
        return true;
      case 0x7d: // EMPTY_DICT
        this.push({ k: "seq", kind: "dict", items: [] });
        this.pos = at + 1;
        return true;
      case 0x8f: // EMPTY_SET
        this.push({ k: "seq", kind: "set", items: [] });
        this.pos = at + 1;
        return true;
      case 0x85: // TUPLE1
      case 0x86: // TUPLE2
      case 0x87: {
        // TUPLE3
        const n = op - 0x84;
        if (f.stack.length < n) {
          this.fail(`stack underflow at byte ${offset}`);
          return true;
        }
        const items = f.stack.splice(f.stack.length - n, n);
        this.push({ k: "seq", kind: "tuple", items });
        this.pos = at + 1;
        return true;
      }
      case 0x74: // TUPLE
      case 0x6c: // LIST
      case 0x64: // DICT
      case 0x91: {
        // FROZENSET
        const items = popMark();
        if (!items) return true;
        const kind = op === 0x74 ? "tuple" : op === 0x6c ? "list" : op === 0x64 ? "dict" : "set";
        this.push({ k: "seq", kind, items: items.slice(0, MAX_ITEMS) });
        this.pos = at + 1;
        return true;
      }
      case 0x61: {
        // APPEND
        const v = pop();
        addItems(top(), [v]);
        this.pos = at + 1;
        return true;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const key = pop();
        addItems(top(), [key, v]);
        this.pos = at + 1;
        return true;
      }
      case 0x65: // APPENDS
      case 0x75: // SETITEMS
      case 0x90: {
        // ADDITEMS
        const items = popMark();
        if (!items) return true;
        addItems(top(), items);
        this.pos = at + 1;
        return true;
      }
      case 0x70: {
        // PUT
        const end = line(at + 1);
        if (end === undefined) return false;
        this.memoPut(Number(text(at + 1, end)));
        this.pos = end + 1;
        return true;
      }
      case 0x71: // BINPUT
        if (avail < 1) return false;
        this.memoPut(buf[at + 1]!);
        this.pos = at + 2;
        return true;
      case 0x72: // LONG_BINPUT
        if (avail < 4) return false;
        this.memoPut(u32(at + 1));
        this.pos = at + 5;
        return true;
      case 0x94: // MEMOIZE
        this.memoPut(f.memo.size);
        this.pos = at + 1;
        return true;
      case 0x67: {
        // GET
        const end = line(at + 1);
        if (end === undefined) return false;
        this.memoGet(Number(text(at + 1, end)), offset);
        this.pos = end + 1;
        return true;
      }
      case 0x68: // BINGET
        if (avail < 1) return false;
        this.memoGet(buf[at + 1]!, offset);
        this.pos = at + 2;
        return true;
      case 0x6a: // LONG_BINGET
        if (avail < 4) return false;
        this.memoGet(u32(at + 1), offset);
        this.pos = at + 5;
        return true;
      case 0x63: // GLOBAL
      case 0x69: {
        // INST
        const first = line(at + 1);
        if (first === undefined) return false;
        const second = line(first + 1);
        if (second === undefined) return false;
        const module = text(at + 1, first);
        const name = text(first + 1, second);
        this.pos = second + 1;
        record(module, name, op === 0x63 ? "GLOBAL" : "INST");
        const g: PickleValue = { k: "global", module, name };
        if (op === 0x63) this.push(g);
        else {
          const args = popMark();
          if (!args) return true;
          this.push({
            k: "obj",
            callee: g,
            args: { k: "seq", kind: "tuple", items: args.slice(0, MAX_ITEMS) },
            state: undefined,
          });
        }
        return true;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (this.done) return true;
        // CPython refuses anything but str here; a str computed by a call (REDUCE) stays unresolved.
        const isText = (v: PickleValue) => v.k === "str" || v.k === "obj" || v.k === "other";
        if (!isText(module) || !isText(name)) {
          this.fail(`STACK_GLOBAL on values that are not strings (byte ${offset})`);
          return true;
        }
        const m = module.k === "str" ? module.s : undefined;
        const n = name.k === "str" ? name.s : undefined;
        record(m, n, "STACK_GLOBAL");
        this.push({ k: "global", module: m, name: n });
        this.pos = at + 1;
        return true;
      }
      case 0x82: // EXT1
      case 0x83: // EXT2
      case 0x84: {
        // EXT4
        const width = op === 0x82 ? 1 : op === 0x83 ? 2 : 4;
        if (avail < width) return false;
        const code =
          width === 1 ? buf[at + 1]! : width === 2 ? buf[at + 1]! | (buf[at + 2]! << 8) : u32(at + 1);
        record(undefined, undefined, `EXT${width}`, code);
        this.push({ k: "global", module: undefined, name: undefined });
        this.pos = at + 1 + width;
        return true;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        const callee = pop();
        this.push({ k: "obj", callee, args, state: undefined });
        this.pos = at + 1;
        return true;
      }
      case 0x81: {
        // NEWOBJ
        const args = pop();
        const cls = pop();
        this.push({ k: "obj", callee: cls, args, state: undefined });
        this.pos = at + 1;
        return true;
      }
      case 0x92: {
        // NEWOBJ_EX
        pop();
        const args = pop();
        const cls = pop();
        this.push({ k: "obj", callee: cls, args, state: undefined });
        this.pos = at + 1;
        return true;
      }
      case 0x6f: {
        // OBJ
        const items = popMark();
        if (!items) return true;
        const [cls, ...args] = items;
        this.push({
          k: "obj",
          callee: cls ?? OTHER,
          args: { k: "seq", kind: "tuple", items: args.slice(0, MAX_ITEMS) },
          state: undefined,
        });
        this.pos = at + 1;
        return true;
      }
      case 0x62: {
        // BUILD
        const state = pop();
        const target = top();
        this.pos = at + 1;
        if (target?.k === "obj") {
          target.state = state;
          if (
            target.callee.k === "global" &&
            JOBLIB_WRAPPERS.has(`${target.callee.module}.${target.callee.name}`)
          ) {
            this.joblibArray(state, offset);
          }
        }
        return true;
      }
      case 0x50: {
        // PERSID
        const end = line(at + 1);
        if (end === undefined) return false;
        this.pos = end + 1;
        this.push(OTHER);
        return true;
      }
      case 0x51: // BINPERSID
        pop();
        this.push(OTHER);
        this.pos = at + 1;
        return true;
      default:
        this.fail(`byte 0x${op.toString(16).padStart(2, "0")} at byte ${offset} is not a pickle opcode`);
        return true;
    }
  }
}
