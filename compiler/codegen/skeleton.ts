/**
 * File skeletons rendered with Handlebars. Handlebars lays out a file only: every slot is
 * Code that codegen already rendered, so no user text passes through Handlebars unencoded.
 */
import Handlebars from 'handlebars';
import { Code, js } from './code';

/** A compiled skeleton: fills its `{{slot}}`s with Code and returns Code. */
export type Skeleton<K extends string> = (slots: Readonly<Record<K, Code>>) => Code;

/**
 * Compiles a skeleton once. `strict` makes a missing slot an error (a compiler bug),
 * `noEscape` keeps Code as written (HTML escaping would corrupt JavaScript), and
 * `knownHelpersOnly` keeps templates to plain slots.
 */
export function skeleton<K extends string>(source: string): Skeleton<K> {
  const render = Handlebars.compile(source, { strict: true, noEscape: true, knownHelpersOnly: true });
  return (slots) => {
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(slots) as [string, Code][]) {
      if (!(v instanceof Code)) throw new Error(`codegen: skeleton slot ${k} is not Code`);
      values[k] = v.toString();
    }
    return trusted(render(values));
  };
}

// The skeleton text is compiler-authored and every slot was Code: the result is Code too.
// Built through `js` with a raw TemplateStringsArray so Code's constructor stays private.
function trusted(text: string): Code {
  const strings = Object.assign([text], { raw: [text] }) as unknown as TemplateStringsArray;
  return js(strings);
}
