// What the pickle reader works with, apart from the reader itself: the values on its abstract stack, the
// imports it reports, its options and result, the limits that keep memory bounded, and the pure helpers
// (argument decoding, joblib dtype layout). Split out of pickle.ts; pickle.ts re-exports the public part.

/** What the abstract stack holds. Containers keep their first items only. */
export type PickleValue =
  | { k: "str"; s: string | undefined }
  | { k: "bytes"; len: number }
  | { k: "num"; n: number | undefined }
  | { k: "none" }
  | { k: "bool" }
  | { k: "global"; module: string | undefined; name: string | undefined }
  | { k: "seq"; kind: "tuple" | "list" | "set" | "dict"; items: PickleValue[] }
  | { k: "obj"; callee: PickleValue; args: PickleValue | undefined; state: PickleValue | undefined }
  | { k: "other" };

export interface PickleImport {
  /** Undefined when the name is computed at load time (not a literal string on the stack). */
  module: string | undefined;
  name: string | undefined;
  opcode: string;
  /** Byte offset of the opcode in the stream the reader was given. */
  offset: number;
  /** 0 for the stream itself, 1 for a pickle nested in a bytes argument, and so on. */
  depth: number;
  /** Set for EXT1/2/4: the copyreg extension code. */
  extension?: number;
}

export interface PickleReaderOptions {
  /**
   * Whether the first pickle is known to be one (its container says so, or it starts with PROTO). A
   * tentative pickle (trailing data, a zip entry of unknown content) that breaks before STOP is taken for
   * data that is not a pickle: only the imports `keep` accepts are reported from it.
   */
  definitive: boolean;
  /** Imports reported even from a tentative pickle that breaks (the known-dangerous ones). */
  keep: (hit: PickleImport) => boolean;
  /** Base offset added to reported offsets. */
  baseOffset?: number;
  depth?: number;
}

export interface PickleReadResult {
  imports: PickleImport[];
  /** Complete pickles read (ended by STOP). */
  pickles: number;
  /** Why the stream could not be read to its end, when it could not (only for definitive pickles). */
  problem?: string;
  /** Nested pickles found inside bytes arguments. */
  nested: number;
}

export const MAX_LINE = 64 * 1024;
export const MAX_TEXT = 64 * 1024;
export const MAX_ITEMS = 64;
export const MAX_MEMO = 1_000_000;
export const MAX_DEPTH = 4;
export const JOBLIB_WRAPPERS = new Set([
  "joblib.numpy_pickle.NumpyArrayWrapper",
  "sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper",
]);

export interface Frame {
  stack: PickleValue[];
  meta: PickleValue[][];
  memo: Map<number, PickleValue>;
  /** Imports of this pickle not yet committed (a tentative pickle commits them at STOP). */
  pending: PickleImport[];
  definitive: boolean;
  /** An inline pickle (joblib object array) that returns to the enclosing frame at STOP. */
  inline: boolean;
}

export const OTHER: PickleValue = { k: "other" };
export const NONE: PickleValue = { k: "none" };

/** PROTO with a known protocol: the strongest sign that bytes are a pickle. */
export function startsWithProto(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x80 && bytes[1]! <= 5;
}

export function addItems(target: PickleValue | undefined, items: PickleValue[]): void {
  if (target?.k !== "seq") return;
  const room = 2 * MAX_ITEMS - target.items.length;
  if (room > 0) target.items.push(...items.slice(0, room));
}

export function dictGet(dict: PickleValue, key: string): PickleValue | undefined {
  if (dict.k !== "seq" || dict.kind !== "dict") return undefined;
  for (let i = 0; i + 1 < dict.items.length; i += 2) {
    const k = dict.items[i]!;
    if (k.k === "str" && k.s === key) return dict.items[i + 1];
  }
  return undefined;
}

/** Item size of a pickled `numpy.dtype(...)`, "object" for object arrays, undefined when unknown. */
export function dtypeLayout(dtype: PickleValue | undefined): number | "object" | undefined {
  if (dtype?.k !== "obj" || dtype.args?.k !== "seq") return undefined;
  const spec = dtype.args.items[0];
  if (spec?.k !== "str" || spec.s === undefined) return undefined;
  const match = /^[<>|=]?([a-zA-Z?])(\d*)$/.exec(spec.s);
  if (!match) return undefined;
  const [, code, digits] = match;
  if (code === "O") return "object";
  const stateSize = () => {
    const st = dtype.state;
    const elsize = st?.k === "seq" ? st.items[5] : undefined;
    return elsize?.k === "num" && elsize.n !== undefined && elsize.n > 0 ? elsize.n : undefined;
  };
  if (code === "U" || code === "S" || code === "V" || code === "a") {
    return stateSize() ?? (digits ? Number(digits) * (code === "U" ? 4 : 1) : undefined);
  }
  if (code === "?") return 1;
  return digits ? Number(digits) : stateSize();
}

export function latin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
}

export function utf8(bytes: Uint8Array): string {
  return new TextDecoder("utf-8").decode(bytes);
}

/** STRING's argument: a Python repr, quoted with ' or ". */
export function unquote(t: string): string {
  const q = t[0];
  if ((q === "'" || q === '"') && t.endsWith(q) && t.length >= 2) t = t.slice(1, -1);
  return t.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/g, (_, e: string) => {
    if (e[0] === "x") return String.fromCharCode(Number.parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(Number.parseInt(e, 8));
    return (
      ({ n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"' } as Record<string, string>)[e] ?? `\\${e}`
    );
  });
}

/** UNICODE's argument: raw-unicode-escape (\\uXXXX and \\UXXXXXXXX escapes, other bytes Latin-1). */
export function rawUnicodeEscape(bytes: Uint8Array): string {
  return latin1(bytes).replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_, u?: string, U?: string) =>
    String.fromCodePoint(Number.parseInt((u ?? U)!, 16)),
  );
}
