import { describe, expect, it } from "vitest";
import { readDependencyPins } from "../../src/engine/dependencies/manifests.js";
import {
  numpyLoadDisallowsPickleByDefault,
  onlyAdmitsAtLeast,
  torchLoadDefaultsToWeightsOnly,
  yamlFullLoaderIsPatched,
  yamlLoadRequiresLoader,
} from "../../src/engine/dependencies/versions.js";

function requirements(text: string) {
  return readDependencyPins([{ path: "requirements.txt", text }]);
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
  it("pinned at or above 2.6: decided, not reported", () => {
    expect(torchLoadDefaultsToWeightsOnly(requirements("torch>=2.6,<3\n"))).toEqual({
      decided: true,
      reason:
        "torch is pinned to >=2.6,<3 in requirements.txt:1, where torch.load defaults to weights_only=True",
    });
  });

  it("unpinned: not decided, reported", () => {
    expect(torchLoadDefaultsToWeightsOnly(requirements("torch\n"))).toEqual({
      decided: false,
      reason:
        "torch has no version constraint in requirements.txt:1, so versions before 2.6.0 may be installed, where torch.load defaults to weights_only=False and unpickles arbitrary objects",
    });
  });

  it("older range: reported with the offending pin", () => {
    expect(torchLoadDefaultsToWeightsOnly(requirements("torch==2.5.1\n"))).toEqual({
      decided: false,
      reason:
        "torch is pinned to ==2.5.1 in requirements.txt:1, which admits versions before 2.6.0 (e.g. 2.5.1), where torch.load defaults to weights_only=False and unpickles arbitrary objects",
    });
  });

  it("range straddling 2.6.0: reported", () => {
    expect(torchLoadDefaultsToWeightsOnly(requirements("torch>=2.4,<2.8\n"))).toMatchObject({
      decided: false,
      reason: expect.stringContaining("which admits versions before 2.6.0 (e.g. 2.4.0)"),
    });
  });

  it("a lock file decides over a loose manifest", () => {
    const pins = readDependencyPins([
      { path: "pyproject.toml", text: '[project]\ndependencies = ["torch>=2.0"]\n' },
      { path: "uv.lock", text: 'version = 1\n[[package]]\nname = "torch"\nversion = "2.6.0"\n' },
    ]);
    expect(torchLoadDefaultsToWeightsOnly(pins)).toEqual({
      decided: true,
      reason: "torch is locked to 2.6.0 in uv.lock:4, where torch.load defaults to weights_only=True",
    });
  });
});

describe("numpy.load defaults to allow_pickle=False from 1.16.3", () => {
  it("pinned at or above: decided", () => {
    expect(numpyLoadDisallowsPickleByDefault(requirements("numpy>=1.26\n"))).toMatchObject({
      decided: true,
      reason: expect.stringContaining("numpy.load defaults to allow_pickle=False"),
    });
  });
  it("unpinned: reported", () => {
    expect(numpyLoadDisallowsPickleByDefault(requirements("scipy\n")).decided).toBe(false);
  });
  it("older: reported", () => {
    expect(numpyLoadDisallowsPickleByDefault(requirements("numpy==1.16.2\n"))).toMatchObject({
      decided: false,
      reason: expect.stringContaining("allow_pickle=True"),
    });
  });
  it("straddling 1.16.3: reported", () => {
    expect(numpyLoadDisallowsPickleByDefault(requirements("numpy>=1.16,<1.17\n")).decided).toBe(false);
  });
});

describe("bare yaml.load raises TypeError from PyYAML 6.0", () => {
  it("pinned >=6: decided", () => {
    expect(yamlLoadRequiresLoader(requirements("PyYAML>=6.0\n"))).toEqual({
      decided: true,
      reason:
        "pyyaml is pinned to >=6.0 in requirements.txt:1, where yaml.load without a Loader raises TypeError",
    });
  });
  it("unpinned: reported", () => {
    expect(yamlLoadRequiresLoader(requirements("pyyaml\n")).decided).toBe(false);
  });
  it("5.x: reported even though FullLoader is patched there", () => {
    expect(yamlLoadRequiresLoader(requirements("pyyaml==5.4.1\n"))).toMatchObject({
      decided: false,
      reason: expect.stringContaining("which admits versions before 6.0 (e.g. 5.4.1)"),
    });
  });
  it("straddling 6.0: reported", () => {
    expect(yamlLoadRequiresLoader(requirements("pyyaml>=5.4,<7\n")).decided).toBe(false);
  });
});

describe("FullLoader exploitable before PyYAML 5.4 (CVE-2020-14343)", () => {
  it("pinned >=5.4: decided", () => {
    expect(yamlFullLoaderIsPatched(requirements("pyyaml~=5.4\n")).decided).toBe(true);
  });
  it("unpinned: reported", () => {
    expect(yamlFullLoaderIsPatched(requirements("requests\n")).decided).toBe(false);
  });
  it("5.3.1: reported with the CVE", () => {
    expect(yamlFullLoaderIsPatched(requirements("pyyaml==5.3.1\n"))).toMatchObject({
      decided: false,
      reason: expect.stringContaining("CVE-2020-14343"),
    });
  });
  it("straddling 5.4: reported", () => {
    expect(yamlFullLoaderIsPatched(requirements("pyyaml>=5.1\n")).decided).toBe(false);
  });
});
