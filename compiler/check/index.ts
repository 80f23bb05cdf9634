/**
 * The check phase (SPEC 4): every semantic rule over a schema-valid `LoadedProject`.
 * `checkProject` runs the rules in a fixed order (so diagnostics come out in the same order
 * on every run) and returns what they report; it never throws for user mistakes.
 */
import type { Diagnostic } from '../diagnostics';
import type { LoadedProject } from '../model';
import { resolve, type ResolvedProject } from '../resolve';
import { createContext, type Rule } from './context';
import { accessTrust } from './rules/accessTrust';
import { actionNames } from './rules/actionNames';
import { actionsPerTrigger } from './rules/actionsPerTrigger';
import { attributeRegistry } from './rules/attributeRegistry';
import { authorizationClaims } from './rules/authorizationClaims';
import { claimNames } from './rules/claimNames';
import { claimsNamespace } from './rules/claimsNamespace';
import { deadline } from './rules/deadline';
import { denyMessages } from './rules/denyMessages';
import { expressions } from './rules/expressions';
import { readAfterWrite } from './rules/readAfterWrite';
import { redirectRoundTrip } from './rules/redirectRoundTrip';
import { redirectUrl } from './rules/redirectUrl';
import { requestHeaders } from './rules/requestHeaders';
import { routedSystemTrust } from './rules/routedSystemTrust';
import { secrets } from './rules/secrets';
import { sharedLookups } from './rules/sharedLookups';
import { systemRefs } from './rules/systemRefs';
import { systemUrls } from './rules/systemUrls';
import { targetSyntax } from './rules/targetSyntax';
import { triggerAccess } from './rules/triggerAccess';
import { triggerDeadline } from './rules/triggerDeadline';
import { triggerTargets } from './rules/triggerTargets';
import { uniqueSpecNames } from './rules/uniqueSpecNames';
import { uniqueWriter } from './rules/uniqueWriter';

export type { CheckContext, Rule } from './context';

/**
 * The rules, in the order they run: project-wide and naming rules first, then targets and
 * ownership (04), claims (05), access and trust (06), limits and secrets (07), and the
 * read-after-write warning last.
 */
export const RULES: readonly (readonly [name: string, rule: Rule])[] = [
  ['expressions', expressions],
  ['uniqueSpecNames', uniqueSpecNames],
  ['actionNames', actionNames],
  ['targetSyntax', targetSyntax],
  ['triggerTargets', triggerTargets],
  ['uniqueWriter', uniqueWriter],
  ['attributeRegistry', attributeRegistry],
  ['sharedLookups', sharedLookups],
  ['systemRefs', systemRefs],
  ['systemUrls', systemUrls],
  ['requestHeaders', requestHeaders],
  ['claimsNamespace', claimsNamespace],
  ['claimNames', claimNames],
  ['authorizationClaims', authorizationClaims],
  ['accessTrust', accessTrust],
  ['routedSystemTrust', routedSystemTrust],
  ['triggerAccess', triggerAccess],
  ['redirectUrl', redirectUrl],
  ['redirectRoundTrip', redirectRoundTrip],
  ['denyMessages', denyMessages],
  ['secrets', secrets],
  ['deadline', deadline],
  ['triggerDeadline', triggerDeadline],
  ['actionsPerTrigger', actionsPerTrigger],
  ['readAfterWrite', readAfterWrite],
];

/**
 * Checks a project (resolving it first when given only the loaded model): every rule of
 * RULES, the expression checker's findings first. Diagnostics come in that order: expressions
 * sorted by file and position, then rule order and, within a rule, loaded spec order then file
 * order. Never throws for user mistakes.
 */
export function checkProject(project: LoadedProject | ResolvedProject): Diagnostic[] {
  const resolved = 'of' in project ? project : resolve(project);
  const out: Diagnostic[] = [];
  const ctx = createContext(resolved, out);
  for (const [, rule] of RULES) rule(ctx);
  return out;
}
