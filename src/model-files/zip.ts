// The streaming zip reader: local headers walked in order, entries inflated and sniffed as files, the
// central directory checked for entries the walk did not meet (zip64 included).
import { Chunks, u16, u32, u64 } from "./bytes.js";
import { Inflater } from "./inflate.js";
import { type Context, Ignore, type Sink } from "./sinks.js";
import { Sniffer } from "./sniff.js";

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
export class ZipReader implements Sink {
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
      this.context.problem(
        this.join(this.entry.name),
        "the archive ends inside this entry: the rest was not analysed",
      );
      await this.entry.sink.end();
      this.entry = undefined;
    }
    const shift =
      this.firstLocal === undefined
        ? 0
        : this.firstLocal - Math.min(...this.central.map((e) => e.offset), this.firstLocal);
    for (const e of this.central) {
      if (this.seenOffsets.has(e.offset + shift) || this.seenNames.has(e.name)) continue;
      this.context.problem(
        this.join(e.name),
        "listed in the zip's central directory but not reachable by reading the archive in order: not analysed",
      );
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
        else if (method === 8)
          sink = new Inflater(
            this.context,
            path,
            "raw",
            new Sniffer(this.context, path, { pickle: /\.pkl$/i.test(name) }),
          );
        else {
          this.context.problem(path, `zip compression method ${method} is not supported: not analysed`);
          sink = new Ignore();
        }
        if (descriptor && method !== 0 && method !== 8) {
          this.context.problem(
            this.where,
            "an entry of unknown size and unsupported compression: the rest of the archive was not analysed",
          );
          this.done = true;
          continue;
        }
        this.entry = {
          name,
          sink,
          remaining: descriptor ? Number.POSITIVE_INFINITY : compressed,
          descriptor,
          consumed: 0,
        };
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
      if (
        window[i] === 0x50 &&
        window[i + 1] === 0x4b &&
        ((window[i + 2] === 3 && window[i + 3] === 4) || (window[i + 2] === 1 && window[i + 3] === 2))
      ) {
        this.context.problem(
          this.where,
          `${i} bytes at offset ${this.offset} belong to no zip entry and were skipped`,
        );
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
      if (window[i] !== 0x50 || window[i + 1] !== 0x4b || window[i + 2] !== 7 || window[i + 3] !== 8)
        continue;
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
