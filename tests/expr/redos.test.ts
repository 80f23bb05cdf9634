import { describe, expect, it } from 'vitest';
import { regexProblem } from '../../compiler/expr/redos';

describe('regexProblem', () => {
  // Known-bad: classic exponential patterns (OWASP ReDoS examples and variants).
  it.each([
    '(a+)+$',
    '(a+)+',
    '(a*)*b',
    '(.*)*',
    '(.+)+x',
    '([a-z]+)*$',
    '(\\w+\\s?)*$',
    '^(\\d+)*$',
    '(?:a+){2,}',
    '(x+x+)+y',
    '^(([a-z])+.)+[A-Z]([a-z])+$',
    '^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$',
    '(a|a)*',
    '(a|ab)*c',
    '(\\w|\\d)+$',
    '(.|\\s)*',
    '((a|a))*',
    '(?:[a-z]|[aeiou])+$',
  ])('refuses %s', (p) => {
    expect(regexProblem(p)?.kind).toBe('backtracking');
  });

  // Known-good: common validation patterns.
  it.each([
    '^[a-z]+$',
    '^(\\d{1,3}\\.){3}\\d{1,3}$',
    '^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$',
    '(a|b)*',
    '^(?:foo|bar)+$',
    'a+b+c+',
    '^\\+?[0-9 ]+$',
    '(?<year>\\d{4})-(\\d{2})',
    '[(]+',
    '\\(+\\)+',
    'a{2}',
    '^(?!admin).*$',
    '(ab|cd)+',
    '[a-z]*(\\.[a-z]+)*$',
    '(ab+)+',
    '(\\d+,)+',
    '((\\d+,)+;)*',
    '^[a-z]{2}(-[A-Z]{2})?$',
    '\\u00e9+|\\u{1F600}',
    '',
  ])('accepts %s', (p) => {
    expect(regexProblem(p)).toBeUndefined();
  });

  it('reports patterns that do not compile, with the engine message', () => {
    expect(regexProblem('([a-z')).toEqual({ kind: 'invalid', message: '/([a-z/: Unterminated character class' });
    expect(regexProblem('a{2,1}')?.kind).toBe('invalid');
    expect(regexProblem('(?<n>a)\\k<m>')?.kind).toBe('invalid');
    expect(regexProblem('*')?.kind).toBe('invalid');
  });
});
