// Through Probot's real webhook middleware on loopback: signatures are verified, and the delivery is
// acknowledged before the analysis runs.
import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { FakeGitHub } from "./support/fake-github.js";
import { fixture } from "./support/fixtures.js";
import {
  type Harness,
  type Payload,
  pullRequestPayload,
  setupApp,
  WEBHOOK_SECRET,
} from "./support/harness.js";

let server: Server | undefined;

afterEach(async () => {
  nock.cleanAll();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(harness: Harness): Promise<string> {
  const middleware = await harness.probot.getNodeMiddleware();
  server = createServer((req, res) => {
    void Promise.resolve(middleware(req, res)).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  nock.enableNetConnect("127.0.0.1");
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/api/github/webhooks`;
}

function post(url: string, body: string, signature: string) {
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": "pull_request",
      "x-github-delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
      "x-hub-signature-256": signature,
    },
    body,
  });
}

const sign = (body: string, secret = WEBHOOK_SECRET) =>
  `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

describe("webhook endpoint", () => {
  it("rejects a forged delivery without any GitHub call or job", async () => {
    const fake = new FakeGitHub();
    fake.setFile("app/llm.py", undefined, fixture("llm_exec.py"));
    const harness = await setupApp(fake);
    const url = await serve(harness);
    const body = JSON.stringify(pullRequestPayload("opened", fake));

    const forged = await post(url, body, sign(body, "not-the-secret"));
    expect(forged.status).toBeGreaterThanOrEqual(400);
    expect(forged.status).toBeLessThan(500);
    expect(harness.queue.stats).toEqual({ running: 0, queued: 0 });
    await harness.queue.idle();
    expect(fake.requests).toEqual([]);
  });

  it("acknowledges a signed delivery before the analysis runs, then completes the run", async () => {
    const fake = new FakeGitHub();
    fake.setFile("app/llm.py", undefined, fixture("llm_exec.py"));
    let release: () => void = () => {};
    fake.gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const harness = await setupApp(fake);
    const url = await serve(harness);
    const body = JSON.stringify(pullRequestPayload("opened", fake));

    const response = await post(url, body, sign(body));
    expect(response.status).toBe(200);
    // GitHub has its answer while the job is still waiting on its first API call.
    expect(fake.checkRuns.size).toBe(0);
    const { running, queued } = harness.queue.stats;
    expect(running + queued).toBe(1);

    release();
    await harness.queue.idle();
    expect(fake.completedRuns).toHaveLength(1);
  });

  it("answers a malformed delivery with a 400 naming the missing field, logs it, and runs no job", async () => {
    const fake = new FakeGitHub();
    fake.setFile("app/llm.py", undefined, fixture("llm_exec.py"));
    const harness = await setupApp(fake);
    const url = await serve(harness);
    for (const [strip, field] of [
      [(p: Payload) => delete p.pull_request.head, "pull_request.head.sha"],
      [(p: Payload) => delete p.repository, "repository.owner.login"],
      [(p: Payload) => delete p.installation, "installation.id"],
    ] as const) {
      const payload = pullRequestPayload("opened", fake);
      strip(payload);
      const body = JSON.stringify(payload);
      const logged = harness.logs.length;
      const response = await post(url, body, sign(body));
      const text = await response.text();
      expect(response.status).toBe(400);
      expect(JSON.parse(text)).toEqual({
        error: `MalformedDelivery: malformed delivery: ${field} is missing or not ${field.endsWith("id") ? "a whole number" : "a string"}`,
      });
      expect(text).not.toMatch(/TypeError|Cannot read properties|at .*\.ts:/);
      const lines = harness.logs.slice(logged).filter((l) => l.includes("malformed delivery"));
      expect(lines.length).toBeGreaterThanOrEqual(1);
      expect(lines.join("")).not.toContain("TypeError");
    }
    await harness.queue.idle();
    expect(fake.requests).toEqual([]);
  });
});
