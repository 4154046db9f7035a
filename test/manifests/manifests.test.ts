import { describe, expect, it } from "vitest";
import { normalizePackageName } from "../../src/engine/dependencies/pins.js";
import { manifestKind } from "../../src/engine/file-policy.js";
import { poetryToSemverRange, readDependencyPins } from "../../src/manifests/index.js";
import { pep440Satisfies } from "../../src/engine/dependencies/pep440.js";

function pinsOf(files: Record<string, string>) {
  return readDependencyPins(Object.entries(files).map(([path, text]) => ({ path, text })));
}

function pkg(files: Record<string, string>, name: string) {
  const found = pinsOf(files).packages.get(name);
  if (!found) throw new Error(`${name} not read`);
  return found;
}

describe("normalizePackageName", () => {
  it.each([
    ["PyYAML", "pyyaml"],
    ["langchain_experimental", "langchain-experimental"],
    ["Foo.._-Bar", "foo-bar"],
    ["llama-index", "llama-index"],
  ])("%s -> %s", (name, normalized) => expect(normalizePackageName(name)).toBe(normalized));
});

describe("manifestKind", () => {
  it.each([
    ["requirements.txt", "requirements"],
    ["svc/requirements-dev.txt", "requirements"],
    ["dev-requirements.txt", "requirements"],
    ["requirements/base.txt", "requirements"],
    ["requirements.in", "requirements"],
    ["pyproject.toml", "pyproject"],
    ["api/Pipfile", "pipfile"],
    ["setup.cfg", "setup.cfg"],
    ["uv.lock", "uv.lock"],
    ["poetry.lock", "poetry.lock"],
    ["notes.txt", null],
    ["Pipfile.lock", null],
    ["app.py", null],
  ])("%s -> %s", (path, kind) => expect(manifestKind(path)).toBe(kind));
});

describe("requirements files", () => {
  const requirements = [
    "# comment line", //                                          1
    "torch>=2.6,<3  # trailing comment", //                       2
    'PyYAML[extra] == 5.3.1 ; python_version < "3.8" \\', //   3
    "    --hash=sha256:0123abcd", //                              4
    "-e git+https://github.com/org/repo.git#egg=repo", //          5
    "https://example.com/pkg-1.0-py3-none-any.whl", //            6
    "./local/package", //                                         7
    "direct @ https://example.com/direct.tar.gz", //              8
    "numpy", //                                                   9
    "broken>=", //                                                10
    "--index-url https://example.com/simple", //                  11
    "-r base.txt", //                                             12
    "Django (>=4.2)", //                                          13
  ].join("\r\n");

  const pins = pinsOf({
    "svc/requirements.txt": requirements,
    "svc/base.txt": "langchain_experimental==0.0.14\n",
  });

  it("reads a pinned requirement with its line, span and range", () => {
    const [torch] = pins.packages.get("torch")?.declared ?? [];
    expect(torch).toMatchObject({
      path: "svc/requirements.txt",
      line: 2,
      specifier: ">=2.6,<3",
      head: "torch",
      range: ">=2.6.0 <3.0.0-0",
      span: { startLine: 2, startColumn: 1, endLine: 2, endColumn: 13 },
      rewritable: true,
      marker: null,
    });
  });

  it("keeps extras in the head, reads the marker, and strips per-requirement hashes across a continuation", () => {
    const [yaml] = pins.packages.get("pyyaml")?.declared ?? [];
    expect(yaml).toMatchObject({
      line: 3,
      head: "PyYAML[extra]",
      specifier: "== 5.3.1",
      range: "5.3.1",
      marker: 'python_version < "3.8"',
      span: { startLine: 3, startColumn: 1, endColumn: 22 },
    });
  });

  it("reads an unpinned requirement as admitting any version", () => {
    expect(pins.packages.get("numpy")).toMatchObject({ range: "*", declared: [{ line: 9, specifier: "" }] });
  });

  it("reads parenthesised PEP 508 specifiers", () => {
    expect(pins.packages.get("django")?.range).toBe(">=4.2.0");
  });

  it("follows -r includes relative to the including file", () => {
    expect(pins.packages.get("langchain-experimental")).toMatchObject({
      range: "0.0.14",
      declared: [{ path: "svc/base.txt", line: 1 }],
    });
  });

  it("skips editable installs, URLs, paths and direct references", () => {
    expect([...pins.packages.keys()].sort()).toEqual([
      "broken",
      "django",
      "langchain-experimental",
      "numpy",
      "pyyaml",
      "torch",
    ]);
  });

  it("reports the unparseable line and treats it as unpinned", () => {
    const file = pins.files.find((f) => f.path === "svc/requirements.txt");
    expect(file?.diagnostics).toEqual([
      {
        path: "svc/requirements.txt",
        severity: "warning",
        line: 10,
        message: expect.stringContaining("broken"),
      },
    ]);
    expect(pins.packages.get("broken")?.range).toBe("*");
  });

  it("notes an include that is not in the scanned set", () => {
    const result = pinsOf({ "requirements.txt": "numpy\n-c constraints/prod.txt\n" });
    expect(result.files[0]?.diagnostics).toEqual([
      {
        path: "requirements.txt",
        severity: "note",
        line: 2,
        message: expect.stringContaining("constraints/prod.txt"),
      },
    ]);
  });

  it("reads an included file only once even when includes form a cycle", () => {
    const result = pinsOf({
      "requirements.txt": "-r requirements-dev.txt\ntorch\n",
      "requirements-dev.txt": "-r requirements.txt\ntorch>=2.6\n",
    });
    expect(result.packages.get("torch")?.declared).toHaveLength(2);
  });
});

describe("pyproject.toml", () => {
  const pyproject = [
    "[project]", //                                    1
    'name = "svc"', //                                 2
    "dependencies = [", //                             3
    '  "torch>=2.0",', //                              4
    "  'numpy>=1.20; python_version >= \"3.9\"',", //  5
    "]", //                                            6
    "", //                                             7
    "[project.optional-dependencies]", //              8
    'yaml = ["pyyaml>=6"]', //                         9
    'dev = ["torch>=2.0", "pytest"]', //               10
    "", //                                             11
    "[dependency-groups]", //                          12
    'lint = ["ruff>=0.5"]', //                         13
    "", //                                             14
    "[tool.poetry.dependencies]", //                   15
    'python = "^3.10"', //                             16
    'vllm = "^0.8.1"', //                              17
    'bentoml = { version = "~1.4.2", extras = ["io"] }', // 18
    "llama-index = [", //                              19
    '  { version = "<0.9", python = "<3.9" },', //     20
    '  { version = ">=0.10", python = ">=3.9" },', //  21
    "]", //                                            22
    'mylib = { path = "../mylib" }', //                23
    "", //                                             24
    "[tool.poetry.group.dev.dependencies]", //         25
    'langchain = "0.0.300"', //                        26
  ].join("\n");
  const pins = pinsOf({ "pyproject.toml": pyproject });

  it("reads PEP 621 dependencies with their lines", () => {
    expect(pins.packages.get("torch")?.declared.map((c) => [c.line, c.specifier])).toEqual([
      [4, ">=2.0"],
      [10, ">=2.0"],
    ]);
    expect(pins.packages.get("torch")?.declared[0]?.span).toEqual({
      startLine: 4,
      startColumn: 4,
      endLine: 4,
      endColumn: 13,
    });
    expect(pins.packages.get("numpy")?.declared[0]).toMatchObject({
      line: 5,
      marker: 'python_version >= "3.9"',
    });
  });

  it("reads optional dependencies and dependency groups", () => {
    expect(pins.packages.get("pyyaml")?.declared[0]).toMatchObject({ line: 9, range: ">=6.0.0" });
    expect(pins.packages.get("pytest")?.declared[0]).toMatchObject({ line: 10, range: "*" });
    expect(pins.packages.get("ruff")?.declared[0]).toMatchObject({ line: 13, range: ">=0.5.0" });
  });

  it("reads Poetry caret, tilde, exact and table constraints, skipping python and path dependencies", () => {
    expect(pins.packages.get("vllm")?.declared[0]).toMatchObject({
      line: 17,
      syntax: "poetry",
      range: ">=0.8.1 <0.9.0-0",
    });
    expect(pins.packages.get("bentoml")?.declared[0]).toMatchObject({
      line: 18,
      specifier: "~1.4.2",
      range: ">=1.4.2 <1.5.0-0",
      span: { startLine: 18, startColumn: 24, endColumn: 29 },
    });
    expect(pins.packages.get("langchain")?.declared[0]).toMatchObject({ line: 26, range: "0.0.300" });
    expect(pins.packages.has("python")).toBe(false);
    expect(pins.packages.has("mylib")).toBe(false);
  });

  it("unions Poetry's per-environment alternatives instead of intersecting them", () => {
    expect(pins.packages.get("llama-index")).toMatchObject({
      range: "<0.9.0-0 || >=0.10.0",
      declared: [
        { line: 20, marker: "python <3.9" },
        { line: 21, marker: "python >=3.9" },
      ],
    });
  });

  it("reports a TOML syntax error with its line instead of throwing", () => {
    const result = pinsOf({ "pyproject.toml": '[project]\ndependencies = ["torch"\n' });
    expect(result.packages.size).toBe(0);
    expect(result.files[0]?.diagnostics[0]).toMatchObject({ severity: "error", line: expect.any(Number) });
  });
});

describe("poetryToSemverRange", () => {
  const cases: [string, string[], string[]][] = [
    ["^1.2.3", ["1.2.3", "1.9.9"], ["1.2.2", "2.0.0"]],
    ["^1.2", ["1.2.0", "1.99"], ["1.1.9", "2.0"]],
    ["^0.2.3", ["0.2.3", "0.2.9"], ["0.3.0"]],
    ["^0.0.3", ["0.0.3"], ["0.0.4"]],
    ["^0", ["0.0.1", "0.9"], ["1.0"]],
    ["~1.2.3", ["1.2.3", "1.2.9"], ["1.3.0"]],
    ["~1", ["1.0", "1.9"], ["2.0"]],
    ["1.2.3", ["1.2.3"], ["1.2.4"]],
    ["1.2.*", ["1.2.0", "1.2.9"], ["1.3.0"]],
    ["*", ["0.1", "99"], []],
    [">= 1.2, < 1.5", ["1.2", "1.4.9"], ["1.5", "1.1"]],
    [">=1.2 <1.5", ["1.3"], ["1.5"]],
    ["^1.0 || ^3.0", ["1.5", "3.1"], ["2.0", "4.0"]],
  ];
  for (const [spec, admitted, rejected] of cases) {
    it(`${spec}`, () => {
      const result = poetryToSemverRange(spec);
      if ("error" in result) throw new Error(result.error);
      for (const v of admitted)
        expect(pep440Satisfies(v, result.range), `${v} in ${result.range}`).toBe(true);
      for (const v of rejected)
        expect(pep440Satisfies(v, result.range), `${v} in ${result.range}`).toBe(false);
    });
  }
});

describe("Pipfile and setup.cfg", () => {
  it("reads Pipfile packages and dev-packages, string and table forms", () => {
    const pins = pinsOf({
      Pipfile:
        '[packages]\ntorch = "*"\npandasai = {version = "==2.4.0"}\nrepo = {git = "https://x/y.git"}\n\n[dev-packages]\n"PyYAML" = ">=5.1"\n',
    });
    expect(pins.packages.get("torch")?.declared[0]).toMatchObject({
      line: 2,
      specifier: "",
      range: "*",
      span: { startColumn: 10, endColumn: 10 },
    });
    expect(pins.packages.get("pandasai")?.declared[0]).toMatchObject({ line: 3, range: "2.4.0" });
    expect(pins.packages.get("pyyaml")?.declared[0]).toMatchObject({ line: 7, range: ">=5.1.0" });
    expect(pins.packages.has("repo")).toBe(false);
  });

  it("reads setup.cfg install_requires (dangling list) and extras_require (single line split on ;)", () => {
    const pins = pinsOf({
      "setup.cfg": [
        "[metadata]",
        "name = x",
        "[options]",
        "install_requires =",
        "    torch>=2.1",
        "    # commented out",
        '    numpy>=1.20; python_version>"3.8"',
        "python_requires = >=3.9",
        "[options.extras_require]",
        "dev = pytest; black>=23",
      ].join("\n"),
    });
    expect(pins.packages.get("torch")?.declared[0]).toMatchObject({
      line: 5,
      range: ">=2.1.0",
      span: { startColumn: 5, endColumn: 14 },
    });
    expect(pins.packages.get("numpy")?.declared[0]).toMatchObject({
      line: 7,
      marker: 'python_version>"3.8"',
    });
    expect(pins.packages.get("pytest")?.declared[0]).toMatchObject({ line: 10 });
    expect(pins.packages.get("black")?.declared[0]).toMatchObject({
      line: 10,
      range: ">=23.0.0",
      span: { startColumn: 15 },
    });
    expect(pins.packages.has("python-requires")).toBe(false);
  });
});

describe("combining manifests", () => {
  it("intersects constraints from several manifests", () => {
    const torch = pkg(
      { "requirements.txt": "torch>=2.0\n", "pyproject.toml": '[project]\ndependencies = ["torch<2.6"]\n' },
      "torch",
    );
    expect(torch.range).toBe(">=2.0.0 <2.6.0-0");
    expect(torch.declared.map((c) => c.path).sort()).toEqual(["pyproject.toml", "requirements.txt"]);
  });

  it("lets a lock file's exact version win over the manifests", () => {
    const torch = pkg(
      {
        "pyproject.toml": '[project]\ndependencies = ["torch>=2.0"]\n',
        "uv.lock":
          'version = 1\n\n[[package]]\nname = "numpy"\nversion = "2.1.0"\n\n[[package]]\nname = "torch"\nversion = "2.6.0+cpu"\nsource = { registry = "x" }\n',
      },
      "torch",
    );
    expect(torch.range).toBe("2.6.0");
    expect(torch.locked[0]).toMatchObject({
      path: "uv.lock",
      line: 9,
      specifier: "2.6.0+cpu",
      syntax: "lock",
      rewritable: false,
    });
  });

  it("reads poetry.lock and unions several locked versions of one package", () => {
    const yaml = pkg(
      {
        "poetry.lock":
          '[[package]]\nname = "PyYAML"\nversion = "5.3.1"\n\n[package.dependencies]\nx = "*"\n\n[[package]]\nname = "pyyaml"\nversion = "6.0.1"\n\n[metadata]\nlock-version = "2.0"\n',
      },
      "pyyaml",
    );
    expect(yaml.range).toBe("5.3.1 || 6.0.1");
    expect(yaml.locked.map((c) => c.line)).toEqual([3, 10]);
  });

  it("does not let a marker-conditioned pin narrow an unconditioned one", () => {
    const yaml = pkg({ "requirements.txt": 'pyyaml\npyyaml==6.0.1; python_version >= "3.12"\n' }, "pyyaml");
    expect(yaml.range).toBe("*");
  });

  it("normalises names so different spellings meet", () => {
    const pins = pinsOf({
      "requirements.txt": "Langchain_Experimental>=0.0.50\n",
      Pipfile: '[packages]\nlangchain-experimental = "<0.1"\n',
    });
    expect(pins.packages.get("langchain-experimental")?.range).toBe(">=0.0.50 <0.1.0-0");
  });

  it("ignores files that are not manifests", () => {
    expect(pinsOf({ "app.py": "import torch\n", "README.md": "torch==1.0" }).packages.size).toBe(0);
  });
});
