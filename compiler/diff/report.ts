/** What `mapc diff` reports: the shape every renderer (text, markdown, JSON) reads. */
import type { Change, SizeChange } from './compare';
import type { OwnerToReview } from './review';
import type { Risk } from './risk';

export interface Counts {
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
}

/** Rows of the summary table, in this order. */
export const SUMMARY_ROWS = ['specs', 'fields', 'lookups', 'sends', 'access', 'systems', 'attributes', 'project'] as const;
export type SummaryRow = (typeof SUMMARY_ROWS)[number];

export interface SideInfo {
  /** `HEAD`, `origin/main`, a folder, or `working tree`. */
  readonly label: string;
  readonly builds: boolean;
  /** Error diagnostics as one line each (`mappings/x.yaml:3:1: error MAPC0201: ...`), sorted. */
  readonly errors: readonly string[];
  readonly specs: number;
}

export interface Comparison {
  readonly changes: readonly Change[];
  readonly risks: readonly Risk[];
  readonly owners: readonly OwnerToReview[];
  readonly actions: readonly SizeChange[];
  readonly summary: Readonly<Record<SummaryRow, Counts>>;
}

export interface DiffReport extends Comparison {
  readonly base: SideInfo;
  readonly head: SideInfo;
  /** The project folder as given (`mappings`). */
  readonly project: string;
}

