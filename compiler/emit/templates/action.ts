/**
 * Skeleton of an Action's entry module (Handlebars, slots only; see codegen/skeleton.ts).
 * A TS constant rather than an .hbs file so `tsc` carries it into dist/ with the CLI.
 */
export const ACTION_SKELETON = `{{header}}
{{imports}}

const plan = {{plan}};

{{handlers}}
`;
