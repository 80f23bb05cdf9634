/**
 * MAPC0401/0402/0415/0406/0407: the attribute registry (SPEC 2.1 `attributes:`).
 * Keys must be metadata targets (the schema refuses token claims: MAPC0205) and enums must
 * fit their type; a write to a registered target (or inside it, or around it) by another
 * owner is an error; a literal value that breaks the registered type or enum is an error.
 * Unregistered targets are fine: the registry is opt-in.
 */
import type { Attribute, AttributeType } from '../../model';
import type { Span } from '../../source';
import { diag, type CheckContext, type Rule } from '../context';
import { overlap, type Target } from '../../targets';
import type { ResolvedAttribute } from '../../resolve';
import type { Write } from '../../resolve';
import { withArticle } from '../../expr';
import { deepEqual, fitsRule } from '../../../runtime/path';

export const attributeRegistry: Rule = (ctx) => {
  const registered: { attr: Attribute; target: Target }[] = [];
  for (const r of ctx.resolved.attributes) {
    checkKey(ctx, r);
    if (r.target) registered.push({ attr: r.attr, target: r.target });
    checkEnum(ctx, r.attr);
  }
  if (registered.length === 0) return;
  for (const w of ctx.resolved.writes) {
    if (!w.target) continue;
    const owned = registered.find((r) => overlap(r.target, w.target!) !== null);
    if (owned) checkOwner(ctx, w, owned.attr);
    const exact = registered.find((r) => overlap(r.target, w.target!) === 'same');
    if (exact) checkLiterals(ctx, w, exact.attr);
  }
};

/** A key that is not a target; a token claim is no registry key either, but the schema reports that (MAPC0205). */
function checkKey(ctx: CheckContext, r: ResolvedAttribute): void {
  const key = r.attr.target;
  const parsed = r.problem;
  if (!parsed) return;
  if (parsed.problem === 'reserved') {
    ctx.report(diag('MAPC0402', key.span, `'${key.value}' uses the reserved key '${parsed.segment}'`, 'rename the attribute'));
  } else {
    ctx.report(diag('MAPC0401', key.span, parsed.message, parsed.hint));
  }
}

function checkEnum(ctx: CheckContext, attr: Attribute): void {
  if (!attr.enum) return;
  const type = attr.type.value;
  const bad = attr.enum.value.filter((v) => !matchesType(v, type));
  if (bad.length === 0) return;
  ctx.report(
    diag(
      'MAPC0415',
      attr.enum.span,
      `the allowed values of '${attr.target.value}' include ${bad.map(show).join(', ')}, which ${bad.length === 1 ? 'is' : 'are'} not of type ${type}`,
      `make every enum value ${withArticle(type)}, or change the type`,
      [{ message: `type ${type} is declared here`, span: attr.type.span }],
    ),
  );
}

function checkOwner(ctx: CheckContext, w: Write, attr: Attribute): void {
  if (w.owner === attr.owner.value) return;
  const nested = attr.target.value !== w.text.value;
  ctx.report(
    diag(
      'MAPC0406',
      w.ownerSpan ?? w.text.span,
      `${nested ? `'${w.text.value}' touches '${attr.target.value}', which` : `'${w.text.value}'`} belongs to ${attr.owner.value}, but this write is owned by ${w.owner}`,
      `ask ${attr.owner.value} to make this write, or change the attribute's owner in mapc.yaml if ownership moved`,
      [{ message: `'${attr.target.value}' is registered to ${attr.owner.value} here`, span: attr.owner.span }],
    ),
  );
}

function checkLiterals(ctx: CheckContext, w: Write, attr: Attribute): void {
  const literals: { value: unknown; span: Span; what: string }[] = [];
  if (w.source.kind === 'field') {
    const f = w.source.field;
    // A literal `from` passes through the transforms first; only its final value is typed.
    if (f.from.kind === 'literal' && f.transform.length === 0) literals.push({ value: f.from.value, span: f.from.span, what: 'value' });
    if (f.default) literals.push({ value: f.default.value, span: f.default.span, what: 'default' });
  } else if (w.source.value.kind === 'literal') {
    literals.push({ value: w.source.value.value, span: w.source.value.span, what: 'value' });
  }
  const type = attr.type.value;
  const related = [{ message: `'${attr.target.value}' is registered here`, span: attr.target.span }];
  for (const lit of literals) {
    // null is never written (SPEC 3.2), so it cannot break the registry.
    if (lit.value === null || lit.value === undefined) continue;
    if (!matchesType(lit.value, type)) {
      ctx.report(
        diag(
          'MAPC0407',
          lit.span,
          `the ${lit.what} ${show(lit.value)} is not ${withArticle(type)}, but '${attr.target.value}' is registered as ${withArticle(type)}`,
          `write ${withArticle(type)} ${lit.what}`,
          related,
        ),
      );
    } else if (attr.enum && !attr.enum.value.some((e) => deepEqual(e, lit.value))) {
      ctx.report(
        diag(
          'MAPC0407',
          lit.span,
          `the ${lit.what} ${show(lit.value)} is not one of the allowed values of '${attr.target.value}': ${attr.enum.value.map(show).join(', ')}`,
          'use one of the allowed values, or add this one to the enum in mapc.yaml',
          related,
        ),
      );
    }
  }
}

/**
 * Whether a YAML literal fits a registry type: the runtime's own rule (runtime/engine.ts
 * `fitsRule`), so a value refused here is exactly one the Action would refuse to write.
 */
export function matchesType(v: unknown, type: AttributeType): boolean {
  return fitsRule({ type }, v);
}

function show(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : JSON.stringify(v);
}
