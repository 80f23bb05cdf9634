/**
 * Found by the template source fuzz: an error at the end of a template (an unclosed
 * `{{#if x}}` block) got a span one character past the template text, so in a file the caret
 * pointed after the scalar. Spans of template diagnostics now stay inside the template.
 */
import { describe, expect, it } from 'vitest';
import { parseTemplate, plainOrigin } from '../../../compiler/expr';
import { sourceFile } from '../../../compiler/source';

const parse = (text: string) => parseTemplate(text, plainOrigin(sourceFile('t.yaml', text)));

describe('template diagnostics at the end of input', () => {
  for (const text of ['{{#if user.email}}', 'hello {{#each x}}', '{{user.email}']) {
    it(`'${text}' is located inside the text`, () => {
      const { diagnostics } = parse(text);
      expect(diagnostics).toHaveLength(1);
      const d = diagnostics[0]!;
      expect(d.code).toBe('MAPC0320');
      expect(d.span!.start).toBeGreaterThanOrEqual(0);
      expect(d.span!.end).toBeLessThanOrEqual(text.length);
      expect(d.span!.start).toBeLessThan(text.length);
    });
  }
});
