import { describe, expect, it } from "vitest";
import { Progress } from "../../src/cli/progress.js";

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { stream: { isTTY, columns: 60, write: (chunk: string) => writes.push(chunk) }, writes };
}

describe("progress bar", () => {
  it("draws on a terminal only once the scan has taken a while, then clears its line", () => {
    let now = 0;
    const { stream, writes } = fakeStream(true);
    const progress = new Progress(stream, true, () => now);
    progress.update("files read", 1, 4);
    expect(writes).toEqual([]);
    now = 1000;
    progress.update("files read", 2, 4);
    expect(writes).toEqual(["\r\x1b[K[############------------] 2/4 files read"]);
    now = 1010;
    progress.update("files read", 3, 4);
    expect(writes).toHaveLength(1);
    progress.announce("analysing 4 files");
    expect(writes.at(-1)).toBe("\r\x1b[Kanalysing 4 files");
    progress.clear();
    expect(writes.at(-1)).toBe("\r\x1b[K");
  });

  it("never writes to a pipe or with --quiet", () => {
    for (const [isTTY, quiet] of [
      [false, false],
      [true, true],
    ] as const) {
      const { stream, writes } = fakeStream(isTTY);
      const progress = Progress.for(stream, quiet);
      progress.update("files found", 10, undefined, true);
      progress.announce("analysing");
      progress.clear();
      expect(writes).toEqual([]);
    }
  });
});
