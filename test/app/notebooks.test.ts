// A notebook in a pull request, through the real App against the fake GitHub: the check run and the review
// comment sit on the line of the .ipynb that holds the code (what GitHub can show and comment on) and name
// the cell and the line within it.
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { lineOf, notebookText, THREE_CELL_FLOW, THREE_CELL_PLACES } from "../support/notebook.js";
import { FakeGitHub } from "./support/fake-github.js";
import { pullRequestPayload, setupApp } from "./support/harness.js";

afterEach(() => {
  nock.cleanAll();
});

const text = notebookText(THREE_CELL_FLOW);
const { sink } = THREE_CELL_PLACES;
const sinkLine = lineOf(text, "exec(compile(source");

describe("pull request adding a notebook", () => {
  it("reports the flow split over three cells at the cell and line, annotated and commented on the .ipynb line", async () => {
    const fake = new FakeGitHub();
    fake.setFile("notebooks/plan.ipynb", undefined, text);
    const { deliver } = await setupApp(fake);

    await deliver("pull_request", pullRequestPayload("opened", fake));

    const [run] = fake.completedRuns;
    expect(run?.conclusion).toBe("failure");
    expect(run?.output.title).toMatch(/^1 finding: 1 critical$/);
    expect(run?.output.summary).toContain(
      `[notebooks/plan.ipynb cell ${sink.cell} line ${sink.line}](https://github.com/Codertocat/Hello-World/blob/${fake.headSha}/notebooks/plan.ipynb#L${sinkLine})`,
    );
    expect(run?.annotations).toEqual([
      expect.objectContaining({
        path: "notebooks/plan.ipynb",
        start_line: sinkLine,
        end_line: sinkLine,
        annotation_level: "failure",
        message: expect.stringMatching(new RegExp(`^Cell ${sink.cell}, line ${sink.line}: Output of`)),
      }),
    ]);
    const comment = fake.reviewRequests[0]?.comments?.find((c) => c.path === "notebooks/plan.ipynb");
    expect(comment).toMatchObject({ line: sinkLine, side: "RIGHT" });
    expect(String(comment?.body)).toContain(`reaches \`exec\` (cell ${sink.cell} line ${sink.line})`);
    expect(String(comment?.body)).toContain("`notebooks/plan.ipynb cell 4 line 2` passed to `run_step()`");
  });

  it("a notebook that is not valid JSON is named in the check and the check does not pass", async () => {
    const fake = new FakeGitHub();
    fake.setFile("broken.ipynb", undefined, text.slice(0, 300));
    const { deliver } = await setupApp(fake);

    await deliver("pull_request", pullRequestPayload("opened", fake));

    const [run] = fake.completedRuns;
    expect(run?.conclusion).toBe("failure");
    expect(run?.output.summary).toMatch(/broken\.ipynb.*not valid JSON/);
  });
});
