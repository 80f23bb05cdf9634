/**
 * Source files and spans. Positions are byte offsets into the file's text (as `yaml`
 * reports them); line and column are computed only when a diagnostic is printed.
 */
export interface SourceFile {
  /** Path as shown to the user: relative to the working directory, with `/` separators. */
  readonly path: string;
  readonly text: string;
  /** Offsets at which each line starts (line 1 starts at 0). */
  readonly lineStarts: readonly number[];
}

/** A range [start, end) of a source file. */
export interface Span {
  readonly file: SourceFile;
  readonly start: number;
  readonly end: number;
}

export function sourceFile(path: string, text: string): SourceFile {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  return { path, text, lineStarts };
}

/** 1-based line and column of an offset. */
export function lineCol(file: SourceFile, offset: number): { line: number; column: number } {
  const starts = file.lineStarts;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

export function span(file: SourceFile, start: number, end: number = start): Span {
  return { file, start, end: Math.max(start, end) };
}

/** A value together with where it was written. */
export interface Located<T> {
  readonly value: T;
  readonly span: Span;
}
