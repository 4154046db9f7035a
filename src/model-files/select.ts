// Which files are model or data files worth opening: by extension, or by the first bytes (a pickle named
// `.txt` is still a pickle). One definition for the CLI's walk and the App's changed files.
import { startsWithProto } from "./pickle.js";

const MODEL_EXTENSIONS =
  /\.(pkl|pickle|dill|joblib|pt|pth|bin|ckpt|npy|npz|keras|h5|hdf5|sav|model|pkl\.gz|pkl\.z|joblib\.z|joblib\.gz|data|dat|mar|pb)$/i;

export function isModelFileName(path: string): boolean {
  return MODEL_EXTENSIONS.test(path);
}

/** Bytes a caller should read from a file of another name to decide with `looksLikeModelFile`. */
export const SNIFF_PREFIX_BYTES = 64;

/** A pickle (PROTO, or protocol 0/1 GLOBAL of an identifier), a NumPy array or a zip of model type. */
export function looksLikeModelFile(prefix: Uint8Array): boolean {
  if (startsWithProto(prefix)) return true;
  if (prefix[0] === 0x93 && String.fromCharCode(...prefix.subarray(1, 6)) === "NUMPY") return true;
  // Protocol 0/1 pickles start with an opcode; an import of `module\nname\n` is the telling one.
  const text = String.fromCharCode(...prefix);
  return /^(?:\(|\]|\}|\(\(?)*[ci][A-Za-z_][\w.]*\n[A-Za-z_][\w.]*\n/.test(text);
}

/** Default limit on the size of a model file fetched or read for scanning. */
export const DEFAULT_MAX_MODEL_FILE_BYTES = 200 * 1024 * 1024;

/** A Git LFS pointer file (what the repository holds instead of the object). */
export function isLfsPointer(prefix: Uint8Array): boolean {
  return String.fromCharCode(...prefix.subarray(0, 40)).startsWith(
    "version https://git-lfs.github.com/spec/",
  );
}
