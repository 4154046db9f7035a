// VNX-DESER-004 in the App: model files a pull request adds are read as bytes through the blob API, scanned
// (never loaded), and reported in the check run like any other finding; those that cannot be read are
// listed as not analysed.
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/app/analyze-change.js";
import { FakeGitHub } from "./support/fake-github.js";
import { pullRequestPayload, setupApp } from "./support/harness.js";

afterEach(() => {
  nock.cleanAll();
});

const bytes = (latin1: string) => Uint8Array.from(Buffer.from(latin1, "latin1"));
/** Protocol 2: `os.system('id')` when loaded (written by hand, never unpickled). */
const MALICIOUS = bytes("\x80\x02cos\nsystem\nq\x00X\x02\x00\x00\x00idq\x01\x85q\x02Rq\x03.");
/** `pickle.dumps({"a": 1, "b": 2}, protocol=2)`. */
const BENIGN = bytes("\x80\x02}q\x00(X\x01\x00\x00\x00aq\x01K\x01X\x01\x00\x00\x00bq\x02K\x02u.");
const LFS_POINTER = `version https://git-lfs.github.com/spec/v1
oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393
size 12345
`;

describe("model files in a pull request (VNX-DESER-004)", () => {
  it("a pickle that calls os.system fails the run with an annotation on line 1 of the file", async () => {
    const fake = new FakeGitHub();
    fake.setFile("model.pkl", undefined, { bytes: MALICIOUS });
    const { deliver } = await setupApp(fake);
    await deliver("pull_request", pullRequestPayload("opened", fake));

    const [run] = fake.completedRuns;
    expect(run?.conclusion).toBe("failure");
    expect(run?.output.title).toMatch(/^1 finding: 1 critical/);
    const annotation = run?.annotations.find((a) => a.path === "model.pkl");
    expect(annotation).toMatchObject({
      start_line: 1,
      end_line: 1,
      annotation_level: "failure",
      title: "VNX-DESER-004 (critical)",
    });
    expect(String(annotation?.message)).toContain("os.system");
    // Read as bytes through the REST blob API, by the oid GraphQL gave.
    expect(fake.calls.some((c) => /^GET \/repos\/[^/]+\/[^/]+\/git\/blobs\/[0-9a-f]{40}$/.test(c))).toBe(
      true,
    );
    expect(fake.schemaErrors).toEqual([]);
  });

  it("a benign pickle (a dict of ints) gets no finding and passes", async () => {
    const fake = new FakeGitHub();
    fake.setFile("weights/model.pkl", undefined, { bytes: BENIGN });
    const { deliver } = await setupApp(fake);
    await deliver("pull_request", pullRequestPayload("opened", fake));

    const [run] = fake.completedRuns;
    expect(run?.conclusion).toBe("success");
    expect(run?.annotations).toEqual([]);
    expect(run?.output.title).toBe("No findings in 1 analysed file");
  });

  it("a Git LFS pointer is listed as stored in LFS, not analysed", async () => {
    const fake = new FakeGitHub();
    fake.setFile("model.pt", undefined, LFS_POINTER);
    const { deliver } = await setupApp(fake);
    await deliver("pull_request", pullRequestPayload("opened", fake));

    const [run] = fake.completedRuns;
    expect(run?.conclusion).toBe("failure");
    expect(run?.annotations).toEqual([]);
    expect(run?.output.summary).toContain("### Not analysed (1)");
    expect(run?.output.summary).toMatch(
      /\| `model\.pt` \| model file not analysed: stored in Git LFS, not analysed/,
    );
  });

  it("a model file over the size limit is listed as not analysed without being downloaded", async () => {
    const fake = new FakeGitHub();
    fake.setFile("model.pkl", undefined, { bytes: MALICIOUS });
    const { deliver } = await setupApp(fake, { limits: { ...DEFAULT_LIMITS, maxModelFileBytes: 16 } });
    await deliver("pull_request", pullRequestPayload("opened", fake));

    const [run] = fake.completedRuns;
    expect(run?.conclusion).toBe("failure");
    expect(run?.output.summary).toContain(
      `| \`model.pkl\` | model file not analysed: ${MALICIOUS.length} bytes is over the 16-byte limit for model files |`,
    );
    expect(fake.calls.filter((c) => c.includes("/git/blobs/"))).toEqual([]);
  });

  it("a model file the blob API refuses is listed as not analysed", async () => {
    const fake = new FakeGitHub();
    fake.setFile("model.pkl", undefined, { bytes: MALICIOUS });
    fake.fail({
      method: "GET",
      path: /\/git\/blobs\//,
      status: 403,
      body: { message: "This API returns blobs up to 100 MB in size." },
    });
    const { deliver } = await setupApp(fake);
    await deliver("pull_request", pullRequestPayload("opened", fake));

    const [run] = fake.completedRuns;
    expect(run?.conclusion).toBe("failure");
    expect(run?.annotations).toEqual([]);
    expect(run?.output.summary).toMatch(/\| `model\.pkl` \| model file not analysed: cannot read it/);
  });

  it("rules.VNX-DESER-004: off leaves model files alone", async () => {
    const fake = new FakeGitHub();
    fake.repoConfig = "rules:\n  VNX-DESER-004: off\n";
    fake.setFile("model.pkl", undefined, { bytes: MALICIOUS });
    const { deliver } = await setupApp(fake);
    await deliver("pull_request", pullRequestPayload("opened", fake));

    const [run] = fake.completedRuns;
    expect(run?.conclusion).toBe("success");
    expect(fake.calls.filter((c) => c.includes("/git/blobs/"))).toEqual([]);
  });
});
