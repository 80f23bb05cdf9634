/**
 * MAPC0604/0605/0606/0607/0418: `deny`, `redirect`, `mfa` and `validation_error` only where the trigger's api offers them
 * (SPEC 3 and 4; compiler/triggers.ts). Explicit `deny` (an access rule, or `on_error: deny` on
 * a spec, lookup or send) on a trigger that cannot deny is an error. A project default
 * `on_error: deny` that a spec merely inherits is a warning: it degrades to `continue` there,
 * because failing the build for a project-wide default would forbid those triggers entirely.
 */
import { TRIGGERS, type TriggerId } from '../../triggers';
import { diag, type Rule } from '../context';

/** Why a trigger cannot deny, and where to block instead. */
function denyHint(trigger: TriggerId): string {
  switch (trigger) {
    case 'post-user-registration':
      return 'the user already exists when post-user-registration runs: block signups in a pre-user-registration spec, or use on_error: continue';
    case 'post-change-password':
      return 'the password has already changed when post-change-password runs: use on_error: continue';
    default:
      return `move this to a trigger that can deny (post-login, pre-user-registration, credentials-exchange), or use on_error: continue`;
  }
}

/** Why an access rule's `deny:` cannot work on a trigger that cannot deny: the rule must go. */
function accessDenyHint(trigger: TriggerId): string {
  switch (trigger) {
    case 'post-user-registration':
      return 'remove this rule: post-user-registration runs after the user is created and cannot block; to refuse signups, deny in a pre-user-registration spec';
    case 'post-change-password':
      return 'remove this rule: post-change-password runs after the password changed and cannot block';
    default:
      return `remove this rule, or move it to a spec on a trigger that can deny (post-login, pre-user-registration, credentials-exchange)`;
  }
}

export const triggerAccess: Rule = (ctx) => {
  const projectDefault = ctx.project.defaults.onError;
  for (const spec of ctx.specs) {
    const trigger = spec.trigger.value;
    const info = TRIGGERS[trigger];
    const related = [{ message: `the spec runs on ${trigger}`, span: spec.trigger.span }];
    if (info.deny === null) {
      const explicit = [
        ...(spec.onError?.value === 'deny' ? [{ what: 'this spec', span: spec.onError.span }] : []),
        ...spec.lookups
          .filter((l) => l.onError?.value === 'deny')
          .map((l) => ({ what: `lookup '${l.name.value}'`, span: l.onError!.span })),
        ...spec.sends
          .filter((s) => s.onError?.value === 'deny')
          .map((s) => ({ what: `the send to ${s.system.value}`, span: s.onError!.span })),
      ];
      for (const e of explicit) {
        ctx.report(
          diag('MAPC0604', e.span, `${trigger} cannot deny, so ${e.what} cannot fail with on_error: deny`, denyHint(trigger), related),
        );
      }
      for (const rule of spec.access) {
        if (rule.action.kind !== 'deny') continue;
        ctx.report(
          diag('MAPC0604', rule.action.message.span, `${trigger} cannot deny access: this rule would never take effect`, accessDenyHint(trigger), related),
        );
      }
      if (!spec.onError && projectDefault.value === 'deny') {
        ctx.report(
          diag(
            'MAPC0605',
            spec.trigger.span,
            `the project default on_error: deny does not apply to spec '${spec.name.value}': ${trigger} cannot deny, so failures continue`,
            'set on_error: continue on this spec to say so explicitly',
            [{ message: 'the project default is set here', span: projectDefault.span }],
          ),
        );
      }
    }
    for (const rule of spec.access) {
      const a = rule.action;
      if (a.kind === 'redirect' && !info.redirect) {
        ctx.report(
          diag(
            'MAPC0606',
            a.url.span,
            `${trigger} cannot redirect the user: only post-login can`,
            info.deny === null
              ? 'move this rule to a post-login spec'
              : `move this rule to a post-login spec, or use deny: <message> instead (${trigger} can deny)`,
            related,
          ),
        );
      } else if (a.kind === 'validation_error' && !info.validationError) {
        ctx.report(
          diag(
            'MAPC0418',
            a.span,
            `${trigger} has no api.validation.error, so this rule would never take effect`,
            'validation_error exists on post-login and pre-user-registration only: move the rule there',
            related,
          ),
        );
      } else if (a.kind === 'mfa' && !info.mfa) {
        ctx.report(
          diag(
            'MAPC0607',
            a.provider.span,
            `${trigger} cannot ask for multi-factor authentication: only post-login can`,
            'move this rule to a post-login spec',
            related,
          ),
        );
      }
    }
  }
};
