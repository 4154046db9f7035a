import { describe, expect, it } from "vitest";
import { readDependencyPins } from "../../src/manifests/index.js";
import { decideVersionGate, onlyAdmitsAtLeast } from "../../src/engine/dependencies/versions.js";
import type { VersionGate } from "../../src/engine/models.js";
import { bundledModels } from "../../src/models.js";

function requirements(text: string) {
  return readDependencyPins([{ path: "requirements.txt", text }]);
}

/** The gate the bundled models put on a sink (the same data the engine decides with). */
function gateOf(api: string, safeFrom: string): VersionGate {
  const gate = bundledModels().sinks?.find(
    (s) => s.api.includes(api) && s.versionGate?.safeFrom === safeFrom,
  )?.versionGate;
  if (!gate) throw new Error(`no version gate ${safeFrom} on ${api} in rules/models`);
  return gate;
}

describe("onlyAdmitsAtLeast", () => {
  it("is decided when every admitted version is at or above the floor, and names the manifest line", () => {
    expect(onlyAdmitsAtLeast(requirements("numpy\ntorch>=2.6,<3\n"), "torch", "2.6.0")).toEqual({
      decided: true,
      reason: "torch is pinned to >=2.6,<3 in requirements.txt:2, where versions are 2.6.0 or later",
    });
  });

  it("is not decided for a package no manifest lists", () => {
    expect(onlyAdmitsAtLeast(requirements("numpy\n"), "torch", "2.6.0")).toEqual({
      decided: false,
      reason: "torch is not pinned in any manifest, so versions before 2.6.0 may be installed",
    });
  });

  it("is not decided when the pins contradict each other", () => {
    const pins = readDependencyPins([
      { path: "requirements.txt", text: "torch==2.5.1\n" },
      { path: "pyproject.toml", text: '[project]\ndependencies = ["torch>=2.6"]\n' },
    ]);
    expect(onlyAdmitsAtLeast(pins, "torch", "2.6.0")).toMatchObject({
      decided: false,
      reason: expect.stringContaining("admit no version"),
    });
  });

  it("excludes pre-releases of the floor: >=2.6.0rc1 is not >=2.6.0", () => {
    expect(onlyAdmitsAtLeast(requirements("torch>=2.6.0rc1\n"), "torch", "2.6.0").decided).toBe(false);
  });

  it("accepts a lower bound just above the floor and the floor's post-releases", () => {
    expect(onlyAdmitsAtLeast(requirements("torch>2.5.99\n"), "torch", "2.6.0").decided).toBe(false);
    expect(onlyAdmitsAtLeast(requirements("torch>=2.6.0.post1\n"), "torch", "2.6.0").decided).toBe(true);
    expect(onlyAdmitsAtLeast(requirements("torch~=2.7\n"), "torch", "2.6.0").decided).toBe(true);
  });
});

describe("torch.load defaults to weights_only=True from 2.6.0", () => {
  const gate = gateOf("torch.load", "2.6.0");

  it("pinned at or above 2.6: safe, not reported", () => {
    expect(decideVersionGate(requirements("torch>=2.6,<3\n"), gate)).toEqual({
      safe: true,
      reason:
        "Torch is pinned to >=2.6,<3 in requirements.txt:1, where torch.load defaults to weights_only=True from torch 2.6",
    });
  });

  it("unpinned: reported", () => {
    expect(decideVersionGate(requirements("torch\n"), gate)).toEqual({
      safe: false,
      reason:
        "Torch has no version constraint in requirements.txt:1, so versions before 2.6.0 may be installed; torch.load defaults to weights_only=True from torch 2.6.",
    });
  });

  it("older range: reported with the offending pin", () => {
    expect(decideVersionGate(requirements("torch==2.5.1\n"), gate)).toMatchObject({
      safe: false,
      reason: expect.stringContaining(
        "pinned to ==2.5.1 in requirements.txt:1, which admits versions before 2.6.0 (e.g. 2.5.1)",
      ),
    });
  });

  it("range straddling 2.6.0: reported", () => {
    expect(decideVersionGate(requirements("torch>=2.4,<2.8\n"), gate)).toMatchObject({
      safe: false,
      reason: expect.stringContaining("which admits versions before 2.6.0 (e.g. 2.4.0)"),
    });
  });

  it("a lock file decides over a loose manifest", () => {
    const pins = readDependencyPins([
      { path: "pyproject.toml", text: '[project]\ndependencies = ["torch>=2.0"]\n' },
      { path: "uv.lock", text: 'version = 1\n[[package]]\nname = "torch"\nversion = "2.6.0"\n' },
    ]);
    expect(decideVersionGate(pins, gate)).toMatchObject({
      safe: true,
      reason: expect.stringContaining("locked to 2.6.0 in uv.lock:4"),
    });
  });
});

describe("numpy.load defaults to allow_pickle=False from 1.16.3", () => {
  const gate = gateOf("np}.load", "1.16.3");

  it("pinned at or above: safe", () => {
    expect(decideVersionGate(requirements("numpy>=1.26\n"), gate).safe).toBe(true);
  });
  it("unpinned: not reported (old numpy is too rare to flag every np.load)", () => {
    expect(decideVersionGate(requirements("scipy\n"), gate)).toEqual({
      safe: true,
      reason: "numpy is not pinned; numpy.load defaults to allow_pickle=False from numpy 1.16.3",
    });
  });
  it("older: reported", () => {
    expect(decideVersionGate(requirements("numpy==1.16.2\n"), gate)).toMatchObject({
      safe: false,
      reason: expect.stringContaining("allow_pickle=False from numpy 1.16.3"),
    });
  });
  it("straddling 1.16.3: reported", () => {
    expect(decideVersionGate(requirements("numpy>=1.16,<1.17\n"), gate).safe).toBe(false);
  });
});

describe("bare yaml.load raises TypeError from PyYAML 6.0", () => {
  const gate = gateOf("yaml.load", "6.0.0");

  it("pinned >=6: safe", () => {
    expect(decideVersionGate(requirements("PyYAML>=6.0\n"), gate)).toMatchObject({
      safe: true,
      reason: expect.stringContaining("pinned to >=6.0 in requirements.txt:1"),
    });
  });
  it("unpinned: reported", () => {
    expect(decideVersionGate(requirements("pyyaml\n"), gate).safe).toBe(false);
  });
  it("5.x: reported even though FullLoader is patched there", () => {
    expect(decideVersionGate(requirements("pyyaml==5.4.1\n"), gate)).toMatchObject({
      safe: false,
      reason: expect.stringContaining("which admits versions before 6.0.0 (e.g. 5.4.1)"),
    });
  });
  it("straddling 6.0: reported", () => {
    expect(decideVersionGate(requirements("pyyaml>=5.4,<7\n"), gate).safe).toBe(false);
  });
});

describe("FullLoader exploitable before PyYAML 5.4 (CVE-2020-14343)", () => {
  const gate = gateOf("yaml.full_load", "5.4.0");

  it("pinned >=5.4: safe", () => {
    expect(decideVersionGate(requirements("pyyaml~=5.4\n"), gate).safe).toBe(true);
  });
  it("unpinned: reported", () => {
    expect(decideVersionGate(requirements("requests\n"), gate).safe).toBe(false);
  });
  it("5.3.1: reported with the CVE", () => {
    expect(decideVersionGate(requirements("pyyaml==5.3.1\n"), gate)).toMatchObject({
      safe: false,
      reason: expect.stringContaining("CVE-2020-14343"),
    });
  });
  it("straddling 5.4: reported", () => {
    expect(decideVersionGate(requirements("pyyaml>=5.1\n"), gate).safe).toBe(false);
  });
});
