// Reading webhook payloads defensively: a delivery that lacks what a job needs (no pull_request.head, no
// repository, no installation) is refused with a 400 that names the missing field, and logged once by
// Probot; it never reaches a job, and no internal error text reaches the sender.

/** Thrown from a handler: Probot's middleware answers with `status` and `name: message`. */
export class MalformedDelivery extends Error {
  readonly status = 400;
  constructor(message: string) {
    super(message);
    this.name = "MalformedDelivery";
    // The message is the whole story; a stack would only show this file.
    this.stack = `${this.name}: ${message}`;
  }
}

type Json = Record<string, unknown>;

function at(payload: unknown, path: string): unknown {
  let node: unknown = payload;
  for (const key of path.split(".")) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Json)[key];
  }
  return node;
}

export function str(payload: unknown, path: string): string {
  const value = at(payload, path);
  if (typeof value !== "string" || value.length === 0)
    throw new MalformedDelivery(`malformed delivery: ${path} is missing or not a string`);
  return value;
}

export function int(payload: unknown, path: string): number {
  const value = at(payload, path);
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0)
    throw new MalformedDelivery(`malformed delivery: ${path} is missing or not a whole number`);
  return value;
}

export function sha(payload: unknown, path: string): string {
  const value = str(payload, path);
  if (!/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(value))
    throw new MalformedDelivery(`malformed delivery: ${path} is not a commit SHA`);
  return value;
}

/**
 * The repository a job works on, and that the delivery comes from an installation. `repoUrl` is the
 * repository's page on the server that sent the delivery (github.com or a GitHub Enterprise Server host),
 * so links in summaries and comments open where the code is.
 */
export function repositoryOf(payload: unknown): {
  repo: { owner: string; repo: string };
  defaultBranch: string;
  repoUrl: string;
} {
  int(payload, "installation.id");
  const repo = { owner: str(payload, "repository.owner.login"), repo: str(payload, "repository.name") };
  return {
    repo,
    defaultBranch: str(payload, "repository.default_branch"),
    repoUrl: htmlUrlOf(at(payload, "repository.html_url")) ?? `https://github.com/${repo.owner}/${repo.repo}`,
  };
}

/** An http(s) page address without a trailing slash; anything else is not a link to build on. */
function htmlUrlOf(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  try {
    const url = new URL(value);
    if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
    return url.href.replace(/\/+$/, "");
  } catch {
    return undefined;
  }
}

/** Numbers of the pull requests a check run or suite lists (an empty list when absent). */
export function pullNumbers(payload: unknown, path: string): number[] {
  const value = at(payload, path);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new MalformedDelivery(`malformed delivery: ${path} is not a list`);
  return value.map((_, i) => int(payload, `${path}.${i}.number`));
}
