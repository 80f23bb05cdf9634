/**
 * Diagnostics as a SARIF 2.1.0 log (OASIS Static Analysis Results Interchange Format), the
 * format GitHub code scanning reads: `mapc validate|build|check -f sarif`.
 *
 * One run, tool `mapc`; its rules are the codes of the diagnostics table (CODES) that the
 * results use, each with the table's title, severity and example as help. Results are sorted
 * and capped like the text output (MAX_DIAGNOSTICS); when some are left out, the run says so in
 * a tool notification. Locations are relative to the working folder under `%SRCROOT%` (GitHub
 * resolves them against the repository root, so run mapc from there); columns count UTF-16
 * code units, 1-based, end exclusive — mapc's own columns. A diagnostic about the whole project
 * (no file) is reported at the project file, without a region, when the caller names it (code
 * scanning drops results without a location). Same diagnostics, same bytes.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { lineCol, type Span } from '../source';
import { CODES, type Code } from './codes/index';
import type { Diagnostic } from './diagnostic';
import { capDiagnostics } from './format';

/** The SARIF version and the schema a log names (the OASIS standard's, errata 01). */
export const SARIF_VERSION = '2.1.0';
export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

export interface SarifOptions {
  /** mapc's version, for `tool.driver.version`. */
  readonly version: string;
  /**
   * Where a diagnostic without a location is reported (the project's mapc.yaml, relative to
   * the working folder): code scanning shows only results with a location.
   */
  readonly fallbackFile?: string;
}

interface ArtifactLocation {
  readonly uri: string;
  readonly uriBaseId?: string;
}

/** A relative path as a URI reference under %SRCROOT%; an absolute one (or one leaving the folder) as a file: URI. */
function artifact(file: string): ArtifactLocation {
  const rel = file.split(path.sep).join('/');
  if (path.isAbsolute(file) || rel === '..' || rel.startsWith('../')) return { uri: pathToFileURL(path.resolve(file)).href };
  return { uri: rel.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

function physical(s: Span): { artifactLocation: ArtifactLocation; region: Record<string, number> } {
  const a = lineCol(s.file, s.start);
  const b = lineCol(s.file, s.end);
  return {
    artifactLocation: artifact(s.file.path),
    region: { startLine: a.line, startColumn: a.column, endLine: b.line, endColumn: b.line === a.line ? Math.max(b.column, a.column + 1) : b.column },
  };
}

/** A rule of the diagnostics table: title, default level, and the example as help. */
function rule(code: Code) {
  const info = CODES[code];
  const example = info.example.trim();
  const text = example === '' ? `${info.title}. See docs/diagnostics.md (${code}).` : `${info.title}. For example:\n${example}\nSee docs/diagnostics.md (${code}).`;
  const markdown =
    example === ''
      ? `**${code}**: ${info.title}. See \`docs/diagnostics.md\` (${code}).`
      : `**${code}**: ${info.title}.\n\nFor example:\n\n\`\`\`yaml\n${example}\n\`\`\`\n\nSee \`docs/diagnostics.md\` (${code}).`;
  return {
    id: code,
    shortDescription: { text: info.title },
    fullDescription: { text: info.title },
    // mapc's severities are SARIF levels as they are.
    defaultConfiguration: { level: info.severity },
    help: { text, markdown },
    properties: { tags: ['mapc'] },
  };
}

/** The SARIF log object (see the module comment). */
export function toSarif(diags: readonly Diagnostic[], opts: SarifOptions): Record<string, unknown> {
  const { shown, hidden } = capDiagnostics(diags);
  const codes = [...new Set(shown.map((d) => d.code))].sort();
  const index = new Map(codes.map((c, i) => [c, i]));
  const results = shown.map((d) => {
    const text = d.hint ? `${d.message}\nhint: ${d.hint}` : d.message;
    return {
      ruleId: d.code,
      ruleIndex: index.get(d.code)!,
      level: d.severity,
      message: { text },
      ...(d.span
        ? { locations: [{ physicalLocation: physical(d.span) }] }
        : opts.fallbackFile !== undefined
          ? { locations: [{ physicalLocation: { artifactLocation: artifact(opts.fallbackFile) } }] }
          : {}),
      ...(d.related && d.related.length > 0
        ? { relatedLocations: d.related.map((r, i) => ({ id: i, physicalLocation: physical(r.span), message: { text: r.message } })) }
        : {}),
    };
  });
  return {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [
      {
        tool: {
          driver: {
            name: 'mapc',
            version: opts.version,
            semanticVersion: opts.version,
            rules: codes.map(rule),
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
        invocations: [
          {
            executionSuccessful: true,
            ...(hidden > 0
              ? { toolExecutionNotifications: [{ level: 'note', message: { text: `${hidden} more diagnostic(s) not shown (at most ${shown.length} are reported)` } }] }
              : {}),
          },
        ],
      },
    ],
  };
}

/** `toSarif` as indented JSON. */
export function formatSarif(diags: readonly Diagnostic[], opts: SarifOptions): string {
  return JSON.stringify(toSarif(diags, opts), null, 2);
}
