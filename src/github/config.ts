// Configuration as the App sees it: `.github/rce-guard.yml` from the repository's default branch, over
// the organisation-wide defaults in the owner's `.github` repository, over the built-in defaults. The
// pull request's own copy is never applied (a PR must not be able to weaken its own review).
import { CONFIG_PATH, type Config, type ConfigProblem, DEFAULT_CONFIG, parseConfig } from "../config.js";
import type { ExtraSelection } from "./contents.js";

export type ConfigSource = "organisation" | "repository" | "pull request (not applied)";

export interface SourcedProblem extends ConfigProblem {
  source: ConfigSource;
  file: string;
}

export interface LoadedConfig {
  config: Config;
  problems: SourcedProblem[];
  /** Which layers exist, in the order they were applied over the defaults. */
  layers: { source: ConfigSource; file: string }[];
}

export interface ConfigTexts {
  organisation?: string | undefined;
  repository?: string | undefined;
}

/** `knownRules`: the rule ids that exist; settings for other ids are problems. */
export function layerConfig(
  texts: ConfigTexts,
  owner: string,
  repo: string,
  knownRules?: readonly string[],
): LoadedConfig {
  const problems: SourcedProblem[] = [];
  const layers: LoadedConfig["layers"] = [];
  let config: Config = parseConfig("", DEFAULT_CONFIG).config;
  const apply = (source: ConfigSource, file: string, text: string | undefined) => {
    if (text === undefined) return;
    const parsed = parseConfig(text, config, knownRules ? { knownRules } : {});
    config = parsed.config;
    layers.push({ source, file });
    for (const p of parsed.problems) problems.push({ ...p, source, file });
  };
  // In the `.github` repository itself both layers are the same file.
  if (repo !== ".github") apply("organisation", `${owner}/.github:${CONFIG_PATH}`, texts.organisation);
  apply("repository", `${owner}/${repo}:${CONFIG_PATH}`, texts.repository);
  return { config, problems, layers };
}

/**
 * Validation of the PR's edited config, shown as a preview; it takes effect after merge. Only ever adds
 * notes: whatever the file holds, this returns problems and never throws.
 */
export function previewProblems(
  text: string,
  owner: string,
  repo: string,
  knownRules?: readonly string[],
): SourcedProblem[] {
  const sourced = (p: ConfigProblem): SourcedProblem => ({
    ...p,
    source: "pull request (not applied)" as const,
    file: `${owner}/${repo}:${CONFIG_PATH}`,
  });
  try {
    return parseConfig(text, DEFAULT_CONFIG, knownRules ? { knownRules } : {}).problems.map(sourced);
  } catch (error) {
    return [sourced({ path: "", message: `could not be read: ${String(error).slice(0, 200)}` })];
  }
}

/** GraphQL selections reading both config layers (and the PR's copy) within the first contents query. */
export function configSelection(defaultBranch: string, headSha: string): ExtraSelection {
  return {
    inRepository: `repoConfig: object(expression: $repoConfigExpr) { ... on Blob { text } }
    headConfig: object(expression: $headConfigExpr) { ... on Blob { text } }`,
    topLevel: `orgConfigRepo: repository(owner: $owner, name: ".github") {
    object(expression: $orgConfigExpr) { ... on Blob { text } }
  }`,
    declarations: ["$repoConfigExpr: String!", "$headConfigExpr: String!", "$orgConfigExpr: String!"],
    variables: {
      repoConfigExpr: `${defaultBranch}:${CONFIG_PATH}`,
      headConfigExpr: `${headSha}:${CONFIG_PATH}`,
      orgConfigExpr: `HEAD:${CONFIG_PATH}`,
    },
    optionalRoots: ["orgConfigRepo"],
  };
}

export function readConfigTexts(
  data: Record<string, unknown>,
): ConfigTexts & { pullRequest?: string | undefined } {
  const text = (node: unknown): string | undefined => {
    const t = (node as { text?: unknown } | null | undefined)?.text;
    return typeof t === "string" ? t : undefined;
  };
  const repository = (data.repository ?? {}) as Record<string, unknown>;
  const org = data.orgConfigRepo as { object?: unknown } | null | undefined;
  return {
    organisation: text(org?.object),
    repository: text(repository.repoConfig),
    pullRequest: text(repository.headConfig),
  };
}
