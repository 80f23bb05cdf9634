/**
 * MAPC0404/0405: one writer per target across all specs (SPEC 4). Two writers of the same key,
 * or of a key and a key nested inside it (`app_metadata.a` and `app_metadata.a.b`), would
 * overwrite each other in an order nobody chose. The second writer (in loaded order, then
 * file order) gets the error; `related` points at the first.
 */
import { diag, type Rule } from '../context';
import { overlap } from '../../targets';
import { allWrites, type Write } from '../writes';

export const uniqueWriter: Rule = (ctx) => {
  const seen: Write[] = [];
  for (const w of allWrites(ctx.specs)) {
    if (!w.target) continue;
    let clash: { first: Write; how: 'same' | 'nested' } | undefined;
    for (const first of seen) {
      const how = overlap(first.target!, w.target);
      if (how) {
        clash = { first, how };
        break;
      }
    }
    if (!clash) {
      seen.push(w);
      continue;
    }
    const { first, how } = clash;
    const where =
      first.spec === w.spec ? 'earlier in this spec' : `by spec '${first.spec.name.value}' (owner ${first.spec.owner.value})`;
    const related = [{ message: `'${first.text.value}' is first written here`, span: first.text.span }];
    if (how === 'same') {
      ctx.report(
        diag(
          'MAPC0404',
          w.text.span,
          `'${w.text.value}' is already written ${where}`,
          first.spec === w.spec
            ? 'write each target once: combine the values with coalesce() or a when: condition on one field'
            : `agree on one owner for '${w.text.value}' and remove one of the two writes`,
          related,
        ),
      );
    } else {
      ctx.report(
        diag(
          'MAPC0405',
          w.text.span,
          `'${w.text.value}' overlaps '${first.text.value}', which is written ${where}: one write replaces the other`,
          'write either the whole object or its nested keys, from one spec',
          related,
        ),
      );
    }
  }
};
