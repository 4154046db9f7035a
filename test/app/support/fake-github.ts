// A small stateful GitHub for tests and the benchmark: the REST routes and GraphQL shapes the App uses,
// with GitHub's own validation where it matters (50 annotations per request, 65,535-character summaries,
// review comments only on diff lines). Served through nock (unit-level) or a loopback HTTP server
// (behind Prism, and in bench/app.ts).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { validate as validateAgainstGitHubSchema } from "@octokit/graphql-schema";
import { unifiedPatch } from "./patch.js";

/** Text, a binary file of that many bytes (content unknown), or a binary file's bytes (served by the blob API). */
export type FakeContent = string | { binary: number } | { bytes: Uint8Array };

export interface FakeComment {
  body: string;
  viewerDidAuthor: boolean;
  author: { __typename: "Bot" | "User"; login: string };
}

export interface FakeThread {
  id: string;
  path: string;
  line: number;
  isResolved: boolean;
  comments: FakeComment[];
}

export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  external_id: string | null;
  output: { title?: string | undefined; summary?: string | undefined; text?: string | undefined };
  annotations: Record<string, unknown>[];
  actions: unknown[];
  updates: number;
}

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

export interface Fault {
  method: string;
  path: RegExp;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** How many matching requests fail before the route works again. */
  times: number;
  /** Only requests whose parsed body satisfies this fail. */
  when?: (body: unknown) => boolean;
}

export interface FakeResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const BOT = { __typename: "Bot" as const, login: "rce-guard" };

export class FakeGitHub {
  owner = "Codertocat";
  repo = "Hello-World";
  defaultBranch = "master";
  installationId = 1;
  prNumber = 2;
  headSha = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
  baseSha = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e";
  /** What `GET pulls/{n}` reports as head; set to simulate a push during the analysis. */
  currentHeadSha: string | undefined;
  draft = false;
  base = new Map<string, FakeContent>();
  head = new Map<string, FakeContent>();
  /** Paths whose patch GitHub "omits" (as for very large diffs). */
  omitPatch = new Set<string>();
  repoConfig: string | undefined;
  /** `undefined`: the organisation has no `.github` repository (GraphQL answers NOT_FOUND). */
  orgConfig: string | undefined;
  threads: FakeThread[] = [];
  reviews: { id: number; body: string; commit_id: string; viewerDidAuthor: boolean }[] = [];
  checkRuns = new Map<number, FakeCheckRun>();
  requests: Recorded[] = [];
  /** GraphQL documents GitHub's schema rejects, with the reasons (answered as GitHub answers them). */
  schemaErrors: { query: string; messages: string[] }[] = [];
  faults: Fault[] = [];
  latencyMs = 0;
  /** When set, answers carry `x-ratelimit-remaining`, counting down from this. */
  rateLimitRemaining: number | undefined;
  /** While set, every request waits for it (to observe the App between webhook and analysis). */
  gate: Promise<void> | undefined;
  /** While set, requests to paths it matches wait for `until` (to hold a job mid-way). */
  hold: { path: RegExp; until: Promise<void> } | undefined;
  #nextId = 1000;

  setFile(path: string, base: FakeContent | undefined, head: FakeContent | undefined): void {
    if (base === undefined) this.base.delete(path);
    else this.base.set(path, base);
    if (head === undefined) this.head.delete(path);
    else this.head.set(path, head);
  }

  fail(fault: Omit<Fault, "times"> & { times?: number }): void {
    this.faults.push({ times: 1, ...fault });
  }

  /** Requests made so far, as "METHOD /path" strings (GraphQL as "POST /graphql"). */
  get calls(): string[] {
    return this.requests.map((r) => `${r.method} ${r.path}`);
  }

  get graphqlQueries(): { query: string; variables: Record<string, unknown> }[] {
    return this.requests
      .filter((r) => r.path === "/graphql")
      .map((r) => r.body as { query: string; variables: Record<string, unknown> });
  }

  get reviewRequests(): {
    body: string;
    commit_id: string;
    event: string;
    comments?: Record<string, unknown>[];
  }[] {
    return this.requests
      .filter((r) => r.method === "POST" && /\/pulls\/\d+\/reviews$/.test(r.path))
      .map(
        (r) =>
          r.body as { body: string; commit_id: string; event: string; comments?: Record<string, unknown>[] },
      );
  }

  get completedRuns(): FakeCheckRun[] {
    return [...this.checkRuns.values()].filter((r) => r.status === "completed");
  }

  changedFiles(): Record<string, unknown>[] {
    const paths = [...new Set([...this.base.keys(), ...this.head.keys()])].sort();
    const files: Record<string, unknown>[] = [];
    for (const path of paths) {
      const before = this.base.get(path);
      const after = this.head.get(path);
      if (before === after) continue;
      const status = before === undefined ? "added" : after === undefined ? "removed" : "modified";
      const binary = typeof before === "object" || typeof after === "object";
      const patch =
        binary || this.omitPatch.has(path) ? undefined : unifiedPatch(textOf(before), textOf(after));
      const plus = patch ? patch.split("\n").filter((l) => l.startsWith("+")).length : lineCount(after);
      const minus = patch ? patch.split("\n").filter((l) => l.startsWith("-")).length : 0;
      files.push({
        sha: blobSha(after ?? ""),
        filename: path,
        status,
        additions: plus,
        deletions: minus,
        changes: plus + minus,
        blob_url: `https://github.com/${this.owner}/${this.repo}/blob/${this.headSha}/${path}`,
        raw_url: `https://github.com/${this.owner}/${this.repo}/raw/${this.headSha}/${path}`,
        contents_url: `https://api.github.com/repos/${this.owner}/${this.repo}/contents/${path}?ref=${this.headSha}`,
        ...(patch === undefined ? {} : { patch }),
      });
    }
    return files;
  }

  async handle(
    method: string,
    url: string,
    rawBody: string | undefined,
    _headers: IncomingHttpHeaders = {},
  ): Promise<FakeResponse> {
    const parsed = new URL(url, "https://api.github.com");
    // A GitHub Enterprise Server serves REST under /api/v3 and GraphQL at /api/graphql.
    const path = parsed.pathname.replace(/^\/api\/v3(?=\/)/, "").replace(/^\/api(?=\/graphql$)/, "");
    let body: unknown;
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      body = rawBody;
    }
    this.requests.push({ method, path, query: parsed.searchParams, body });
    if (this.gate) await this.gate;
    if (this.hold?.path.test(path)) await this.hold.until;
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    const fault = this.faults.find(
      (f) => f.times > 0 && f.method === method && f.path.test(path) && (f.when?.(body) ?? true),
    );
    if (fault) {
      fault.times -= 1;
      return json(fault.status, fault.body ?? { message: `Injected ${fault.status}` }, fault.headers);
    }
    const response = this.route(method, path, parsed.searchParams, body);
    if (this.rateLimitRemaining !== undefined) {
      this.rateLimitRemaining = Math.max(0, this.rateLimitRemaining - 1);
      response.headers = { ...response.headers, "x-ratelimit-remaining": String(this.rateLimitRemaining) };
    }
    return response;
  }

  route(method: string, path: string, query: URLSearchParams, body: unknown): FakeResponse {
    const repoPath = `/repos/${this.owner}/${this.repo}`;
    const b = (body ?? {}) as Record<string, unknown>;
    if (method === "POST" && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) {
      return json(201, {
        token: "ghs_fakeinstallationtoken0000000000000",
        expires_at: new Date(Date.now() + 3600_000).toISOString(),
        permissions: { checks: "write", pull_requests: "write", contents: "read", metadata: "read" },
        repository_selection: "all",
      });
    }
    if (path === "/graphql" && method === "POST")
      return this.graphql(b as { query: string; variables?: Record<string, unknown> });
    if (!path.startsWith(`${repoPath}/`)) return json(404, { message: "Not Found" });
    const rest = path.slice(repoPath.length);

    if (method === "POST" && rest === "/check-runs") {
      const id = this.#nextId++;
      const run: FakeCheckRun = {
        id,
        name: String(b.name),
        head_sha: String(b.head_sha),
        status: String(b.status ?? (b.conclusion ? "completed" : "queued")),
        conclusion: (b.conclusion as string | undefined) ?? null,
        external_id: (b.external_id as string | undefined) ?? null,
        output: {},
        annotations: [],
        actions: [],
        updates: 0,
      };
      const invalid = this.applyCheckRunWrite(run, b);
      if (invalid) return invalid;
      this.checkRuns.set(id, run);
      return json(201, this.checkRunJson(run));
    }
    let m = /^\/check-runs\/(\d+)$/.exec(rest);
    if (method === "PATCH" && m) {
      const run = this.checkRuns.get(Number(m[1]));
      if (!run) return json(404, { message: "Not Found" });
      const invalid = this.applyCheckRunWrite(run, b);
      if (invalid) return invalid;
      run.updates += 1;
      if (b.status) run.status = String(b.status);
      if (b.conclusion) {
        run.conclusion = String(b.conclusion);
        run.status = "completed";
      }
      return json(200, this.checkRunJson(run));
    }
    m = /^\/pulls\/(\d+)\/files$/.exec(rest);
    if (method === "GET" && m) {
      const perPage = Number(query.get("per_page") ?? 30);
      const page = Number(query.get("page") ?? 1);
      const all = this.changedFiles().slice(0, 3000);
      const slice = all.slice((page - 1) * perPage, page * perPage);
      const headers: Record<string, string> = {};
      if (page * perPage < all.length) {
        headers.link = `<https://api.github.com${path}?per_page=${perPage}&page=${page + 1}>; rel="next"`;
      }
      return json(200, slice, headers);
    }
    m = /^\/pulls\/(\d+)\/reviews$/.exec(rest);
    if (method === "POST" && m) return this.createReview(b);
    m = /^\/pulls\/(\d+)$/.exec(rest);
    if (method === "GET" && m) return json(200, this.pullJson());
    m = /^\/git\/trees\/([^/]+)$/.exec(rest);
    if (method === "GET" && m) {
      const tree = m[1] === this.headSha ? this.head : this.base;
      return json(200, {
        sha: m[1],
        url: `https://api.github.com${path}`,
        truncated: false,
        tree: [...tree].map(([p, c]) => ({
          path: p,
          mode: "100644",
          type: "blob",
          sha: blobSha(c),
          size: sizeOf(c),
          url: `https://api.github.com${repoPath}/git/blobs/${blobSha(c)}`,
        })),
      });
    }
    m = /^\/git\/blobs\/([^/]+)$/.exec(rest);
    if (method === "GET" && m) {
      for (const content of [...this.head.values(), ...this.base.values()]) {
        if (blobSha(content) === m[1]) {
          return json(200, {
            sha: m[1],
            node_id: "B_1",
            size: sizeOf(content),
            url: `https://api.github.com${path}`,
            content: Buffer.from(
              typeof content === "object" && "bytes" in content ? content.bytes : textOf(content),
            ).toString("base64"),
            encoding: "base64",
          });
        }
      }
      return json(404, { message: "Not Found" });
    }
    m = /^\/compare\/([^.]+)\.\.\.(.+)$/.exec(rest);
    if (method === "GET" && m) {
      return json(200, {
        url: `https://api.github.com${path}`,
        html_url: `https://github.com/${this.owner}/${this.repo}/compare/${m[1]}...${m[2]}`,
        status: "ahead",
        ahead_by: 1,
        behind_by: 0,
        total_commits: 1,
        merge_base_commit: { sha: this.baseSha },
        base_commit: { sha: m[1] },
        commits: [],
        files: this.changedFiles(),
      });
    }
    m = /^\/commits\/([^/]+)\/pulls$/.exec(rest);
    if (method === "GET" && m) return json(200, m[1] === this.headSha ? [this.pullJson()] : []);
    return json(404, { message: `Fake GitHub has no route for ${method} ${path}` });
  }

  applyCheckRunWrite(run: FakeCheckRun, b: Record<string, unknown>): FakeResponse | undefined {
    const output = b.output as
      | { title?: string; summary?: string; text?: string; annotations?: unknown[] }
      | undefined;
    if (output) {
      if ((output.annotations?.length ?? 0) > 50) {
        return json(422, {
          message: `Invalid request.\n\nNo more than 50 items are allowed; ${output.annotations?.length} were supplied.`,
        });
      }
      for (const key of ["summary", "text"] as const) {
        const value = output[key];
        if (value && value.length > 65535) {
          return json(422, {
            message: `Invalid request.\n\nOnly 65535 characters are allowed; ${value.length} were supplied.`,
          });
        }
      }
      run.output = {
        ...run.output,
        title: output.title,
        summary: output.summary,
        ...(output.text ? { text: output.text } : {}),
      };
      run.annotations.push(...((output.annotations ?? []) as Record<string, unknown>[]));
    }
    if (Array.isArray(b.actions)) run.actions = b.actions;
    return undefined;
  }

  createReview(b: Record<string, unknown>): FakeResponse {
    const comments = (b.comments ?? []) as {
      path: string;
      line: number;
      start_line?: number;
      body: string;
    }[];
    const files = new Map(
      this.changedFiles().map((f) => [String(f.filename), f.patch as string | undefined]),
    );
    for (const c of comments) {
      const patch = files.get(c.path);
      if (patch === undefined)
        return json(422, { message: "Unprocessable Entity", errors: ["Path could not be resolved"] });
      const right = rightLines(patch);
      if (!right.has(c.line) || (c.start_line !== undefined && !right.has(c.start_line))) {
        return json(422, {
          message: "Unprocessable Entity",
          errors: ["Pull request review thread line must be part of the diff"],
        });
      }
    }
    const id = this.#nextId++;
    this.reviews.push({
      id,
      body: String(b.body ?? ""),
      commit_id: String(b.commit_id),
      viewerDidAuthor: true,
    });
    for (const c of comments) {
      this.threads.push({
        id: `PRRT_${this.#nextId++}`,
        path: c.path,
        line: c.line,
        isResolved: false,
        comments: [{ body: c.body, viewerDidAuthor: true, author: BOT }],
      });
    }
    return json(200, {
      id,
      node_id: `PRR_${id}`,
      user: {
        ...(pullRequestTemplate().user as Record<string, unknown>),
        login: "rce-guard[bot]",
        type: "Bot",
      },
      body: b.body ?? "",
      state: "COMMENTED",
      commit_id: b.commit_id,
      html_url: `https://github.com/${this.owner}/${this.repo}/pull/${this.prNumber}#pullrequestreview-${id}`,
      pull_request_url: `https://api.github.com/repos/${this.owner}/${this.repo}/pulls/${this.prNumber}`,
      author_association: "NONE",
      _links: {
        html: {
          href: `https://github.com/${this.owner}/${this.repo}/pull/${this.prNumber}#pullrequestreview-${id}`,
        },
        pull_request: {
          href: `https://api.github.com/repos/${this.owner}/${this.repo}/pulls/${this.prNumber}`,
        },
      },
      submitted_at: new Date().toISOString(),
    });
  }

  graphql(b: { query: string; variables?: Record<string, unknown> }): FakeResponse {
    // Every query and mutation is checked against GitHub's published GraphQL schema first, as GitHub does.
    const invalid = validateAgainstGitHubSchema(b.query);
    if (invalid.length > 0) {
      const messages = invalid.map((e) => e.message);
      this.schemaErrors.push({ query: b.query, messages });
      return json(200, { errors: messages.map((message) => ({ message })) });
    }
    const vars = b.variables ?? {};
    if (b.query.trimStart().startsWith("mutation")) {
      const data: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(vars)) {
        const thread = this.threads.find((t) => t.id === value);
        if (!thread)
          return json(200, {
            data: null,
            errors: [{ message: `Could not resolve to a node with the global id of '${value}'` }],
          });
        thread.isResolved = true;
        data[`r${key.slice(1)}`] = { thread: { id: thread.id, isResolved: true } };
      }
      return json(200, { data });
    }
    const repository: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(vars)) {
      const m = /^e(\d+)$/.exec(key);
      if (m) repository[`b${m[1]}`] = this.blobAt(String(value));
    }
    const data: Record<string, unknown> = { repository };
    const errors: unknown[] = [];
    if (typeof vars.repoConfigExpr === "string") {
      repository.repoConfig = this.repoConfig === undefined ? null : { text: this.repoConfig };
      repository.headConfig = this.blobAt(String(vars.headConfigExpr));
    }
    if (b.query.includes("orgConfigRepo")) {
      if (this.orgConfig === undefined) {
        data.orgConfigRepo = null;
        errors.push({
          type: "NOT_FOUND",
          path: ["orgConfigRepo"],
          message: `Could not resolve to a Repository with the name '${this.owner}/.github'.`,
        });
      } else data.orgConfigRepo = { object: { text: this.orgConfig } };
    }
    if (b.query.includes("pullRequest(number")) {
      // Pages of 100 threads, with opaque cursors, as GitHub serves `reviewThreads(first: 100, after:)`.
      const start =
        typeof vars.after === "string"
          ? Number(Buffer.from(vars.after, "base64").toString().slice("cursor:".length))
          : 0;
      const page = this.threads.slice(start, start + 100);
      const hasNextPage = start + 100 < this.threads.length;
      repository.pullRequest = {
        headRefOid: this.currentHeadSha ?? this.headSha,
        reviewThreads: {
          pageInfo: {
            hasNextPage,
            endCursor: Buffer.from(`cursor:${start + page.length}`).toString("base64"),
          },
          nodes: page.map((t) => ({
            id: t.id,
            isResolved: t.isResolved,
            path: t.path,
            comments: { totalCount: t.comments.length, nodes: t.comments.slice(0, 1) },
          })),
        },
        reviews: {
          nodes: this.reviews.map((r) => ({ body: r.body, viewerDidAuthor: r.viewerDidAuthor, author: BOT })),
        },
      };
    }
    return json(200, errors.length > 0 ? { data, errors } : { data });
  }

  blobAt(expression: string): Record<string, unknown> | null {
    const colon = expression.indexOf(":");
    const ref = expression.slice(0, colon);
    const path = expression.slice(colon + 1);
    const tree = ref === this.headSha ? this.head : this.base;
    const content = tree.get(path);
    if (content === undefined) return null;
    if (typeof content === "object") {
      return {
        text: null,
        isBinary: true,
        isTruncated: false,
        byteSize: sizeOf(content),
        oid: blobSha(content),
      };
    }
    return {
      text: content,
      isBinary: false,
      isTruncated: false,
      byteSize: Buffer.byteLength(content),
      oid: blobSha(content),
    };
  }

  pullJson(): Record<string, unknown> {
    // A real pull request object (from @octokit/webhooks-examples), so schema validation sees every field.
    const pr = pullRequestTemplate();
    pr.number = this.prNumber;
    pr.draft = this.draft;
    pr.state = "open";
    pr.auto_merge ??= null;
    (pr.head as Record<string, unknown>).sha = this.currentHeadSha ?? this.headSha;
    (pr.base as Record<string, unknown>).sha = this.baseSha;
    return pr;
  }

  checkRunJson(run: FakeCheckRun): Record<string, unknown> {
    return {
      id: run.id,
      node_id: `CR_${run.id}`,
      head_sha: run.head_sha,
      external_id: run.external_id,
      url: `https://api.github.com/repos/${this.owner}/${this.repo}/check-runs/${run.id}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/runs/${run.id}`,
      details_url: null,
      status: run.status,
      conclusion: run.conclusion,
      started_at: new Date().toISOString(),
      completed_at: run.status === "completed" ? new Date().toISOString() : null,
      output: {
        title: run.output.title ?? null,
        summary: run.output.summary ?? null,
        text: run.output.text ?? null,
        annotations_count: run.annotations.length,
        annotations_url: `https://api.github.com/repos/${this.owner}/${this.repo}/check-runs/${run.id}/annotations`,
      },
      name: run.name,
      check_suite: { id: 5 },
      app: null,
      pull_requests: [],
    };
  }

  /** Serves this fake on loopback (Prism proxies to it; the benchmark talks to it). */
  async listen(): Promise<{ url: string; close: () => Promise<void> }> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        void this.handle(req.method ?? "GET", req.url ?? "/", raw || undefined, req.headers).then((r) => {
          res.writeHead(r.status, { "content-type": "application/json; charset=utf-8", ...r.headers });
          res.end(JSON.stringify(r.body));
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): FakeResponse {
  return { status, headers, body };
}

function textOf(content: FakeContent | undefined): string {
  return typeof content === "string" ? content : "";
}

function sizeOf(content: FakeContent): number {
  if (typeof content === "string") return Buffer.byteLength(content);
  return "bytes" in content ? content.bytes.length : content.binary;
}

function lineCount(content: FakeContent | undefined): number {
  return typeof content === "string" ? content.split("\n").length : 0;
}

function blobSha(content: FakeContent): string {
  return createHash("sha1")
    .update(
      typeof content === "string" ? content : "bytes" in content ? content.bytes : `binary:${content.binary}`,
    )
    .digest("hex");
}

/** RIGHT-side lines of a patch (added or context), where GitHub accepts review comments. */
export function rightLines(patch: string): Set<number> {
  const lines = new Set<number>();
  let line = 0;
  for (const raw of patch.split("\n")) {
    const header = /^@@ -\d+(?:,\d+)? \+(\d+)/.exec(raw);
    if (header) {
      line = Number(header[1]);
      continue;
    }
    if (raw.startsWith("-") || raw.startsWith("\\")) continue;
    lines.add(line);
    line += 1;
  }
  return lines;
}

let prTemplate: string | undefined;
function pullRequestTemplate(): Record<string, unknown> {
  if (!prTemplate) {
    const file = createRequire(import.meta.url).resolve(
      "@octokit/webhooks-examples/api.github.com/index.json",
    );
    const all = JSON.parse(readFileSync(file, "utf8")) as {
      name: string;
      examples: { action?: string; pull_request?: unknown }[];
    }[];
    const opened = all.find((e) => e.name === "pull_request")?.examples.find((e) => e.action === "opened");
    prTemplate = JSON.stringify(opened?.pull_request);
  }
  return JSON.parse(prTemplate) as Record<string, unknown>;
}
