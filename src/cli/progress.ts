// A one-line progress indicator on stderr for scans that take a while. It never appears in pipes, CI logs
// or with --quiet, and short scans finish before it would first be drawn, so it cannot flicker.
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(chunk: string): unknown;
}

const FIRST_DRAW_AFTER_MS = 300;
const REDRAW_EVERY_MS = 80;
const BAR_WIDTH = 24;

export class Progress {
  private readonly startedAt: number;
  private lastDrawAt = 0;
  private drawn = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly enabled: boolean,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.startedAt = now();
  }

  static for(stream: ProgressStream, quiet: boolean): Progress {
    return new Progress(stream, !quiet && stream.isTTY === true);
  }

  /** `total` undefined while the amount of work is not known yet (walking directories). */
  update(label: string, done?: number, total?: number, force = false): void {
    if (!this.enabled) return;
    const now = this.now();
    if (!force && (now - this.startedAt < FIRST_DRAW_AFTER_MS || now - this.lastDrawAt < REDRAW_EVERY_MS))
      return;
    this.lastDrawAt = now;
    let line = label;
    if (done !== undefined && total !== undefined && total > 0) {
      const filled = Math.round((done / total) * BAR_WIDTH);
      line = `[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}] ${done}/${total} ${label}`;
    } else if (done !== undefined) {
      line = `${label} ${done}`;
    }
    const width = Math.max(20, (this.stream.columns ?? 80) - 1);
    this.stream.write(`\r\x1b[K${line.slice(0, width)}`);
    this.drawn = true;
  }

  /** Shows `label` at once if the bar is already on screen: used before a step that blocks the event loop. */
  announce(label: string): void {
    if (this.drawn || (this.enabled && this.now() - this.startedAt >= FIRST_DRAW_AFTER_MS))
      this.update(label, undefined, undefined, true);
  }

  clear(): void {
    if (this.drawn) this.stream.write("\r\x1b[K");
    this.drawn = false;
  }
}
