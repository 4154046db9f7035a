// SARIF 2.1.0 for GitHub code scanning and other SARIF viewers. Follows GitHub's documented subset:
// rules carry `security-severity` and `precision` so alerts get security severities, results carry
// `partialFingerprints` so alerts survive line shifts, paths are relative to %SRCROOT% (the repository).
import { pathToFileURL } from "node:url";
import type { Diagnostic, Finding, Location, Severity, Span } from "../engine/index.js";
import { KNOWN_RULE_IDS, type RuleMetadata, ruleMetadataFor } from "./rule-metadata.js";
import {
  compareFindings,
  exitStatus,
  notAnalysed,
  type ScanReport,
  TOOL_INFORMATION_URI,
  TOOL_NAME,
} from "./scan-report.js";

export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";
export const FINGERPRINT_KEY = "rceGuard/v1";
const SRCROOT = "%SRCROOT%";
/**
 * `runs[].automationDetails.id` is `category/run-id`; code scanning keeps one analysis per category, so a
 * `--diff` scan (changed lines only) and a full scan get different categories and never replace each other.
 */
export const AUTOMATION_CATEGORY = { diff: "rce-guard/diff/", full: "rce-guard/full/" } as const;

/** GitHub maps > 9.0 to critical, 7.0–8.9 to high, 4.0–6.9 to medium, below to low. */
export const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "3.0",
  info: "0.0",
};

type SarifLevel = "error" | "warning" | "note";

export function sarifLevel(severity: Severity): SarifLevel {
  if (severity === "critical" || severity === "high") return "error";
  return severity === "medium" ? "warning" : "note";
}

interface SarifRegion {
  startLine: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
}

interface SarifPhysicalLocation {
  artifactLocation: { uri: string; uriBaseId: string };
  region?: SarifRegion;
}

interface SarifLocation {
  id?: number;
  physicalLocation: SarifPhysicalLocation;
  message?: { text: string };
  /** A notebook's cell and the span within it (see `physical`). */
  properties?: Record<string, number>;
}

interface SarifReportingDescriptor {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  helpUri: string;
  defaultConfiguration: { level: SarifLevel };
  properties: {
    tags: string[];
    precision: string;
    "security-severity": string;
    problem: { severity: string };
  };
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations: SarifLocation[];
  partialFingerprints: Record<string, string>;
  codeFlows?: { threadFlows: { locations: { location: SarifLocation }[] }[] }[];
  relatedLocations?: (SarifLocation & { id: number; message: { text: string } })[];
  suppressions?: { kind: "inSource"; status: "accepted"; justification: string; location?: SarifLocation }[];
  fixes?: {
    description: { text: string };
    artifactChanges: {
      artifactLocation: { uri: string; uriBaseId: string };
      replacements: { deletedRegion: SarifRegion; insertedContent: { text: string } }[];
    }[];
  }[];
  properties: Record<string, unknown>;
}

export interface SarifLog {
  $schema: string;
  version: "2.1.0";
  runs: {
    tool: {
      driver: {
        name: string;
        informationUri: string;
        semanticVersion: string;
        version: string;
        rules: SarifReportingDescriptor[];
      };
    };
    automationDetails: { id: string; description?: { text: string } };
    originalUriBaseIds: Record<string, { uri?: string; description: { text: string } }>;
    versionControlProvenance?: {
      repositoryUri: string;
      revisionId?: string;
      branch?: string;
      mappedTo: { uriBaseId: string };
    }[];
    columnKind: "utf16CodeUnits";
    results: SarifResult[];
    invocations: {
      executionSuccessful: boolean;
      exitCode: number;
      toolExecutionNotifications: SarifNotification[];
    }[];
    properties?: Record<string, unknown>;
  }[];
}

interface SarifNotification {
  level: SarifLevel;
  message: { text: string };
  locations?: SarifLocation[];
  /** Set on files not fully analysed: `not-analysed` or `partly-analysed`. */
  descriptor?: { id: string };
  properties?: { incomplete: "file" | "part" };
}

/** Notification descriptor ids for files not fully analysed, by extent. */
export const INCOMPLETE_NOTIFICATION_IDS = { file: "not-analysed", part: "partly-analysed" } as const;

export function toSarif(report: ScanReport): SarifLog {
  const reported = [...report.result.findings].sort(compareFindings);
  const suppressed = [...report.result.suppressed].sort(compareFindings);
  // Every known rule is listed, so a rule's index stays the same whether or not it fired in this run.
  const ruleIds = [...KNOWN_RULE_IDS];
  for (const finding of [...reported, ...suppressed]) {
    if (!ruleIds.includes(finding.ruleId)) ruleIds.push(finding.ruleId);
  }
  const rules = ruleIds.map((id) => toReportingDescriptor(ruleMetadataFor(id)));
  const results = [
    ...reported.map((finding) => toResult(finding, ruleIds.indexOf(finding.ruleId))),
    ...suppressed.map((finding) => toResult(finding, ruleIds.indexOf(finding.ruleId))),
  ];
  return {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            informationUri: TOOL_INFORMATION_URI,
            semanticVersion: report.toolVersion,
            version: report.toolVersion,
            rules,
          },
        },
        automationDetails: automationDetails(report),
        originalUriBaseIds: {
          [SRCROOT]: {
            ...(report.checkout?.root ? { uri: directoryUri(report.checkout.root) } : {}),
            description: { text: "The scan root (the git work tree): every result path is relative to it." },
          },
        },
        ...versionControlProvenance(report),
        columnKind: "utf16CodeUnits",
        results,
        invocations: [
          {
            // A file not fully analysed or an internal error means the run did not do all it should:
            // a viewer must not read the empty results as a clean bill.
            executionSuccessful:
              notAnalysed(report).length === 0 &&
              !report.result.diagnostics.some((diagnostic) => diagnostic.severity === "error"),
            exitCode: exitStatus(report),
            toolExecutionNotifications: report.result.diagnostics.map(toNotification),
          },
        ],
        ...(report.diff
          ? { properties: { diffBase: report.diff.base, mergeBase: report.diff.mergeBase } }
          : {}),
      },
    ],
  };
}

function automationDetails(report: ScanReport): SarifLog["runs"][number]["automationDetails"] {
  if (report.diff) {
    return {
      id: `${AUTOMATION_CATEGORY.diff}${report.diff.mergeBase}`,
      description: { text: `Lines changed since the merge base with ${report.diff.base}` },
    };
  }
  return {
    id: `${AUTOMATION_CATEGORY.full}${report.checkout?.revisionId ?? ""}`,
    description: { text: "Every file under the scan root" },
  };
}

/** Only when the repository URL is known: the schema requires it, and a guess would mislead. */
function versionControlProvenance(
  report: ScanReport,
): Pick<SarifLog["runs"][number], "versionControlProvenance"> {
  const checkout = report.checkout;
  if (!checkout?.repositoryUri) return {};
  return {
    versionControlProvenance: [
      {
        repositoryUri: checkout.repositoryUri,
        ...(checkout.revisionId ? { revisionId: checkout.revisionId } : {}),
        ...(checkout.branch ? { branch: checkout.branch } : {}),
        mappedTo: { uriBaseId: SRCROOT },
      },
    ],
  };
}

/** A base URI must be absolute and end with a slash, or relative URIs resolve against its parent. */
function directoryUri(root: string): string {
  const uri = pathToFileURL(root).href;
  return uri.endsWith("/") ? uri : `${uri}/`;
}

export function renderSarif(report: ScanReport): string {
  return `${JSON.stringify(toSarif(report), null, 2)}\n`;
}

function toReportingDescriptor(rule: RuleMetadata): SarifReportingDescriptor {
  const cweLinks = rule.cwe.map((cwe) => `[CWE-${cwe}](https://cwe.mitre.org/data/definitions/${cwe}.html)`);
  const markdown = [
    `**${rule.shortDescription}**`,
    "",
    rule.fullDescription,
    "",
    ...(cweLinks.length > 0 ? [`References: ${cweLinks.join(", ")}`, ""] : []),
    `See the [rule documentation](${rule.helpUri}) for examples and safer alternatives.`,
  ].join("\n");
  return {
    id: rule.id,
    name: rule.name,
    shortDescription: { text: rule.shortDescription },
    fullDescription: { text: rule.fullDescription },
    help: { text: `${rule.fullDescription}\n\nDocumentation: ${rule.helpUri}`, markdown },
    helpUri: rule.helpUri,
    defaultConfiguration: { level: sarifLevel(rule.defaultSeverity) },
    properties: {
      tags: rule.tags,
      precision: rule.precision,
      "security-severity": SECURITY_SEVERITY[rule.defaultSeverity],
      problem: {
        severity:
          sarifLevel(rule.defaultSeverity) === "note" ? "recommendation" : sarifLevel(rule.defaultSeverity),
      },
    },
  };
}

function toResult(finding: Finding, ruleIndex: number): SarifResult {
  const result: SarifResult = {
    ruleId: finding.ruleId,
    ruleIndex,
    level: sarifLevel(finding.severity),
    message: { text: `${finding.message}\n\n${finding.remediation}`.trim() },
    locations: [physical(finding.location)],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
    properties: {
      severity: finding.severity,
      confidence: finding.confidence,
      provenance: finding.provenance,
      "security-severity": SECURITY_SEVERITY[finding.severity],
      cwe: finding.cwe.map((cwe) => `CWE-${cwe}`),
    },
  };
  if (finding.trace.length > 0) {
    // Each step also as a related location: GitHub lists them with the alert, ids number them.
    result.relatedLocations = finding.trace.map((step, index) => ({
      id: index + 1,
      ...physical(step.location),
      message: { text: step.note || `step ${index + 1} of the trace` },
    }));
    result.codeFlows = [
      {
        threadFlows: [
          { locations: finding.trace.map((step) => ({ location: physical(step.location, step.note) })) },
        ],
      },
    ];
  }
  if (finding.suppression) {
    result.suppressions = [
      {
        kind: "inSource",
        status: "accepted",
        justification: finding.suppression.reason,
        location: physical(finding.suppression.location),
      },
    ];
  }
  if (finding.fix && finding.fix.edits.length > 0) {
    result.fixes = [
      {
        description: { text: `${finding.fix.description} (${finding.fix.safety} fix)` },
        artifactChanges: [
          {
            artifactLocation: artifact(finding.location.path),
            replacements: finding.fix.edits.map((edit) => ({
              deletedRegion: region(edit.span),
              insertedContent: { text: edit.replacement },
            })),
          },
        ],
      },
    ];
  }
  return result;
}

function toNotification(diagnostic: Diagnostic): SarifNotification {
  const notification: SarifNotification = {
    level: diagnostic.severity,
    message: { text: diagnostic.path ? `${diagnostic.path}: ${diagnostic.message}` : diagnostic.message },
    ...(diagnostic.incomplete
      ? {
          descriptor: { id: INCOMPLETE_NOTIFICATION_IDS[diagnostic.incomplete] },
          properties: { incomplete: diagnostic.incomplete },
        }
      : {}),
  };
  if (!diagnostic.path) return notification;
  const location: SarifLocation = {
    physicalLocation: {
      artifactLocation: artifact(diagnostic.path),
      ...(diagnostic.line ? { region: { startLine: diagnostic.line } } : {}),
    },
  };
  return { ...notification, locations: [location] };
}

/**
 * A notebook's location is the line of the .ipynb (its JSON) that holds the code: the file code scanning
 * shows. The cell and its line, which a notebook editor shows, are in the message and the properties.
 */
function physical(location: Location, note?: string): SarifLocation {
  const { cell } = location;
  const text = cell ? `${note ? `${note} ` : ""}(cell ${cell.cell}, line ${cell.startLine})` : note;
  return {
    physicalLocation: { artifactLocation: artifact(location.path), region: region(location) },
    ...(text ? { message: { text } } : {}),
    ...(cell
      ? {
          properties: {
            cell: cell.cell,
            cellStartLine: cell.startLine,
            cellStartColumn: cell.startColumn,
            cellEndLine: cell.endLine,
            cellEndColumn: cell.endColumn,
          },
        }
      : {}),
  };
}

function artifact(path: string): { uri: string; uriBaseId: string } {
  return { uri: path.split("/").map(encodeURIComponent).join("/"), uriBaseId: SRCROOT };
}

/** Our spans end on the last character; SARIF's endColumn is the column just past it. */
function region(span: Span): SarifRegion {
  return {
    startLine: span.startLine,
    startColumn: span.startColumn,
    endLine: span.endLine,
    endColumn: span.endColumn + 1,
  };
}
