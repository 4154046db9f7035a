// The other container readers: NumPy .npy (an object array holds a pickle) and tar (PyTorch's legacy
// format), each handing its payload on to a PickleSink or a new Sniffer.
import { Chunks, concat, latin1, u16, u32 } from "./bytes.js";
import { type Context, Ignore, PickleSink, type Sink } from "./sinks.js";
import { Sniffer } from "./sniff.js";

/** NumPy .npy: a header, then raw data — or, for object arrays, a pickle. */
export class NpyReader implements Sink {
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
export class TarReader implements Sink {
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
        this.longName = latin1(
          concat(
            c.parts,
            c.parts.reduce((a, p) => a + p.length, 0),
          ),
        ).replace(/\0.*$/s, "");
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
      const sink: Sink = regular
        ? new Sniffer(this.context, path, { pickle: name === "pickle" || /\.pkl$/.test(name) })
        : new Ignore();
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
