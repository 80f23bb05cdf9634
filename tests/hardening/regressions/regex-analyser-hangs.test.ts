/**
 * Found by attacking the compiler (#13, item 5): `matches(user.email, 'a\\k<b')` — valid
 * JavaScript, an identity escape — sent the regular-expression analyser into a loop (it
 * searched for the `>` of a named backreference, found none and started over at 0) until the
 * heap was exhausted: a V8 stack trace and exit 134. The parser now consumes pattern text with
 * every atom and treats `\k` as a backreference only when the pattern names a group; random
 * patterns check that every input gets an answer.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { regexProblem } from '../../../compiler/expr/redos';
import { REPO, tempProject } from '../../helpers/compiled';
import { fcParams, SOURCE_RUNS } from '../support/config';
import { projectFile } from '../support/project';

const spec = (pattern: string) => `version: 1
name: hang
owner: team-a
trigger: post-login
fields:
  - to: app_metadata.odd
    from: matches(user.email, '${pattern}')
`;

/** Pieces random patterns are made of: metacharacters, escapes, classes, group openers, names. */
const PIECES = [
  'a', 'b', '-', ',', '.', '^', '$', '|', '(', ')', '(?:', '(?=', '(?!', '(?<=', '(?<!', '(?<n>', '[', ']', '[^',
  '{', '}', '{2}', '{1,3}', '{2,}', '*', '+', '?', '\\', '\\k', '\\k<', '\\k<n>', '<', '>', '\\d', '\\w', '\\s',
  '\\b', '\\1', '\\u00e9', '\\x41', '\\cA', '\\p{L}', 'é', 'я', '一', '😀', '\uD800',
];

describe('the regular-expression analyser always answers', () => {
  for (const pattern of ['a\\k<b', '\\k<', '(?<n>a)\\k<n', 'x\\k']) {
    it(`'${pattern}' gets an answer`, () => {
      const r = regexProblem(pattern);
      expect(r === undefined || r.kind === 'invalid' || r.kind === 'backtracking').toBe(true);
    });
  }

  it("mapc validate on matches(user.email, 'a\\\\k<b') exits normally, no stack trace", () => {
    const dir = tempProject({ 'mappings/mapc.yaml': projectFile(), 'mappings/spec.yaml': spec('a\\\\k<b') });
    // The timeout is only a safety net so a regression fails instead of hanging the suite.
    const r = spawnSync(process.execPath, ['--max-old-space-size=256', path.join(REPO, 'bin/mapc.js'), 'validate', '-p', 'mappings'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
    expect(r.stdout + r.stderr).not.toMatch(/FATAL ERROR|\n\s+at /);
  });

  it('random patterns: every one is answered, invalid ones are reported as invalid', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 24 }), fc.constantFrom('', 'i', 'u', 's'), (pieces, flags) => {
        const pattern = pieces.join('');
        let compiles = true;
        try {
          new RegExp(pattern, flags);
        } catch {
          compiles = false;
        }
        const r = regexProblem(pattern, flags);
        if (!compiles) expect(r?.kind).toBe('invalid');
        else expect(r?.kind === 'invalid').toBe(false);
      }),
      fcParams(SOURCE_RUNS),
    );
  });
});
