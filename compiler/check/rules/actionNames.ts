/**
 * MAPC0708/0709: `action:` names. A name is kebab-case (it becomes a folder under
 * generated/actions/ and a Deploy CLI binding) of at most 64 characters, and one name means
 * one Action on one trigger: it must not be `mapc-<other trigger>`, be used on two triggers,
 * or be the name of an external Action bound by the project.
 */
import { TRIGGER_IDS } from '../../triggers';
import type { Spec } from '../../model';
import { diag, type Rule } from '../context';

const ACTION_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const ACTION_NAME_MAX = 64;

export const actionNames: Rule = (ctx) => {
  const firstByName = new Map<string, Spec>();
  const external = new Map(ctx.project.externalActions.map((e) => [e.name.value, e]));
  for (const spec of ctx.specs) {
    const a = spec.action;
    if (!a) continue;
    const trigger = spec.trigger.value;
    if (!ACTION_NAME.test(a.value) || a.value.length > ACTION_NAME_MAX) {
      ctx.report(
        diag(
          'MAPC0708',
          a.span,
          `'${a.value}' is not a valid Action name`,
          `use lowercase letters, digits and single dashes, starting with a letter, at most ${ACTION_NAME_MAX} characters (for example ${spec.name.value})`,
        ),
      );
      continue;
    }
    const other = TRIGGER_IDS.find((t) => t !== trigger && a.value === `mapc-${t}`);
    if (other) {
      ctx.report(
        diag(
          'MAPC0709',
          a.span,
          `'${a.value}' is the name of the Action mapc builds for ${other}, but this spec runs on ${trigger}`,
          `choose another name, or leave action: out to join mapc-${trigger}`,
        ),
      );
      continue;
    }
    const ext = external.get(a.value);
    if (ext) {
      ctx.report(
        diag('MAPC0709', a.span, `'${a.value}' is already the name of an Action mapc does not manage`, 'choose another name', [
          { message: 'the external Action is declared here', span: ext.name.span },
        ]),
      );
      continue;
    }
    const prev = firstByName.get(a.value);
    if (!prev) {
      firstByName.set(a.value, spec);
    } else if (prev.trigger.value !== trigger) {
      ctx.report(
        diag(
          'MAPC0709',
          a.span,
          `the Action '${a.value}' already runs on ${prev.trigger.value} (spec '${prev.name.value}'), and an Action has one trigger`,
          'choose another name for this Action',
          [{ message: 'first used here', span: prev.action!.span }],
        ),
      );
    }
  }
};
