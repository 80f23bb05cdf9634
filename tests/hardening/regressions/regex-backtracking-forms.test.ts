/**
 * Found by attacking the regular-expression check (#13, item 4): patterns that backtrack
 * exponentially passed the build — lookaround bodies (`^(?=(a+)+$)`: 19 s on 29 characters),
 * bounded outer loops (`^(\w+\s?){1,20}$`, `^(a+){20}$`) and character classes outside the
 * characters the analyser sampled (`^([а-яА-ЯёЁ]+\s?)*$`, `^(一|[一-鿿])+$`). End to end, a
 * 28-character name held a login 9 s past its deadline: a running regex cannot be interrupted.
 * Now the analyser compares exact character sets, counts bounded loops and looks into
 * lookarounds; and at run time the regex functions refuse text over MAX_REGEX_INPUT
 * characters (`regex_replace(bio, '\\s+$', '')` on an 80 KB bio took 5.7 s: quadratic, not
 * exponential, so not a build error).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Compiled } from '../../../compiler/pipeline';
import { fn_matches, fn_regex_replace, MAX_REGEX_INPUT } from '../../../runtime/functions';
import { runCompiled } from '../../helpers/compiled';
import { buildSpec, diagnosticsOf, errorCodes, parsedLogs } from '../support/project';

const spec = (from: string) => `version: 1
name: regex
owner: team-a
trigger: post-login
fields:
  - to: app_metadata.value
    from: ${from}
`;

describe('exponential forms are refused at build', () => {
  for (const pattern of ['^(?=(a+)+$)', '^(?!(a|a)*$)x', '(?<=(\\\\w+\\\\s?)*)x', '^(\\\\w+\\\\s?){1,20}$', '^(a+){20}$', '^(a|ab){2,9}c', '^([а-яА-ЯёЁ]+\\\\s?)*$', '^(一|[一-鿿])+$', '^([ÀÉ]|[À-ÿ])+$']) {
    it(`matches(user.name, '${pattern}') is MAPC0310`, async () => {
      const diagnostics = await diagnosticsOf({ 'spec.yaml': spec(`matches(user.name, '${pattern}')`) });
      expect(errorCodes(diagnostics)).toEqual(['MAPC0310']);
      expect(diagnostics[0]!.message).toContain('backtracking');
    });
  }

  for (const pattern of ['^(\\\\d{1,3}\\\\.){3}\\\\d{1,3}$', '^[а-яё]+(-[а-яё]+)*$', '^[a-z]{2}(-[A-Z]{2})?$', '^(?=.*[0-9]).{8,}$']) {
    it(`matches(user.name, '${pattern}') still builds`, async () => {
      const diagnostics = await diagnosticsOf({ 'spec.yaml': spec(`matches(user.name, '${pattern}')`) });
      expect(errorCodes(diagnostics)).toEqual([]);
    });
  }
});

describe('the regex functions cap the text they search', () => {
  it('text over the cap is null (logged), at the cap it is searched', () => {
    const at = 'a'.repeat(MAX_REGEX_INPUT);
    expect(fn_matches(at, '^a+$')).toBe(true);
    expect(fn_matches(at + 'a', '^a+$')).toBeNull();
    expect(fn_regex_replace(at + ' ', '\\s+$', '')).toBeNull();
    expect(fn_regex_replace(at.slice(1) + ' ', '\\s+$', '')).toBe(at.slice(1));
  });

  let compiled: Compiled;
  beforeAll(async () => {
    compiled = await buildSpec(spec(`regex_replace(user.user_metadata.bio, '\\\\s+$', '')`));
  });

  it('an 80 KB bio is not searched: the field is skipped, the log says why, the login goes on', async () => {
    const bio = ' '.repeat(80_000) + 'x';
    const out = await runCompiled(compiled, 'mapc-post-login', { event: { user: { user_metadata: { bio } } } });
    expect(out.threw).toBeUndefined();
    expect(out.record.access).toEqual({ kind: 'allow' });
    expect(out.record.appMetadataCalls.find(([k]) => k === 'value')).toBeUndefined();
    const logs = parsedLogs(out.logs);
    expect(logs.some((l) => l['fn'] === 'regex_replace' && String(l['msg']).includes('too long'))).toBe(true);
    expect(out.logs.join('\n')).not.toContain('     ');
  });

  it('a short bio is trimmed as before', async () => {
    const out = await runCompiled(compiled, 'mapc-post-login', { event: { user: { user_metadata: { bio: 'hello   ' } } } });
    expect(out.record.appMetadataCalls).toContainEqual(['value', 'hello']);
  });
});
