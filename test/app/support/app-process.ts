// The App as an operator runs it: `src/app/main.ts` in child processes (through tsx), real signed
// webhook deliveries over loopback, and the fake GitHub served on loopback as a GitHub Enterprise host
// (GHE_HOST), with outages and held requests to stop a job at a chosen point.
import { type ChildProcess, spawn } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { ProbotOctokit } from "probot";
import type { GitHub } from "../../../src/github/octokit.js";
import { FakeGitHub } from "./fake-github.js";
import { testPrivateKey } from "./harness.js";
import { freePort } from "./redis-server.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const SECRET = "process-test-secret";

interface Hold {
  method: string;
  path: RegExp;
  reached: () => void;
  released: Promise<void>;
}

/** Several fakes behind one loopback host: REST by `/repos/{owner}/{repo}`, GraphQL by its variables. */
export class GitHubServer {
  readonly fakes: FakeGitHub[];
  url = "";
  host = "";
  /** While set, every request is answered 503 (GitHub is down). */
  down = false;
  latencyMs = 0;
  #holds: Hold[] = [];
  #close: (() => Promise<void>) | undefined;

  constructor(fakes: FakeGitHub[]) {
    this.fakes = fakes;
  }

  /** The next matching request waits until `release()`; `reached` resolves when it arrives. */
  hold(method: string, path: RegExp): { reached: Promise<void>; release: () => void } {
    let release!: () => void;
    let reached!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    const arrived = new Promise<void>((r) => {
      reached = r;
    });
    this.#holds.push({ method, path, reached, released });
    return { reached: arrived, release };
  }

  /**
   * A new repository served here, a client for it built as the App's workers build one (no throttling or
   * retries), and a way to leave a check run of ours in progress, as an attempt that died would.
   */
  installation(): {
    fake: FakeGitHub;
    octokit: GitHub;
    repo: { owner: string; repo: string };
    startRun: (externalId: string) => Promise<number>;
  } {
    const fake = new FakeGitHub();
    this.fakes.push(fake);
    const octokit = new ProbotOctokit({
      auth: { token: "t" },
      baseUrl: `${this.url}/api/v3`,
      throttle: { enabled: false },
      retry: { enabled: false },
    }) as GitHub;
    const repo = { owner: fake.owner, repo: fake.repo };
    const startRun = async (externalId: string) =>
      (
        await octokit.rest.checks.create({
          ...repo,
          name: "RCE Guard",
          head_sha: fake.headSha,
          status: "in_progress",
          external_id: externalId,
        })
      ).data.id;
    return { fake, octokit, repo, startRun };
  }

  async listen(): Promise<void> {
    const server = createServer((req, res) => void this.#serve(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    this.host = `127.0.0.1:${port}`;
    this.url = `http://${this.host}`;
    this.#close = () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
  }

  close(): Promise<void> {
    return this.#close?.() ?? Promise.resolve();
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8") || undefined;
    const method = req.method ?? "GET";
    // GitHub Enterprise serves REST under /api/v3 (the fake strips it) and GraphQL at /api/graphql.
    const url = (req.url ?? "/").replace(/^\/api\/graphql/, "/graphql");
    const path = new URL(url, "http://x").pathname.replace(/^\/api\/v3/, "");
    const hold = this.#holds.find((h) => h.method === method && h.path.test(path));
    if (hold) {
      this.#holds.splice(this.#holds.indexOf(hold), 1);
      hold.reached();
      await hold.released;
    }
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    if (this.down) {
      res.writeHead(503, { "content-type": "application/json" }).end('{"message":"GitHub is down"}');
      return;
    }
    const response = await this.#pick(path, raw).handle(method, url, raw, req.headers);
    if (res.destroyed) return;
    res.writeHead(response.status, {
      "content-type": "application/json; charset=utf-8",
      ...response.headers,
    });
    res.end(JSON.stringify(response.body));
  }

  #pick(path: string, raw: string | undefined): FakeGitHub {
    const rest = /^\/repos\/([^/]+)\/([^/?]+)/.exec(path);
    let owner = rest?.[1];
    let name = rest?.[2];
    if (!rest && raw) {
      try {
        const vars = (JSON.parse(raw) as { variables?: { owner?: string; name?: string } }).variables;
        owner = vars?.owner;
        name = vars?.name;
      } catch {
        // Not JSON: the first fake answers.
      }
    }
    return this.fakes.find((f) => f.owner === owner && f.repo === name) ?? this.fakes[0]!;
  }
}

export interface AppProcess {
  role: string;
  base: string;
  child: ChildProcess;
  logs: string[];
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface StartOptions {
  role: "web" | "worker" | "all";
  github: GitHubServer;
  redisUrl?: string;
  env?: Record<string, string>;
  /** Run at this nice level (workers below the web process when they share cores). */
  nice?: number;
}

/** Starts `src/app/main.ts` and waits until /healthz answers. */
export async function startApp(options: StartOptions): Promise<AppProcess> {
  const port = await freePort();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    APP_ID: "1",
    PRIVATE_KEY: testPrivateKey(),
    WEBHOOK_SECRET: SECRET,
    PORT: String(port),
    HOST: "127.0.0.1",
    GHE_HOST: options.github.host,
    GHE_PROTOCOL: "http",
    LOG_LEVEL: "info",
    LOG_FORMAT: "json",
    NODE_ENV: "production",
    RCE_GUARD_ROLE: options.role,
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
    ...options.env,
  };
  const command = [process.execPath, "--import", "tsx", "src/app/main.ts"];
  if (options.nice) command.unshift("nice", "-n", String(options.nice));
  const child = spawn(command[0]!, command.slice(1), {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: string[] = [];
  child.stdout?.on("data", (c: Buffer) => logs.push(c.toString()));
  child.stderr?.on("data", (c: Buffer) => logs.push(c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the App exited at start:\n${logs.join("")}`);
    try {
      const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`the App did not start:\n${logs.join("")}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    role: options.role,
    base,
    child,
    logs,
    exited,
    async kill(signal = "SIGKILL") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** A signed delivery, as GitHub sends it; resolves with the status and how long the answer took. */
export async function deliver(
  app: { base: string },
  name: string,
  payload: unknown,
  deliveryId: string = randomUUID(),
): Promise<{ status: number; ms: number; deliveryId: string }> {
  const body = JSON.stringify(payload);
  const started = performance.now();
  const res = await fetch(`${app.base}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": name,
      "x-github-delivery": deliveryId,
      "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
    },
    body,
  });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - started, deliveryId };
}

/** Polls until `done()` holds (or throws with `describe()` after `timeoutMs`). */
export async function waitFor(done: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${describe()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
