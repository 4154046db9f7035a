// Write spacing per installation, GraphQL reads unspaced, secondary rate limits still waited out: with
// the production Bottleneck groups (one second between writes), timed at the HTTP edge through nock.
import { randomUUID } from "node:crypto";
import nock from "nock";
import { pino } from "pino";
import { Probot } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { createOctokitClass } from "../../src/github/octokit.js";
import { installationThrottleId, isGraphQLRead } from "../../src/github/throttling.js";
import { testPrivateKey } from "./support/harness.js";

afterEach(() => {
  nock.cleanAll();
});

const API = "https://api.github.com";

/** Answers every request; records when each arrived (ms since `t0`) and under which label. */
function record(label: (path: string, body: unknown, headers: Record<string, unknown>) => string) {
  nock.disableNetConnect();
  const t0 = performance.now();
  const seen: { label: string; at: number }[] = [];
  const scope = nock(API).persist();
  scope.post(/.*/).reply(function (path, body) {
    if (/\/access_tokens$/.test(path))
      return [201, { token: `t-${path.split("/")[3]}`, expires_at: "2999-01-01T00:00:00Z" }];
    seen.push({ label: label(path, body, this.req.headers), at: performance.now() - t0 });
    return path === "/graphql" ? [200, { data: { ok: true } }] : [201, { id: 1 }];
  });
  return seen;
}

function gaps(times: number[]): number[] {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted.slice(1).map((t, i) => t - sorted[i]!);
}

/** A client authenticated as an installation, the way octokit-auth-probot builds a webhook's client. */
function installationClient(installationId: number, retryAfterBaseValue = 1) {
  const Octokit = createOctokitClass({ retryAfterBaseValue });
  const strategy = () =>
    Object.assign(async () => ({ type: "token" }), {
      hook: (request: (o: unknown) => unknown, options: unknown) => request(options),
    });
  return new Octokit({ authStrategy: strategy, auth: { installationId }, log: pino({ level: "silent" }) });
}

describe("GitHub write spacing", () => {
  it("spaces writes per installation: two installations write side by side", async () => {
    const seen = record((_path, _body, headers) => String(headers.authorization ?? ""));
    const Octokit = createOctokitClass({ retryAfterBaseValue: 1 });
    const probot = new Probot({
      appId: 1,
      privateKey: testPrivateKey(),
      secret: "s",
      log: pino({ level: "silent" }),
      Octokit,
    });
    // The real path: a webhook's `context.octokit`, built by Probot's event authentication.
    await probot.load((app) => {
      app.on("issues.opened", async (context) => {
        for (let i = 0; i < 3; i++)
          await context.octokit.request("POST /repos/o/r/check-runs", { name: "x" });
      });
    });
    const event = (installation: number) =>
      probot.receive({
        id: randomUUID(),
        name: "issues",
        payload: { action: "opened", installation: { id: installation } },
      } as unknown as Parameters<Probot["receive"]>[0]);
    await Promise.all([event(1), event(2)]);

    const one = seen.filter((s) => s.label === "token t-1").map((s) => s.at);
    const two = seen.filter((s) => s.label === "token t-2").map((s) => s.at);
    expect(one).toHaveLength(3);
    expect(two).toHaveLength(3);
    // Each installation's writes keep GitHub's second apart (the gate opens 1 s apart; the requests behind
    // it reach the wire with some jitter)...
    for (const gap of [...gaps(one), ...gaps(two)]) expect(gap).toBeGreaterThanOrEqual(700);
    // ...but the two installations do not wait for each other: their writes interleave closely, where one
    // lane would keep all six a second apart.
    expect(Math.min(...gaps([...one, ...two]))).toBeLessThan(500);
  });

  it("keeps writes a second apart when reviews (three seconds apart) are among them", async () => {
    const seen = record((path) => (path.endsWith("/reviews") ? "review" : "check"));
    const octokit = installationClient(33);
    // Two reviews and two check-run writes at once: the second review waits for its notifications turn;
    // the check-run writes must not take the write turns around it so that two writes leave together.
    await Promise.all([
      octokit.request("POST /repos/o/r/pulls/1/reviews", { event: "COMMENT" }),
      octokit.request("POST /repos/o/r/pulls/2/reviews", { event: "COMMENT" }),
      octokit.request("POST /repos/o/r/check-runs", { name: "a" }),
      octokit.request("POST /repos/o/r/check-runs", { name: "b" }),
    ]);
    expect(seen).toHaveLength(4);
    for (const gap of gaps(seen.map((s) => s.at))) expect(gap).toBeGreaterThanOrEqual(700);
    const reviews = seen.filter((s) => s.label === "review").map((s) => s.at);
    expect(gaps(reviews)[0]).toBeGreaterThanOrEqual(2700);
  });

  it("does not space GraphQL queries; mutations are spaced as writes", async () => {
    const seen = record((_path, body) =>
      /mutation/.test((body as { query: string }).query) ? "mutation" : "query",
    );
    const octokit = installationClient(31);
    await Promise.all([
      ...[1, 2, 3, 4].map((i) => octokit.graphql(`query($n: Int!) { n${i}: viewer { login } }`, { n: i })),
      octokit.graphql('mutation { a: resolveReviewThread(input: {threadId: "1"}) { clientMutationId } }'),
      octokit.graphql('mutation { b: resolveReviewThread(input: {threadId: "2"}) { clientMutationId } }'),
    ]);
    const queries = seen.filter((s) => s.label === "query").map((s) => s.at);
    const mutations = seen.filter((s) => s.label === "mutation").map((s) => s.at);
    expect(queries).toHaveLength(4);
    expect(Math.max(...queries) - Math.min(...queries)).toBeLessThan(500);
    expect(gaps(mutations)[0]).toBeGreaterThanOrEqual(700);
  });

  it("still waits out a secondary rate limit's retry-after, for reads as for writes", async () => {
    nock.disableNetConnect();
    const t0 = performance.now();
    const at: number[] = [];
    const limited = {
      message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
    };
    nock(API)
      .post("/graphql")
      .reply(() => {
        at.push(performance.now() - t0);
        return [403, limited, { "retry-after": "2" }];
      })
      .post("/graphql")
      .reply(() => {
        at.push(performance.now() - t0);
        return [200, { data: { viewer: { login: "x" } } }];
      });
    // retry-after 2 × 200 ms per second of retry-after.
    const octokit = installationClient(32, 200);
    await expect(octokit.graphql("query { viewer { login } }")).resolves.toEqual({ viewer: { login: "x" } });
    expect(at).toHaveLength(2);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(380);
  });
});

describe("classifying requests", () => {
  it("reads a GraphQL document's operations, not its strings or comments", () => {
    const url = "/graphql";
    expect(isGraphQLRead({ url, query: "query { viewer { login } }" })).toBe(true);
    expect(isGraphQLRead({ url, query: "{ viewer { login } }" })).toBe(true);
    expect(
      isGraphQLRead({ url, query: '# mutation\nquery { search(query: "mutation") { issueCount } }' }),
    ).toBe(true);
    expect(isGraphQLRead({ url, query: "mutation { addComment { clientMutationId } }" })).toBe(false);
    expect(isGraphQLRead({ url, query: "fragment F on X { a }\nmutation M { b { ...F } }" })).toBe(false);
    expect(isGraphQLRead({ url: "https://ghe.example.com/api/graphql", query: "{ a }" })).toBe(true);
    expect(isGraphQLRead({ url })).toBe(false);
    expect(isGraphQLRead({ url: "/repos/o/r/check-runs", query: "{ a }" })).toBe(false);
  });

  it("keys a client's lanes by the installation it authenticates as", () => {
    expect(installationThrottleId({ installationId: 42 })).toBe("42");
    expect(installationThrottleId({ appId: 1, privateKey: "k" })).toBeUndefined();
    expect(installationThrottleId(undefined)).toBeUndefined();
  });
});
