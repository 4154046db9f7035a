// Reads a model or data file as a stream of bytes and finds the pickle streams in it, whatever the file is
// called: the format is decided by content (magic bytes), the name only hints. Containers are opened as
// they stream past — zip (local headers read in order, so a broken central directory or CRC hides
// nothing; the central directory, when it comes, is checked for entries the walk did not meet), tar,
// gzip/zlib (node:zlib), NumPy .npy (object arrays hold a pickle), HDF5 and Keras configs (Lambda layers).
// Nothing is ever loaded or executed. Memory stays bounded whatever the file's size: large payloads are
// skipped, never held.
import { createGunzip, createInflate, createInflateRaw } from "node:zlib";
import type { GlobalRules, Graded } from "./globals.js";
import { gradeImport } from "./globals.js";
import { type PickleImport, PickleReader, startsWithProto } from "./pickle.js";

export interface FoundImport extends Graded {
  /** Where in the file: the entry of a container (`archive/data.pkl`), or the file itself (""). */
  where: string;
  opcode: string;
  offset: number;
  /** Found in a pickle nested in a bytes argument. */
  nested: boolean;
}

export interface ModelScanResult {
  /** Formats met, outermost first (`zip`, `pickle`, `numpy`, …). */
  formats: string[];
  /** Imports that deserve a finding (grade critical, high or medium), in stream order. */
  imports: FoundImport[];
  /** Why (part of) the file was not analysed; empty when every byte was read. */
  problems: string[];
  /** Keras Lambda layers (marshalled Python bytecode) met in configs. */
  lambdaLayers: string[];
  pickles: number;
  bytes: number;
}

export interface ScanModelOptions {
  rules: GlobalRules;
  /** The file's name: extensions only hint (`.pkl` makes a broken stream a problem rather than data). */
  name?: string;
  /** Bytes decompression may produce before the rest is given up as not analysed (zip bombs). */
  maxInflatedBytes?: number;
}

interface Sink {
  write(chunk: Uint8Array): Promise<void> | void;
  end(): Promise<void> | void;
}

class Context {
  readonly result: ModelScanResult = { formats: [], imports: [], problems: [], lambdaLayers: [], pickles: 0, bytes: 0 };
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

export async function scanModelStream(source: AsyncIterable<Uint8Array>, options: ScanModelOptions): Promise<ModelScanResult> {
  const context = new Context(options.rules, options.maxInflatedBytes ?? 4 * 1024 ** 3);
  const sink = new Sniffer(context, "", { pickle: /\.(pkl|pickle|dill|joblib)$/i.test(options.name ?? ""), protoDecides: true });
  for await (const chunk of source) {
    context.result.bytes += chunk.length;
    await sink.write(chunk);
  }
  await sink.end();
  return context.result;
}

export async function scanModelBytes(bytes: Uint8Array, options: ScanModelOptions): Promise<ModelScanResult> {
  return scanModelStream(
    (async function* () {
      for (let i = 0; i < bytes.length; i += 1 << 20) yield bytes.subarray(i, i + (1 << 20));
    })(),
    options,
  );
}

interface Hint {
  /** The container says this is a pickle (`.pkl` name, torch's `pickle` tar member). */
  pickle: boolean;
  /** A stream that starts with PROTO is taken for a pickle (not so for members of archives). */
  protoDecides?: boolean;
}

const SNIFF_BYTES = 512;

/** Buffers the first bytes, picks a reader by magic bytes, and hands it everything. */
class Sniffer implements Sink {
  private head: Uint8Array[] = [];
  private headLength = 0;
  private target: Sink | undefined;

  constructor(
    private readonly context: Context,
    private readonly where: string,
    private readonly hint: Hint,
  ) {}

  async write(chunk: Uint8Array): Promise<void> {
    if (this.target) return this.target.write(chunk);
    this.head.push(chunk);
    this.headLength += chunk.length;
    if (this.headLength >= SNIFF_BYTES) await this.decide();
  }

  async end(): Promise<void> {
    if (!this.target) {
      if (this.headLength === 0) return;
      await this.decide();
    }
    await this.target!.end();
  }

  private async decide(): Promise<void> {
    const head = concat(this.head, this.headLength);
    this.head = [];
    this.target = this.choose(head);
    await this.target.write(head);
  }

  private choose(b: Uint8Array): Sink {
    const c = this.context;
    const at = (text: string, offset = 0) => text.split("").every((ch, i) => b[offset + i] === ch.charCodeAt(0));
    if (at("PK\x03\x04") || at("PK\x05\x06")) {
      c.format("zip");
      return new ZipReader(c, this.where);
    }
    if (at("\x93NUMPY")) {
      c.format("numpy");
      return new NpyReader(c, this.where);
    }
    if (b[0] === 0x1f && b[1] === 0x8b) {
      c.format("gzip");
      return new Inflater(c, this.where, "gzip", new Sniffer(c, this.where, { pickle: true }));
    }
    if (b[0] === 0x78 && b.length >= 2 && (b[0] * 256 + b[1]!) % 31 === 0) {
      c.format("zlib");
      return new Inflater(c, this.where, "zlib", new Sniffer(c, this.where, { pickle: true }));
    }
    if (at("ZF")) {
      // joblib < 0.10: "ZF", the length in hex padded with spaces, then a zlib stream.
      let start = -1;
      for (let i = 2; i + 1 < Math.min(b.length, 40) && start < 0; i++) if (b[i] === 0x78 && (0x78 * 256 + b[i + 1]!) % 31 === 0) start = i;
      if (start > 0) {
        c.format("joblib zlib");
        return new Dropper(start, new Inflater(c, this.where, "zlib", new Sniffer(c, this.where, { pickle: true })));
      }
    }
    const compressed = at("BZh")
      ? "bzip2"
      : at("\xfd7zXZ\x00")
        ? "xz"
        : b[0] === 0x04 && b[1] === 0x22 && b[2] === 0x4d && b[3] === 0x18
          ? "lz4"
          : b[0] === 0x5d && b[1] === 0 && b[2] === 0
            ? "lzma"
            : undefined;
    if (compressed) {
      c.format(compressed);
      c.problem(this.where, `compressed with ${compressed}, which this scanner cannot decompress: not analysed`);
      return new Ignore();
    }
    if (at("\x89HDF\r\n\x1a\n")) {
      c.format("hdf5");
      return new LambdaSearch(c, this.where);
    }
    if (at("ustar", 257)) {
      c.format("tar");
      return new TarReader(c, this.where);
    }
    if (at("GGUF")) {
      c.format("gguf");
      return new Ignore();
    }
    if (b.length >= 9 && b[8] === 0x7b && b[6] === 0 && b[7] === 0) {
      c.format("safetensors");
      return new Ignore();
    }
    if (firstNonSpace(b) === 0x7b) {
      c.format("json");
      return new LambdaSearch(c, this.where);
    }
    // At the top of a file PROTO settles it; inside an archive, tensor data can start with 0x80 too.
    const definitive = this.hint.pickle || (this.hint.protoDecides === true && startsWithProto(b));
    return new PickleSink(c, this.where, definitive);
  }
}

class Ignore implements Sink {
  write(): void {}
  end(): void {}
}

/** Drops the first bytes of a stream (a header) and passes on the rest. */
class Dropper implements Sink {
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

class PickleSink implements Sink {
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
      c.result.imports.push({ ...graded, where: this.where, opcode: hit.opcode, offset: hit.offset, nested: hit.depth > 0 });
    }
  }
}

/** Searches configs (Keras `config.json`, HDF5 attributes) for Lambda layers, whose code is marshalled bytecode. */
class LambdaSearch implements Sink {
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
    if (this.found > 0) this.context.result.lambdaLayers.push(`${this.where || "the file"}: ${this.found} Lambda layer${this.found > 1 ? "s" : ""}`);
  }
}

type InflateKind = "gzip" | "zlib" | "raw";

/** Decompresses through node:zlib into the next reader, keeping order and applying back pressure. */
class Inflater implements Sink {
  private readonly stream;
  private chain: Promise<void> = Promise.resolve();
  private failed: string | undefined;
  private out = 0;
  private stopped = false;
  private readonly ended: Promise<void>;

  constructor(
    private readonly context: Context,
    private readonly where: string,
    kind: InflateKind,
    private readonly next: Sink,
  ) {
    this.stream = kind === "gzip" ? createGunzip() : kind === "zlib" ? createInflate() : createInflateRaw();
    this.stream.on("data", (data: Buffer) => {
      if (this.stopped) return;
      this.out += data.length;
      this.context.inflated += data.length;
      if (this.context.inflated > this.context.maxInflated) {
        this.stopped = true;
        this.context.problem(this.where, `decompresses to more than ${this.context.maxInflated} bytes: the rest was not analysed`);
        return;
      }
      this.chain = this.chain.then(() => this.next.write(data));
    });
    this.ended = new Promise((resolve) => {
      this.stream.on("end", resolve);
      this.stream.on("error", (error: Error) => {
        this.failed = error.message;
        resolve();
      });
    });
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.failed !== undefined || this.stopped) return;
    if (!this.stream.write(chunk)) await new Promise<void>((resolve) => {
      const done = () => {
        this.stream.off("drain", done);
        this.stream.off("error", done);
        resolve();
      };
      this.stream.on("drain", done);
      this.stream.on("error", done);
    });
    await this.chain;
  }

  async end(): Promise<void> {
    this.stream.end();
    await this.ended;
    await this.chain;
    if (this.failed !== undefined) {
      this.context.problem(this.where, `compressed data is damaged after ${this.out} decompressed bytes (${this.failed}): the rest was not analysed`);
    }
    await this.next.end();
  }
}

/** A FIFO of chunks that readers peek into and consume from without copying more than a header. */
class Chunks {
  private list: Uint8Array[] = [];
  length = 0;
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.list.push(chunk);
    this.length += chunk.length;
  }
  /** The first n bytes (copied when they span chunks), or undefined when fewer are buffered. */
  peek(n: number): Uint8Array | undefined {
    if (n > this.length) return undefined;
    const first = this.list[0]!;
    if (first.length >= n) return first.subarray(0, n);
    const out = new Uint8Array(n);
    let filled = 0;
    for (const chunk of this.list) {
      const part = chunk.subarray(0, n - filled);
      out.set(part, filled);
      filled += part.length;
      if (filled === n) break;
    }
    return out;
  }
  /** Takes up to n bytes from the first chunk. */
  take(n: number): Uint8Array {
    const first = this.list[0]!;
    if (first.length <= n) {
      this.list.shift();
      this.length -= first.length;
      return first;
    }
    this.list[0] = first.subarray(n);
    this.length -= n;
    return first.subarray(0, n);
  }
  skip(n: number): void {
    while (n > 0 && this.length > 0) n -= this.take(n).length;
  }
}

const u16 = (b: Uint8Array, o: number) => b[o]! | (b[o + 1]! << 8);
const u32 = (b: Uint8Array, o: number) => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16)) + b[o + 3]! * 0x1000000;
const u64 = (b: Uint8Array, o: number) => u32(b, o) + u32(b, o + 4) * 0x100000000;

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const END64 = 0x06064b50;
const LOCATOR64 = 0x07064b50;
const DESCRIPTOR = 0x08074b50;

interface Entry {
  name: string;
  sink: Sink;
  remaining: number;
  /** Sizes not in the local header (flag bit 3): the data ends at a data descriptor. */
  descriptor: boolean;
  consumed: number;
}

/**
 * Walks a zip archive's local headers in order, as a stream, the way a reader that ignores the central
 * directory would: a damaged central directory, a wrong CRC or a misleading name cannot hide an entry's
 * content, which is sniffed like a file of its own. The central directory is read when it arrives, and
 * an entry it lists that the walk did not meet is reported as not analysed.
 */
class ZipReader implements Sink {
  private readonly q = new Chunks();
  private offset = 0;
  private entry: Entry | undefined;
  private readonly seenOffsets = new Set<number>();
  private readonly seenNames = new Set<string>();
  private readonly central: { name: string; offset: number }[] = [];
  private firstLocal: number | undefined;
  private done = false;
  private skipping = 0;

  constructor(
    private readonly context: Context,
    private readonly where: string,
  ) {}

  async write(chunk: Uint8Array): Promise<void> {
    this.q.push(chunk);
    await this.pump(false);
  }

  async end(): Promise<void> {
    await this.pump(true);
    if (this.entry) {
      this.context.problem(this.join(this.entry.name), "the archive ends inside this entry: the rest was not analysed");
      await this.entry.sink.end();
      this.entry = undefined;
    }
    const shift = this.firstLocal === undefined ? 0 : this.firstLocal - Math.min(...this.central.map((e) => e.offset), this.firstLocal);
    for (const e of this.central) {
      if (this.seenOffsets.has(e.offset + shift) || this.seenNames.has(e.name)) continue;
      this.context.problem(this.join(e.name), "listed in the zip's central directory but not reachable by reading the archive in order: not analysed");
    }
  }

  private join(name: string): string {
    return this.where ? `${this.where}/${name}` : name;
  }

  private async pump(final: boolean): Promise<void> {
    const q = this.q;
    while (q.length > 0) {
      if (this.skipping > 0) {
        const n = Math.min(this.skipping, q.length);
        q.skip(n);
        this.skipping -= n;
        this.offset += n;
        continue;
      }
      if (this.entry) {
        if (!(await this.entryData(final))) return;
        continue;
      }
      if (this.done) {
        q.skip(q.length);
        return;
      }
      const sig = q.peek(4);
      if (!sig) return;
      const kind = u32(sig, 0);
      if (kind === LOCAL) {
        const h = q.peek(30);
        if (!h) return;
        const nameLength = u16(h, 26);
        const extraLength = u16(h, 28);
        const full = q.peek(30 + nameLength + extraLength);
        if (!full) return;
        const flags = u16(h, 6);
        const method = u16(h, 8);
        let compressed = u32(h, 18);
        const name = new TextDecoder().decode(full.subarray(30, 30 + nameLength));
        if (compressed === 0xffffffff) {
          const zip64 = findExtra(full.subarray(30 + nameLength), 0x0001);
          // The zip64 record lists the 64-bit sizes whose 32-bit fields are 0xFFFFFFFF, uncompressed first.
          if (zip64) compressed = u32(h, 22) === 0xffffffff ? u64(zip64, 8) : u64(zip64, 0);
        }
        this.seenOffsets.add(this.offset);
        this.seenNames.add(name);
        this.firstLocal ??= this.offset;
        q.skip(full.length);
        this.offset += full.length;
        const descriptor = (flags & 8) !== 0 && compressed === 0;
        const path = this.join(name);
        let sink: Sink;
        if (flags & 1) {
          this.context.problem(path, "encrypted zip entry: not analysed");
          sink = new Ignore();
        } else if (method === 0) sink = new Sniffer(this.context, path, { pickle: /\.pkl$/i.test(name) });
        else if (method === 8) sink = new Inflater(this.context, path, "raw", new Sniffer(this.context, path, { pickle: /\.pkl$/i.test(name) }));
        else {
          this.context.problem(path, `zip compression method ${method} is not supported: not analysed`);
          sink = new Ignore();
        }
        if (descriptor && method !== 0 && method !== 8) {
          this.context.problem(this.where, "an entry of unknown size and unsupported compression: the rest of the archive was not analysed");
          this.done = true;
          continue;
        }
        this.entry = { name, sink, remaining: descriptor ? Number.POSITIVE_INFINITY : compressed, descriptor, consumed: 0 };
        continue;
      }
      if (kind === CENTRAL) {
        const h = q.peek(46);
        if (!h) return;
        const total = 46 + u16(h, 28) + u16(h, 30) + u16(h, 32);
        const full = q.peek(total);
        if (!full) return;
        let offset = u32(h, 42);
        if (offset === 0xffffffff) {
          const zip64 = findExtra(full.subarray(46 + u16(h, 28), 46 + u16(h, 28) + u16(h, 30)), 0x0001);
          if (zip64) {
            // Only the fields that overflowed are present, in order: uncompressed, compressed, offset.
            const skip = (u32(h, 24) === 0xffffffff ? 8 : 0) + (u32(h, 20) === 0xffffffff ? 8 : 0);
            if (zip64.length >= skip + 8) offset = u64(zip64, skip);
          }
        }
        this.central.push({ name: new TextDecoder().decode(full.subarray(46, 46 + u16(h, 28))), offset });
        q.skip(total);
        this.offset += total;
        continue;
      }
      if (kind === END) {
        this.done = true;
        continue;
      }
      if (kind === END64) {
        const h = q.peek(12);
        if (!h) return;
        this.skipping = 12 + u64(h, 4);
        continue;
      }
      if (kind === LOCATOR64) {
        this.skipping = 20;
        continue;
      }
      if (kind === DESCRIPTOR) {
        this.skipping = 16;
        continue;
      }
      // Bytes that are no header: resynchronise on the next local or central header.
      const resumed = this.resync();
      if (!resumed && !final) return;
      if (!resumed) {
        q.skip(q.length);
        return;
      }
    }
  }

  private resync(): boolean {
    const q = this.q;
    const window = q.peek(Math.min(q.length, 1 << 20))!;
    for (let i = 1; i + 3 < window.length; i++) {
      if (window[i] === 0x50 && window[i + 1] === 0x4b && ((window[i + 2] === 3 && window[i + 3] === 4) || (window[i + 2] === 1 && window[i + 3] === 2))) {
        this.context.problem(this.where, `${i} bytes at offset ${this.offset} belong to no zip entry and were skipped`);
        q.skip(i);
        this.offset += i;
        return true;
      }
    }
    if (window.length > 4) {
      const drop = window.length - 3;
      q.skip(drop);
      this.offset += drop;
    }
    return false;
  }

  /** Feeds the current entry; false when more bytes are needed. */
  private async entryData(final: boolean): Promise<boolean> {
    const e = this.entry!;
    const q = this.q;
    if (!e.descriptor) {
      if (e.remaining > 0) {
        const part = q.take(Math.min(e.remaining, q.length));
        e.remaining -= part.length;
        this.offset += part.length;
        await e.sink.write(part);
        if (e.remaining > 0) return q.length > 0;
      }
      this.entry = undefined;
      await e.sink.end();
      return true;
    }
    // Unknown size: the data ends where a data descriptor that counts exactly the bytes so far begins.
    const window = q.peek(Math.min(q.length, 1 << 20))!;
    for (let i = 0; i + 16 <= window.length; i++) {
      if (window[i] !== 0x50 || window[i + 1] !== 0x4b || window[i + 2] !== 7 || window[i + 3] !== 8) continue;
      const size32 = u32(window, i + 8);
      const size64 = i + 24 <= window.length ? u64(window, i + 8) : -1;
      const is32 = size32 === e.consumed + i;
      if (is32 || size64 === e.consumed + i) {
        await this.feed(e, i);
        this.entry = undefined;
        await e.sink.end();
        this.skipping = is32 ? 16 : 24;
        return true;
      }
    }
    const keep = final ? 0 : 23;
    if (window.length <= keep) return false;
    await this.feed(e, window.length - keep);
    return true;
  }

  private async feed(e: Entry, n: number): Promise<void> {
    while (n > 0) {
      const part = this.q.take(n);
      n -= part.length;
      e.consumed += part.length;
      this.offset += part.length;
      await e.sink.write(part);
    }
  }
}

function findExtra(extra: Uint8Array, id: number): Uint8Array | undefined {
  for (let i = 0; i + 4 <= extra.length; ) {
    const size = u16(extra, i + 2);
    if (u16(extra, i) === id) return extra.subarray(i + 4, i + 4 + size);
    i += 4 + size;
  }
  return undefined;
}

/** NumPy .npy: a header, then raw data — or, for object arrays, a pickle. */
class NpyReader implements Sink {
  private readonly q = new Chunks();
  private body: Sink | undefined;
  constructor(
    private readonly context: Context,
    private readonly where: string,
  ) {}
  async write(chunk: Uint8Array): Promise<void> {
    if (this.body) return this.body.write(chunk);
    this.q.push(chunk);
    const pre = this.q.peek(12);
    if (!pre) return;
    const major = pre[6]!;
    const headerLength = major === 1 ? u16(pre, 8) : u32(pre, 8);
    const start = major === 1 ? 10 : 12;
    if (headerLength > 1 << 20) {
      this.context.problem(this.where, "NumPy header is implausibly long: not analysed");
      this.body = new Ignore();
      return;
    }
    const full = this.q.peek(start + headerLength);
    if (!full) return;
    const header = latin1(full.subarray(start));
    const descr = /['"]descr['"]\s*:\s*(.*?),\s*['"](?:fortran_order|shape)['"]/s.exec(header)?.[1];
    if (descr === undefined) {
      this.context.problem(this.where, "NumPy header without a readable dtype: not analysed");
      this.body = new Ignore();
    } else if (/['"][|<>=]?O\d*['"]/.test(descr)) {
      // np.save of an object array pickles it after the header; np.load(allow_pickle=True) unpickles it.
      this.body = new PickleSink(this.context, this.where, true);
    } else this.body = new Ignore();
    this.q.skip(full.length);
    while (this.q.length > 0) await this.body.write(this.q.take(this.q.length));
  }
  async end(): Promise<void> {
    if (!this.body) {
      if (this.q.length > 0) this.context.problem(this.where, "NumPy header is truncated: not analysed");
      return;
    }
    await this.body.end();
  }
}

/** tar (PyTorch's legacy format: members `sys_info_p`, `pickle`, `tensors`, `storages`). */
class TarReader implements Sink {
  private readonly q = new Chunks();
  private member: { sink: Sink; remaining: number; padding: number } | undefined;
  private longName: string | undefined;
  private collectingName: { remaining: number; parts: Uint8Array[]; padding: number } | undefined;
  private done = false;
  constructor(
    private readonly context: Context,
    private readonly where: string,
  ) {}

  async write(chunk: Uint8Array): Promise<void> {
    this.q.push(chunk);
    const q = this.q;
    while (q.length > 0) {
      if (this.done) {
        q.skip(q.length);
        return;
      }
      if (this.member) {
        const m = this.member;
        if (m.remaining > 0) {
          const part = q.take(Math.min(m.remaining, q.length));
          m.remaining -= part.length;
          await m.sink.write(part);
          continue;
        }
        if (m.padding > 0) {
          const n = Math.min(m.padding, q.length);
          q.skip(n);
          m.padding -= n;
          continue;
        }
        this.member = undefined;
        await m.sink.end();
        continue;
      }
      if (this.collectingName) {
        const c = this.collectingName;
        if (c.remaining > 0) {
          const part = q.take(Math.min(c.remaining, q.length));
          c.parts.push(part.slice());
          c.remaining -= part.length;
          continue;
        }
        if (c.padding > 0) {
          const n = Math.min(c.padding, q.length);
          q.skip(n);
          c.padding -= n;
          continue;
        }
        this.longName = latin1(concat(c.parts, c.parts.reduce((a, p) => a + p.length, 0))).replace(/\0.*$/s, "");
        this.collectingName = undefined;
        continue;
      }
      const h = q.peek(512);
      if (!h) return;
      q.skip(512);
      if (h.every((byte) => byte === 0)) {
        this.done = true;
        continue;
      }
      const field = (from: number, to: number) => latin1(h.subarray(from, to)).replace(/\0.*$/s, "");
      let size: number;
      if (h[124]! & 0x80) {
        size = 0;
        for (let i = 125; i < 136; i++) size = size * 256 + h[i]!;
      } else size = Number.parseInt(field(124, 136).trim() || "0", 8);
      if (!Number.isFinite(size)) {
        this.context.problem(this.where, "tar header with an unreadable size: the rest was not analysed");
        this.done = true;
        continue;
      }
      const padding = (512 - (size % 512)) % 512;
      const type = String.fromCharCode(h[156]!);
      const prefix = field(345, 500);
      const name = this.longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
      this.longName = undefined;
      if (type === "L") {
        this.collectingName = { remaining: size, parts: [], padding };
        continue;
      }
      const path = this.where ? `${this.where}/${name}` : name;
      const regular = type === "0" || type === "\0" || type === "7";
      const sink: Sink = regular ? new Sniffer(this.context, path, { pickle: name === "pickle" || /\.pkl$/.test(name) }) : new Ignore();
      this.member = { sink, remaining: size, padding };
    }
  }

  async end(): Promise<void> {
    if (this.member) {
      this.context.problem(this.where, "the tar archive ends inside a member: the rest was not analysed");
      await this.member.sink.end();
    }
  }
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

function firstNonSpace(b: Uint8Array): number | undefined {
  for (const byte of b) if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return byte;
  return undefined;
}
