/**
 * Found by the string fuzz: codegen writes `</script>` in a string literal as `\u003c/script>`,
 * but esbuild re-prints string literals and turned it back into `</script>`, and comments
 * (descriptions, templates quoted in comments) carried it verbatim. The bundle now asks
 * esbuild to keep `</script` escaped, and comment text splits `</`: no user string can put a
 * `</script>` in code.js, and the value still arrives exactly.
 */
import { describe, expect, it } from 'vitest';
import { commentText } from '../../../compiler/codegen';
import { runCompiled } from '../../helpers/compiled';
import { buildSpec, SINK_SECRETS } from '../support/project';

const SPEC = `version: 1
name: script-tag
owner: team-a
trigger: post-login
description: "closes </script> and </SCRIPT >"
fields:
  - to: id_token.lit
    from: { value: "</script><script>alert(1)</script>" }
    description: "</script>"
  - to: user_metadata.tpl
    from: { template: "{{user.nickname}}</Script>" }
  - to: app_metadata.expr
    from: "'</script>'"
`;

describe('</script> in any user string', () => {
  it('never appears in comments', () => {
    expect(commentText('a </script> b')).toBe('a < /script> b');
  });

  it('never appears in the bundled code.js, and values round-trip', async () => {
    const compiled = await buildSpec(SPEC);
    const code = compiled.code.get('mapc-post-login')!;
    expect(code).not.toMatch(/<\/script/i);
    const out = await runCompiled(compiled, 'mapc-post-login', { secrets: SINK_SECRETS, event: { user: { nickname: 'jd' } } });
    expect(out.threw).toBeUndefined();
    expect(out.record.idTokenClaims['https://acme.example/lit']).toBe('</script><script>alert(1)</script>');
    expect(out.userMetadata['tpl']).toBe('jd</Script>');
    expect(out.appMetadata['expr']).toBe('</script>');
  });
});
