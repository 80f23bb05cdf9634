/**
 * Literal arguments the build checks beyond their type (a parameter's `check` in
 * runtime/signatures.ts): IANA time zones, date formats, secret names. The regular
 * expressions of `regex` parameters are checked by redos.ts.
 */
import { SECRET_NAME } from '../auth0';
import type { Param } from '../../runtime/signatures';
import { DATE_TOKENS, dateFormat } from '../../runtime/functions';
import { didYouMean } from './diag';

/** Auth0's limit on a secret's name (also MAPC0701 for the names of mapc.yaml). */
const SECRET_NAME_MAX = 128;

/** What is wrong with a literal, as the rest of a message after "'<param>' of '<fn>' ", and a hint. */
export interface LiteralProblem {
  readonly message: string;
  readonly hint?: string;
}

let zoneNames: readonly string[] | undefined;

/** The time zones this Node.js knows (its ICU's), for "did you mean". */
function knownZones(): readonly string[] {
  zoneNames ??= ['UTC', ...Intl.supportedValuesOf('timeZone')];
  return zoneNames;
}

/** Whether Node.js knows the IANA time zone (names are case-insensitive, as for Intl). */
export function isTimeZone(zone: string): boolean {
  // An offset ('+01:00') is a time zone for Node 22's Intl, not for Node 20's: refused on both.
  if (!/^[A-Za-z]/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The problem with `value` as a literal of kind `check`, or undefined when it is fine. */
export function literalProblem(check: NonNullable<Param['check']>, value: string): LiteralProblem | undefined {
  switch (check) {
    case 'secret':
      // The text itself is not repeated: it may be a secret's value pasted by mistake.
      if (SECRET_NAME.test(value) && value.length <= SECRET_NAME_MAX) return undefined;
      return {
        message: 'must be the name of an Action secret',
        hint: `letters, digits and _ (such as WEBHOOK_KEY), at most ${SECRET_NAME_MAX} characters: the secret's name, never its value`,
      };
    case 'time_zone':
      if (isTimeZone(value)) return undefined;
      return {
        message: `is not a time zone: '${value}'`,
        hint: didYouMean(value, knownZones()) ?? "an IANA time zone name such as 'Europe/Berlin', 'America/New_York' or 'UTC' (an offset is not one: 'Etc/GMT-1' is UTC+01:00 all year)",
      };
    case 'date_format':
    case 'parse_format': {
      const f = dateFormat(value, check === 'parse_format');
      if (typeof f !== 'string') return undefined;
      // 'YYYY', 'DD', 'hh': the token in the other case.
      const run = /^'([A-Za-z]+)' is not a token/.exec(f)?.[1];
      const token = run === undefined ? undefined : DATE_TOKENS.find((t) => t.toLowerCase() === run.toLowerCase());
      return {
        message: `is not a date format: ${f}`,
        hint: token !== undefined ? `did you mean '${token}'?` : "'iso', 'rfc2822', 'unix', 'unix_ms', or a pattern such as 'dd.MM.yyyy HH:mm' (Date formats in docs/language.md)",
      };
    }
  }
}
