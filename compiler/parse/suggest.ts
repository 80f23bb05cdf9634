/** Kept for importers in the parse layer; the rule lives in compiler/suggest.ts. */
export { editDistance, suggest } from '../suggest';
