/**
 * Public surface of compiler/preview — `mapc preview`: the built Actions run offline over
 * exported users, systems answered from recorded responses, and the counts of what would happen
 * (docs/preview.md).
 */
export { Previewer, topValues, MAX_DISTINCT, type PreviewResult, type TargetStats, type AccessStats, type SystemStats, type Responses } from './preview';
export { previewText, previewMarkdown, previewJson, shown } from './report';
export { newImpact, addImpact, impactLines, impactText, impactMarkdown, impactJson, type Impact, type TargetImpact } from './impact';
export type { UserOutcome } from './preview';
