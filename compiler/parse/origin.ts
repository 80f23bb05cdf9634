/** Text origins of YAML scalars: how an index into a scalar's value maps to the file. */
import { isScalar, Scalar, type Node } from 'yaml';
import type { TextOrigin } from '../expr';
import type { SourceFile } from '../source';

/**
 * The origin of a scalar's string value. Indexes map exactly when the source spells the
 * value verbatim (a plain scalar, or a quoted one without escapes); otherwise (escapes, folded
 * or block scalars) every index maps to the scalar's start, which is still the right line.
 */
export function scalarOrigin(file: SourceFile, node: Node | null): TextOrigin {
  const start = node?.range?.[0] ?? 0;
  if (!isScalar(node) || typeof node.value !== 'string') return { file, offset: () => start };
  const value = node.value;
  const src = file.text;
  if (node.type === Scalar.PLAIN && src.startsWith(value, start)) {
    return { file, offset: (i) => start + i };
  }
  if (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE) {
    const quote = node.type === Scalar.QUOTE_DOUBLE ? '"' : "'";
    if (src.startsWith(value, start + 1) && src.charAt(start + 1 + value.length) === quote) {
      return { file, offset: (i) => start + 1 + i };
    }
  }
  return { file, offset: () => start };
}
