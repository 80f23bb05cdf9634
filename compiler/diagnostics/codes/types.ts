/** How bad a diagnostic is: an error stops the build, a warning does not. */
export type Severity = 'error' | 'warning';

/** One documented diagnostic code. docs/diagnostics.md is checked against these tables. */
export interface CodeInfo {
  readonly code: string;
  readonly severity: Severity;
  /** Short title for the docs table. */
  readonly title: string;
  /** A minimal example input (YAML or expression) that triggers it, for the docs. */
  readonly example: string;
}
