/**
 * `mapc catalog`: a static, self-contained HTML site about a compiled project — attributes
 * and claims, their lineage (an SVG laid out at build time), systems, triggers and owners.
 * Public surface: `renderCatalog` (pure: files by relative path, the same bytes for the same
 * project), `catalogData` (the data the pages show) and `renderDiffHtml` (`mapc diff --format
 * html`: the diff report with the changed nodes of the graph highlighted). Writing is the CLI's, through
 * compiler/output's atomic `writeOutput` with `CATALOG_MARKER` as the folder's marker.
 */
import type { Compiled } from '../pipeline';
import { sortKeys } from '../order';
import { catalogData, type CatalogOptions } from './data';
import { renderPages } from './pages';

export { catalogData, lineageOf, slug, href, type CatalogData, type CatalogOptions, type AttributeInfo, type Graph, type GraphNode, type GraphEdge } from './data';
export { escapeHtml, html, Html } from './html';
export { renderDiffHtml } from './diff-html';

/** The file that marks a folder as a mapc catalog (a build refuses to replace a folder without it): the catalog's data as JSON. */
export const CATALOG_MARKER = 'mapc-catalog.json';

/** Every file of the catalog, by path relative to its folder (`/`-separated), sorted. */
export function renderCatalog(compiled: Compiled, opts: CatalogOptions = {}): Map<string, string> {
  const data = catalogData(compiled, opts);
  const files = renderPages(data);
  // The data behind the pages, for scripts: sorted keys, like mapc-manifest.json.
  files.set(CATALOG_MARKER, `${JSON.stringify(sortKeys(data), null, 2)}\n`);
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
