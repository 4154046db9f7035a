// The Dockerfile's dependency install (`npm ci --omit=dev` with npm_config_nodedir) run here the way the
// image runs it: tree-sitter, tree-sitter-python and the tree export compile with node-gyp's cache empty
// and its download address unreachable, so any attempt to fetch Node's headers fails the build. Controls:
// an empty nodedir fails the build (node-gyp uses what it is given), and, on official Node builds, no
// nodedir fails it too (the download really is cut off). Needs the npm
// registry (or npm's cache) and a C toolchain; RCE_GUARD_SKIP_INSTALL_TEST=1 skips it like the install tests.
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, sep } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../cli/run-cli.js";

const run = promisify(execFile);
const skip = Boolean(process.env.RCE_GUARD_SKIP_INSTALL_TEST);
/** Where this Node's headers are, as /usr/local is for the image's Node (include/node/node_api.h). */
const nodedir = dirname(dirname(process.execPath));

describe.skipIf(skip)("the image's native build, offline from nodejs.org", () => {
  let scratch: string;
  let project: string;
  let gypCache: string;
  let env: NodeJS.ProcessEnv;
  let install: { code: number; output: string };

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), "rce-guard-offline-gyp-"));
    project = join(scratch, "app");
    gypCache = join(scratch, "node-gyp-cache");
    mkdirSync(gypCache);
    // What the deps stage copies: the manifests and the addon's sources.
    mkdirSync(project);
    for (const file of ["package.json", "package-lock.json"])
      cpSync(join(repoRoot, file), join(project, file));
    // Not a build output this checkout may have (native/build/), which the image's context would not hold.
    const builtHere = join(repoRoot, "native", "build");
    cpSync(join(repoRoot, "native"), join(project, "native"), {
      recursive: true,
      filter: (path) => path !== builtHere && !path.startsWith(`${builtHere}${sep}`),
    });
    env = {};
    for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key)) env[key] = value;
    Object.assign(env, {
      // node-gyp's header cache, empty: nothing downloaded before can be reused.
      npm_config_devdir: gypCache,
      // Where node-gyp would download headers from: nothing listens there.
      npm_config_dist_url: "http://127.0.0.1:9",
      npm_config_nodedir: nodedir,
      RCE_GUARD_NATIVE_VERBOSE: "1",
    });
    install = await run("npm", ["ci", "--omit=dev", "--no-audit", "--no-fund", "--foreground-scripts"], {
      cwd: project,
      env,
      maxBuffer: 64 * 1024 * 1024,
    }).then(
      (done) => ({ code: 0, output: `${done.stdout}${done.stderr}` }),
      (error: { code: number; stdout: string; stderr: string }) => ({
        code: error.code,
        output: `${error.stdout}${error.stderr}`,
      }),
    );
  }, 1_200_000);

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it("this machine's Node has its headers where nodedir points", () => {
    expect(existsSync(join(nodedir, "include", "node", "node_api.h"))).toBe(true);
  });

  it("npm ci --omit=dev builds every native part, downloading nothing", () => {
    expect(install.code, install.output).toBe(0);
    // tree-sitter's prebuilt binary needs a newer libstdc++ than Debian 12 has, so it compiles there;
    // tree-sitter-python's prebuilt one loads (or it compiles too). The tree export always compiles.
    for (const addon of [
      "node_modules/tree-sitter/build/Release/tree_sitter_runtime_binding.node",
      "native/build/Release/tree_export.node",
    ]) {
      expect(existsSync(join(project, addon)), `${addon}\n${install.output}`).toBe(true);
    }
    expect(install.output).not.toMatch(/native tree export not built/);
    expect(readdirSync(gypCache)).toEqual([]);
  });

  it("the installed parser works: tree-sitter parses Python with tree-sitter-python there", async () => {
    const script =
      "const P=require('tree-sitter');const p=new P();p.setLanguage(require('tree-sitter-python'));console.log(p.parse('exec(x)\\n').rootNode.type)";
    const parsed = await run(process.execPath, ["-e", script], { cwd: project, env });
    expect(parsed.stdout.trim()).toBe("module");
  });

  it("node-gyp compiles against the nodedir it is given (an empty one fails the build)", async () => {
    const empty = join(scratch, "empty-nodedir");
    mkdirSync(empty);
    const output = await rebuildAddon({ ...env, npm_config_nodedir: empty });
    // The addon is optional, so its install reports the failure and goes on.
    expect(output).toMatch(/native tree export not built/);
    expect(output).toContain(empty);
  }, 300_000);

  // Node builds that find their own headers by prefix (distribution packages) never download them, so
  // the download cannot be shown failing there; the official builds (the image's, setup-node's) do.
  it.skipIf(Boolean((process.config.variables as Record<string, unknown>).use_prefix_to_find_headers))(
    "without nodedir, the same build tries to download the headers and fails (the network is really cut)",
    async () => {
      const { npm_config_nodedir: _nodedir, ...withoutNodedir } = env;
      // Nor from a user's .npmrc (this machine's sets one): an empty user configuration.
      const userconfig = join(scratch, "empty-npmrc");
      writeFileSync(userconfig, "");
      const output = await rebuildAddon({ ...withoutNodedir, npm_config_userconfig: userconfig });
      expect(output).toMatch(/native tree export not built/);
      expect(output).toMatch(/127\.0\.0\.1:9|ECONNREFUSED/);
    },
    300_000,
  );

  /** `npm rebuild` of the tree export, verbose; its output (the addon's install never fails the install). */
  async function rebuildAddon(withEnv: NodeJS.ProcessEnv): Promise<string> {
    return run("npm", ["rebuild", "@rce-guard/tree-export", "--foreground-scripts"], {
      cwd: project,
      env: withEnv,
      maxBuffer: 64 * 1024 * 1024,
    }).then(
      (done) => `${done.stdout}${done.stderr}`,
      (error: { stdout: string; stderr: string }) => `${error.stdout}${error.stderr}`,
    );
  }
});
