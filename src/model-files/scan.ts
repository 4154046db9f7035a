// Reads a model or data file as a stream of bytes and finds the pickle streams in it, whatever the file is
// called: the format is decided by content (magic bytes), the name only hints. Containers are opened as
// they stream past — zip (local headers read in order, so a broken central directory or CRC hides
// nothing; the central directory, when it comes, is checked for entries the walk did not meet), tar,
// gzip/zlib (node:zlib), NumPy .npy (object arrays hold a pickle), HDF5 and Keras configs (Lambda layers).
// Nothing is ever loaded or executed. Memory stays bounded whatever the file's size: large payloads are
// skipped, never held. The readers live beside this file: sniff.ts (format by magic bytes), zip.ts,
// archives.ts (npy, tar), inflate.ts, sinks.ts (Sink, Context, small sinks) and bytes.ts.
import { Context } from "./sinks.js";
import { Sniffer } from "./sniff.js";
import type { GlobalRules, Graded } from "./globals.js";

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

export async function scanModelStream(
  source: AsyncIterable<Uint8Array>,
  options: ScanModelOptions,
): Promise<ModelScanResult> {
  const context = new Context(options.rules, options.maxInflatedBytes ?? 4 * 1024 ** 3);
  const sink = new Sniffer(context, "", {
    pickle: /\.(pkl|pickle|dill|joblib)$/i.test(options.name ?? ""),
    protoDecides: true,
  });
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
