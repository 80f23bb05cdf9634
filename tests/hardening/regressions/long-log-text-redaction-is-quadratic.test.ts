/**
 * Found by the secrets scan (a run that did not finish): `redact` matched e-mails with a
 * regular expression that tries every start position, quadratic on a long string without
 * `@` — 40,000 characters took 1.8 s, 300,000 would take minutes — and the token pattern is
 * quadratic on `eyJeyJ…`. A log line built from a long exception message could stall a
 * login. E-mails are now found by a linear scan, secrets and e-mails are removed from the
 * whole text first, and the strict patterns only see a bounded window.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatLog, redact } from '../../../runtime/log';

/** The pattern `redact` used before: the reference for what is an e-mail. */
const OLD_EMAIL = /[^\s@"'<>(),;:]*@[^\s@"'<>(),;:]*/g;

describe('redaction of long log text', () => {
  it('finishes at once on 300,000 characters of adversarial text', () => {
    for (const text of ['a'.repeat(300_000), 'eyJ'.repeat(100_000), `${'x'.repeat(299_990)}@example.com`, 'a@'.repeat(150_000)]) {
      const line = formatLog({ msg: text, status: text }, ['secret-value']);
      expect(line.length).toBeLessThanOrEqual(256);
      expect(() => JSON.parse(line)).not.toThrow();
    }
  }, 10_000);

  it('finds exactly the e-mails the old pattern found', () => {
    const unit = fc.constantFrom('a', 'b', '@', ' ', '.', '"', '<', '>', ',', ';', ':', '\n', 'é', '\u2028', '_');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (s) => {
        expect(redact(s, [], false)).toBe(s.replace(OLD_EMAIL, '<email>'));
      }),
      { numRuns: 5000, seed: 8 },
    );
  });

  it('removes a secret that sits past the window, before cutting', () => {
    const line = formatLog({ msg: `${'word '.repeat(300)}secret-value-123 tail` }, ['secret-value-123']);
    expect(line).not.toContain('secret-value');
    const near = formatLog({ msg: `${'<email> '.repeat(2)}secret-value-123` }, ['secret-value-123']);
    expect(near).toBe('{"mapc":1,"msg":"<email> <email> <secret>"}');
  });
});
