// Format sniffing: Sniffer buffers a stream's first bytes and picks the reader for it by magic bytes (the
// name only hints). Every container reader hands its members back to a new Sniffer, so they are read like files.
import { startsWithProto } from "./pickle.js";
import { NpyReader, TarReader } from "./archives.js";
import { concat, firstNonSpace } from "./bytes.js";
import { Inflater } from "./inflate.js";
import { type Context, Dropper, Ignore, LambdaSearch, PickleSink, type Sink } from "./sinks.js";
import { ZipReader } from "./zip.js";

export interface Hint {
  /** The container says this is a pickle (`.pkl` name, torch's `pickle` tar member). */
  pickle: boolean;
  /** A stream that starts with PROTO is taken for a pickle (not so for members of archives). */
  protoDecides?: boolean;
}

const SNIFF_BYTES = 512;

/** Buffers the first bytes, picks a reader by magic bytes, and hands it everything. */
export class Sniffer implements Sink {
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
    const at = (text: string, offset = 0) =>
      text.split("").every((ch, i) => b[offset + i] === ch.charCodeAt(0));
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
      for (let i = 2; i + 1 < Math.min(b.length, 40) && start < 0; i++)
        if (b[i] === 0x78 && (0x78 * 256 + b[i + 1]!) % 31 === 0) start = i;
      if (start > 0) {
        c.format("joblib zlib");
        return new Dropper(
          start,
          new Inflater(c, this.where, "zlib", new Sniffer(c, this.where, { pickle: true })),
        );
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
      c.problem(
        this.where,
        `compressed with ${compressed}, which this scanner cannot decompress: not analysed`,
      );
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
