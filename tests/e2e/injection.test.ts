/**
 * Hostile strings through every user-written field that reaches generated code: the code
 * must still parse, nothing may execute, and each value must arrive exactly as written.
 */
import { describe, expect, it } from 'vitest';
import { compileOrThrow, runCompiled, tempProject } from '../helpers/compiled';

/** Quotes, backticks, template holes, a closing script tag, comment closers, line/paragraph separators, prototype keys. */
const HOSTILE = `q'"\`\${globalThis.PWNED=1}\`</script><!-- */ // \\ \u2028\u2029 __proto__ constructor`;
/** As a YAML double-quoted scalar (JSON escapes are YAML escapes; U+2028/9 escaped explicitly). */
const y = (s: string) => JSON.stringify(s).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
/** As an expression string literal ('...' with \\ and \' escapes). */
const lit = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
/** An expression string literal inside a YAML double-quoted scalar. */
const exprLit = (s: string) => y(lit(s));
/** Header values must be ByteStrings: the hostile string without the separators. */
const HEADER_SAFE = `q'"\`\${x}\`</script>`;

const files = {
  'mappings/mapc.yaml': `version: 1
claims_namespace: https://acme.example/
systems:
  sink:
    base_url: https://sink.example.com/in
    auth: none
attributes:
  app_metadata.hostile: { owner: team-a, type: string, enum: [${y(HOSTILE)}, plain] }
`,
  'mappings/hostile.yaml': `version: 1
name: hostile
owner: team-a
trigger: post-login
description: ${y(HOSTILE)}
fields:
  - to: app_metadata.hostile
    from: ${exprLit(HOSTILE)}
    description: ${y(HOSTILE)}
  - to: id_token.hostile
    from: { value: ${y(HOSTILE)} }
  - to: user_metadata.__proto__x
    from: { template: ${y('{{user.nickname}}' + HOSTILE)} }
sends:
  - system: sink
    method: POST
    path: /p/{{user.nickname}}
    query:
      ${y('k' + HOSTILE)}: { value: ${y(HOSTILE)} }
    headers:
      X-Hostile: { value: ${y(HEADER_SAFE)} }
    body:
      ${y(HOSTILE)}: { value: ${y(HOSTILE)} }
      tpl: { template: ${y('{{user.nickname}}' + HOSTILE)} }
      expr: ${y(`concat(${lit(HOSTILE)}, user.nickname)`)}
      __proto__: { value: polluted }
access:
  - when: user.email_verified == false
    deny: ${y(HOSTILE)}
`,
};

describe('hostile strings reach generated code only as encoded literals', () => {
  it('builds, parses, executes nothing, and round-trips every value', async () => {
    const dir = tempProject(files);
    const compiled = await compileOrThrow('mappings', dir);
    const code = compiled.code.get('mapc-post-login')!;
    expect(() => new Function(code)).not.toThrow();
    expect(code).not.toMatch(/[\u2028\u2029]/);

    const ok = await runCompiled(compiled, 'mapc-post-login', {
      event: { user: { nickname: 'jd' } },
      scripts: { sink: [{ method: 'POST', body: {} }] },
    });
    expect((globalThis as Record<string, unknown>)['PWNED']).toBeUndefined();
    expect(ok.threw).toBeUndefined();
    expect(ok.appMetadata['hostile']).toBe(HOSTILE);
    expect(ok.record.idTokenClaims['https://acme.example/hostile']).toBe(HOSTILE);
    expect(ok.userMetadata['__proto__x']).toBe('jd' + HOSTILE);
    expect(ok.requests).toHaveLength(1);
    const req = ok.requests[0]!;
    expect(req.headers['x-hostile']).toBe(HEADER_SAFE);
    const query = new URL('http://x' + req.path).searchParams;
    expect(query.get('k' + HOSTILE)).toBe(HOSTILE);
    const body = req.body as Record<string, unknown>;
    expect(body[HOSTILE]).toBe(HOSTILE);
    expect(body['tpl']).toBe('jd' + HOSTILE);
    expect(body['expr']).toBe(HOSTILE + 'jd');
    // A `__proto__` body key is dropped, never assigned through the prototype chain.
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();

    const denied = await runCompiled(compiled, 'mapc-post-login', { event: { user: { email_verified: false } } });
    expect(denied.record.access).toEqual({ kind: 'deny', reason: HOSTILE });
    expect(denied.requests).toEqual([]);

    // The manifest and tenant.yaml carry the strings as data, and stay parseable.
    expect(() => JSON.parse(compiled.files.get('mapc-manifest.json')!)).not.toThrow();
  });
});
