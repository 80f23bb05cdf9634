import type { SourceFile } from '../source';

/**
 * Where an expression's text sits in its YAML file. `offset(i)` maps index `i` of the
 * expression text to an offset in `file` (for a plain scalar, `start + i`; for a quoted
 * scalar with escapes, the parse phase may map every index to the scalar's start).
 */
export interface TextOrigin {
  readonly file: SourceFile;
  readonly offset: (i: number) => number;
}
