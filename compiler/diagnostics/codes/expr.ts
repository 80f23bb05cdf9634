import type { CodeInfo } from './types';

/** Codes of the expr area (MAPC03xx). Keep codes stable: never renumber. */
export const EXPR_CODES = {
  MAPC0300: {
    code: 'MAPC0300',
    severity: 'error',
    title: 'expression syntax error',
    example: "when: lower(user.email == 'x'",
  },
  MAPC0301: {
    code: 'MAPC0301',
    severity: 'error',
    title: 'unknown root (not an event field of this trigger, a lookup, or a scope name)',
    example: 'from: usr.email',
  },
  MAPC0302: {
    code: 'MAPC0302',
    severity: 'error',
    title: 'unknown path segment (the object has no such field, or the value has no fields)',
    example: 'from: user.emial',
  },
  MAPC0303: {
    code: 'MAPC0303',
    severity: 'error',
    title: "event data that this spec's trigger does not provide",
    example: 'trigger: pre-user-registration\n...\nfrom: user.user_id',
  },
  MAPC0304: {
    code: 'MAPC0304',
    severity: 'error',
    title: 'a name that is not a root in this position (secrets, value, current, response, item)',
    example: 'from: secrets.CRM_API_KEY',
  },
  MAPC0305: {
    code: 'MAPC0305',
    severity: 'error',
    title: 'unknown function',
    example: 'from: lowr(user.email)',
  },
  MAPC0306: {
    code: 'MAPC0306',
    severity: 'error',
    title: 'wrong number of arguments',
    example: "from: lower(user.email, 'x')",
  },
  MAPC0307: {
    code: 'MAPC0307',
    severity: 'error',
    title: 'argument of the wrong type',
    example: "from: substring(user.email, 'a', 2)",
  },
  MAPC0308: {
    code: 'MAPC0308',
    severity: 'error',
    title: 'argument must be a literal',
    example: 'from: matches(user.email, user.name)',
  },
  MAPC0309: {
    code: 'MAPC0309',
    severity: 'error',
    title: 'invalid regular expression',
    example: "from: matches(user.email, '([a-z')",
  },
  MAPC0310: {
    code: 'MAPC0310',
    severity: 'error',
    title: 'regular expression prone to catastrophic backtracking',
    example: "from: matches(user.email, '(a+)+$')",
  },
  MAPC0311: {
    code: 'MAPC0311',
    severity: 'error',
    title: 'ordering comparison of incompatible types',
    example: "when: stats.logins_count > 'ten'",
  },
  MAPC0312: {
    code: 'MAPC0312',
    severity: 'warning',
    title: 'equality comparison that is always false (strict comparison of different types)',
    example: "when: stats.logins_count == '1'",
  },
  MAPC0313: {
    code: 'MAPC0313',
    severity: 'error',
    title: 'expression nested too deeply',
    example: 'when: ((((((... 65 levels ...))))))',
  },
  MAPC0314: {
    code: 'MAPC0314',
    severity: 'error',
    title: 'lookups that read each other in a cycle',
    example: 'lookups:\n  a: { path: "/{{b.id}}" }\n  b: { path: "/{{a.id}}" }',
  },
  MAPC0315: {
    code: 'MAPC0315',
    severity: 'error',
    title: 'lookup name that shadows a root (an event field or value/current/response)',
    example: 'lookups:\n  user: { ... }',
  },
  MAPC0316: {
    code: 'MAPC0316',
    severity: 'error',
    title: 'transform step that cannot take the value',
    example: 'transform: [now]',
  },
  MAPC0317: {
    code: 'MAPC0317',
    severity: 'error',
    title: 'shared lookup (uses:) with a name this spec already gives a lookup',
    example: 'lookups:\n  subscription: { ... }\nuses:\n  subscription: subscription-enrichment.subscription',
  },
  MAPC0318: {
    code: 'MAPC0318',
    severity: 'error',
    title: "list function (or [*]) inside another list function's per-element expression",
    example: "when: any(user.identities, any(item.profileData.groups, item == 'x'))",
  },
  MAPC0320: {
    code: 'MAPC0320',
    severity: 'error',
    title: 'template syntax error',
    example: 'template: "Hello {{user.name"',
  },
  MAPC0321: {
    code: 'MAPC0321',
    severity: 'error',
    title: 'template construct not supported (block helpers, partials, decorators)',
    example: 'template: "{{#if user.name}}x{{/if}}"',
  },
  MAPC0322: {
    code: 'MAPC0322',
    severity: 'error',
    title: 'template context reference not supported (this, ../, @data)',
    example: 'template: "{{this.name}}"',
  },
  MAPC0323: {
    code: 'MAPC0323',
    severity: 'error',
    title: 'template hash arguments not supported',
    example: 'template: "{{truncate user.name length=3}}"',
  },
  MAPC0324: {
    code: 'MAPC0324',
    severity: 'error',
    title: 'template helper that is not a library function',
    example: 'template: "{{lowr user.email}}"',
  },
} as const satisfies Record<string, CodeInfo>;

/** An expr-area code (type-checked so that a typo in a code is a compile error). */
export type ExprCode = keyof typeof EXPR_CODES;
