/**
 * Mapping data paths back to YAML nodes, so every diagnostic and every model value can point
 * at the source that produced it.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import { span, type SourceFile, type Span } from '../source';

/** A path into the document data: map keys (strings) and list indexes (numbers). */
export type DataPath = readonly (string | number)[];

/** The node at a path and, when the last step was a map key, the key node. */
export interface NodeLocation {
  readonly node: Node | null;
  readonly key: Node | null;
}

/** Follows aliases to the node they stand for. */
export function resolveNode(doc: Document, node: unknown): Node | null {
  let cur = node;
  for (let guard = 0; guard < 100 && isAlias(cur); guard++) cur = cur.resolve(doc);
  return (cur as Node | undefined) ?? null;
}

/** String form of a map key, as it appears in the data given to the schema. */
export function keyString(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

/**
 * The node at `path` in `doc` (or null when the path leaves the document). String steps
 * into a list are read as indexes, as in ajv's instance paths.
 */
export function nodeAt(doc: Document, path: DataPath): NodeLocation {
  let node = resolveNode(doc, doc.contents);
  let key: Node | null = null;
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => keyString(p.key) === String(step));
      if (!pair) return { node: null, key: null };
      key = (pair.key as Node | null) ?? null;
      node = resolveNode(doc, pair.value);
    } else if (isSeq(node)) {
      const item = node.items[Number(step)];
      if (item === undefined) return { node: null, key: null };
      key = null;
      node = resolveNode(doc, item);
    } else {
      return { node: null, key: null };
    }
  }
  return { node, key };
}

/** The span of a node's value (without trailing comments), or of the file start. */
export function nodeSpan(file: SourceFile, node: Node | null | undefined): Span {
  const r = node?.range;
  if (!r) return span(file, 0, 0);
  return span(file, r[0], r[1]);
}

/** Splits an ajv instance path (`/systems/crm/auth`) into steps, undoing `~1` and `~0`. */
export function pointerToPath(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
