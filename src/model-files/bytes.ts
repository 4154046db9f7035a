// Byte helpers shared by the format readers: a FIFO of chunks (Chunks), little-endian integer readers,
// concatenation, Latin-1 decoding and the first non-blank byte.

/** A FIFO of chunks that readers peek into and consume from without copying more than a header. */
export class Chunks {
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

export const u16 = (b: Uint8Array, o: number) => b[o]! | (b[o + 1]! << 8);
export const u32 = (b: Uint8Array, o: number) =>
  (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16)) + b[o + 3]! * 0x1000000;
export const u64 = (b: Uint8Array, o: number) => u32(b, o) + u32(b, o + 4) * 0x100000000;

export function concat(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

export function firstNonSpace(b: Uint8Array): number | undefined {
  for (const byte of b) if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return byte;
  return undefined;
}
