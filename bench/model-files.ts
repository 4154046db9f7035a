// VNX-DESER-004 bench: a generated PyTorch-style checkpoint (zip: a small data.pkl with a payload, then one
// stored tensor entry of SIZE_MB) is streamed from disk through the model-file scanner. Prints MB/s and the
// peak resident set size, which must not grow with the file. Usage: tsx bench/model-files.ts [SIZE_MB]
import { createReadStream, createWriteStream, rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { bundledModelFileGlobals } from "../src/models.js";
import { scanModelStream } from "../src/model-files/scan.js";

const sizeMb = Number(process.argv[2] ?? 1024);
const dir = await mkdtemp(join(tmpdir(), "rce-guard-bench-"));
const path = join(dir, "big.pt");

function localHeader(name: string, size: number): Buffer {
  const nameBytes = Buffer.from(name);
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt32LE(size, 18);
  h.writeUInt32LE(size, 22);
  h.writeUInt16LE(nameBytes.length, 26);
  return Buffer.concat([h, nameBytes]);
}

const pickle = Buffer.from(
  "\x80\x02}q\x00(X\x06\x00\x00\x00weightq\x01ctorch._utils\n_rebuild_tensor_v2\nq\x02X\x04\x00\x00\x00hookq\x03cposix\nsystem\nq\x04X\x02\x00\x00\x00idq\x05\x85q\x06Rq\x07u.",
  "latin1",
);
const out = createWriteStream(path);
out.write(localHeader("archive/data.pkl", pickle.length));
out.write(pickle);
const total = sizeMb * 1024 * 1024;
out.write(localHeader("archive/data/0", total));
const block = Buffer.alloc(1 << 20);
for (let i = 0; i < block.length; i++) block[i] = (i * 2654435761) >>> 24;
for (let written = 0; written < total; written += block.length) {
  if (!out.write(block)) await once(out, "drain");
}
out.end();
await once(out, "finish");

let peak = process.memoryUsage().rss;
const timer = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 20);
const before = process.memoryUsage().rss;
const started = performance.now();
const result = await scanModelStream(createReadStream(path, { highWaterMark: 1 << 20 }), {
  rules: bundledModelFileGlobals(),
  name: "big.pt",
});
const seconds = (performance.now() - started) / 1000;
clearInterval(timer);
peak = Math.max(peak, process.memoryUsage().rss);
rmSync(dir, { recursive: true, force: true });
const mb = result.bytes / (1024 * 1024);
console.log(
  JSON.stringify({
    file: `${mb.toFixed(0)} MiB torch-style zip`,
    seconds: Number(seconds.toFixed(2)),
    mbPerSecond: Number((mb / seconds).toFixed(0)),
    rssBeforeMiB: Number((before / 2 ** 20).toFixed(0)),
    rssPeakMiB: Number((peak / 2 ** 20).toFixed(0)),
    found: result.imports.map((i) => `${i.grade} ${i.path} in ${i.where}`),
    problems: result.problems,
  }),
);
