// Decompression (gzip, zlib, raw deflate) through node:zlib into the next reader, with back pressure and
// the scan-wide budget of inflated bytes that stops zip bombs.
import { createGunzip, createInflate, createInflateRaw } from "node:zlib";
import type { Context, Sink } from "./sinks.js";

export type InflateKind = "gzip" | "zlib" | "raw";

/** Decompresses through node:zlib into the next reader, keeping order and applying back pressure. */
export class Inflater implements Sink {
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
        this.context.problem(
          this.where,
          `decompresses to more than ${this.context.maxInflated} bytes: the rest was not analysed`,
        );
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
    if (!this.stream.write(chunk))
      await new Promise<void>((resolve) => {
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
      this.context.problem(
        this.where,
        `compressed data is damaged after ${this.out} decompressed bytes (${this.failed}): the rest was not analysed`,
      );
    }
    await this.next.end();
  }
}
