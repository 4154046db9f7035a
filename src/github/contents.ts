// Reading files from GitHub in as few requests as the API allows: one recursive tree at the head commit
// (paths and sizes, for import resolution and size limits) and GraphQL queries that fetch dozens of blobs
// each through aliased `object(expression: "<sha>:<path>")` fields.
import type { GitHub } from "./octokit.js";

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface TreeEntry {
  path: string;
  size: number;
}

export interface Tree {
  /** Blobs of the tree (files), by path. */
  blobs: ReadonlyMap<string, TreeEntry>;
  /** GitHub cut the listing (over 100,000 entries or 7 MB): import resolution is partial. */
  truncated: boolean;
}

export async function fetchTree(octokit: GitHub, repo: RepoRef, sha: string): Promise<Tree> {
  const { data } = await octokit.rest.git.getTree({ ...repo, tree_sha: sha, recursive: "true" });
  const blobs = new Map<string, TreeEntry>();
  for (const item of data.tree) {
    if (item.type === "blob" && item.path) blobs.set(item.path, { path: item.path, size: item.size ?? 0 });
  }
  return { blobs, truncated: data.truncated };
}

export interface BlobRequest {
  /** Caller's key for the result, e.g. `head:src/app.py`. */
  key: string;
  /** Commit SHA (or branch) the path is read at. */
  ref: string;
  path: string;
  /** Size from the tree when known, to keep each query's response reasonable. */
  sizeHint?: number;
}

export type BlobResult =
  | { kind: "text"; text: string; byteSize: number }
  | { kind: "binary"; byteSize: number }
  | { kind: "too-large"; byteSize: number }
  | { kind: "missing" };

export interface BlobLimits {
  maxFileBytes: number;
  /** Aliased blobs per GraphQL query. */
  perQuery: number;
  /** Estimated response size per GraphQL query. */
  bytesPerQuery: number;
}

export const DEFAULT_BLOB_LIMITS: BlobLimits = {
  maxFileBytes: 1_000_000,
  perQuery: 100,
  bytesPerQuery: 6_000_000,
};

const BLOB_FIELDS = "... on Blob { text isBinary isTruncated byteSize oid }";

interface RawBlob {
  text: string | null;
  isBinary: boolean | null;
  isTruncated: boolean;
  byteSize: number;
  oid: string;
}

/** Splits requests into GraphQL batches by count and estimated bytes, preserving order. */
export function planBatches<T extends { sizeHint?: number }>(items: readonly T[], limits: BlobLimits): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = Math.min(item.sizeHint ?? 50_000, limits.maxFileBytes);
    if (current.length > 0 && (current.length >= limits.perQuery || bytes + size > limits.bytesPerQuery)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

export interface ExtraSelection {
  /** GraphQL selection placed at the query's top level (beside `repository`), e.g. an org repository. */
  topLevel?: string;
  /** GraphQL selection placed inside `repository(...)`. */
  inRepository?: string;
  variables?: Record<string, unknown>;
  /** Variable declarations for the selections, e.g. `$number: Int!`. */
  declarations?: string[];
  /** Error paths (first element) whose failure only means "absent", such as a missing org `.github`. */
  optionalRoots?: string[];
}

/**
 * Fetches blobs with one GraphQL query per batch. The first query also carries `extra` selections, so
 * configuration and review threads come back in the same round trip as the first files.
 */
export async function fetchBlobs(
  octokit: GitHub,
  repo: RepoRef,
  requests: readonly BlobRequest[],
  limits: BlobLimits = DEFAULT_BLOB_LIMITS,
  extra?: ExtraSelection,
): Promise<{ blobs: Map<string, BlobResult>; extra: Record<string, unknown> }> {
  const blobs = new Map<string, BlobResult>();
  const known = requests.filter((r) => r.sizeHint === undefined || r.sizeHint <= limits.maxFileBytes);
  for (const r of requests) {
    if (!known.includes(r)) blobs.set(r.key, { kind: "too-large", byteSize: r.sizeHint ?? 0 });
  }
  const batches = planBatches(known, limits);
  if (batches.length === 0 && extra) batches.push([]);
  let extraData: Record<string, unknown> = {};
  for (const [index, batch] of batches.entries()) {
    const withExtra = index === 0 ? extra : undefined;
    const declarations = ["$owner: String!", "$name: String!", ...(withExtra?.declarations ?? [])];
    const variables: Record<string, unknown> = {
      owner: repo.owner,
      name: repo.repo,
      ...withExtra?.variables,
    };
    const fields = batch.map((request, i) => {
      variables[`e${i}`] = `${request.ref}:${request.path}`;
      declarations.push(`$e${i}: String!`);
      return `b${i}: object(expression: $e${i}) { ${BLOB_FIELDS} }`;
    });
    const query = `query(${declarations.join(", ")}) {
  repository(owner: $owner, name: $name) {
    ${fields.join("\n    ")}
    ${withExtra?.inRepository ?? ""}
  }
  ${withExtra?.topLevel ?? ""}
}`;
    const data = await graphqlTolerant(octokit, query, variables, withExtra?.optionalRoots ?? []);
    const repository = (data.repository ?? {}) as Record<string, RawBlob | null>;
    for (const [i, request] of batch.entries()) {
      const raw = repository[`b${i}`];
      blobs.set(request.key, await toBlobResult(octokit, repo, raw, limits));
    }
    if (index === 0) extraData = data;
  }
  return { blobs, extra: extraData };
}

async function toBlobResult(
  octokit: GitHub,
  repo: RepoRef,
  raw: RawBlob | null | undefined,
  limits: BlobLimits,
): Promise<BlobResult> {
  if (!raw || typeof raw.byteSize !== "number") return { kind: "missing" };
  if (raw.byteSize > limits.maxFileBytes) return { kind: "too-large", byteSize: raw.byteSize };
  if (raw.isBinary) return { kind: "binary", byteSize: raw.byteSize };
  if (raw.text !== null && !raw.isTruncated) return { kind: "text", text: raw.text, byteSize: raw.byteSize };
  // GraphQL cuts large texts; the REST blob endpoint serves them whole (content-addressed by oid).
  const { data } = await octokit.rest.git.getBlob({ ...repo, file_sha: raw.oid });
  const bytes = Buffer.from(data.content, data.encoding === "base64" ? "base64" : "utf8");
  if (bytes.includes(0)) return { kind: "binary", byteSize: raw.byteSize };
  return { kind: "text", text: bytes.toString("utf8"), byteSize: raw.byteSize };
}

/**
 * GraphQL answers partial data plus errors when, e.g., the organisation has no `.github` repository.
 * Those errors are expected for optional roots; any other error is real.
 */
export async function graphqlTolerant(
  octokit: GitHub,
  query: string,
  variables: Record<string, unknown>,
  optionalRoots: readonly string[],
): Promise<Record<string, unknown>> {
  try {
    return await octokit.graphql<Record<string, unknown>>(query, variables);
  } catch (error) {
    const e = error as { name?: string; errors?: { path?: (string | number)[] }[]; data?: unknown };
    const onlyOptional =
      e.name === "GraphqlResponseError" &&
      Array.isArray(e.errors) &&
      e.errors.every((err) => optionalRoots.includes(String(err.path?.[0] ?? "")));
    if (onlyOptional && e.data && typeof e.data === "object") return e.data as Record<string, unknown>;
    throw error;
  }
}

export interface BlobInfo {
  byteSize: number;
  oid: string;
}

/**
 * Size and object id of blobs, without their content: for files read as bytes (model files), whose
 * GraphQL `text` is null or cut. Batched like `fetchBlobs`; a path absent at the ref maps to undefined.
 */
export async function fetchBlobInfo(
  octokit: GitHub,
  repo: RepoRef,
  requests: readonly BlobRequest[],
  perQuery: number = DEFAULT_BLOB_LIMITS.perQuery,
): Promise<Map<string, BlobInfo | undefined>> {
  const info = new Map<string, BlobInfo | undefined>();
  for (let start = 0; start < requests.length; start += perQuery) {
    const batch = requests.slice(start, start + perQuery);
    const declarations = ["$owner: String!", "$name: String!"];
    const variables: Record<string, unknown> = { owner: repo.owner, name: repo.repo };
    const fields = batch.map((request, i) => {
      variables[`e${i}`] = `${request.ref}:${request.path}`;
      declarations.push(`$e${i}: String!`);
      return `b${i}: object(expression: $e${i}) { ... on Blob { byteSize oid } }`;
    });
    const query = `query(${declarations.join(", ")}) {
  repository(owner: $owner, name: $name) {
    ${fields.join("\n    ")}
  }
}`;
    const data = await octokit.graphql<{
      repository: Record<string, { byteSize?: number; oid?: string } | null> | null;
    }>(query, variables);
    for (const [i, request] of batch.entries()) {
      const raw = data.repository?.[`b${i}`];
      info.set(
        request.key,
        raw && typeof raw.byteSize === "number" && typeof raw.oid === "string"
          ? { byteSize: raw.byteSize, oid: raw.oid }
          : undefined,
      );
    }
  }
  return info;
}

/** A blob's bytes through the REST git blobs API (base64, content-addressed by oid; up to 100 MB there). */
export async function fetchBlobBytes(octokit: GitHub, repo: RepoRef, oid: string): Promise<Uint8Array> {
  const { data } = await octokit.rest.git.getBlob({ ...repo, file_sha: oid });
  return Buffer.from(data.content, data.encoding === "base64" ? "base64" : "utf8");
}
