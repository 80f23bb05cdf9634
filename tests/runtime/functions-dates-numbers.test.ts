/**
 * The library functions of #18 item 3's second batch: dates in time zones (parse_date,
 * format_date, add_days, days_between), numbers (format_number, clamp), text (pad_start,
 * remove_accents, normalize_phone) and hmac_sha256. Each edge case once: null in, wrong type,
 * bad format, leap days, daylight saving time, a missing secret whose log line holds no value.
 * Their examples run in functions.test.ts.
 */
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as fns from '../../runtime/functions';
import { SIGNATURES } from '../../runtime/signatures';
import { captureLogs } from './helpers';

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());

/** Asserts that `fn` logged a conversion failure (with `msg`, when given) during this test. */
function expectLogged(fn: string, msg?: string) {
  const entries = logs.parsed();
  expect(entries.some((e) => e.fn === fn && (msg === undefined || e.msg === msg)), JSON.stringify(entries)).toBe(true);
}

function expectNoLog() {
  expect(logs.lines).toEqual([]);
}

describe('dateFormat (the build checks format literals with it)', () => {
  it('splits a pattern into tokens and literal text', () => {
    expect(fns.dateFormat('yyyy-MM-ddTHH:mm')).toEqual(['yyyy', "'-", 'MM', "'-", 'dd', "'T", 'HH', "':", 'mm']);
    expect(fns.dateFormat('d MMM yyyy [at] H')).toEqual(['d', "' ", 'MMM', "' ", 'yyyy', "' ", "'at", "' ", 'H']);
    expect(fns.dateFormat('iso')).toEqual(['iso']);
    expect(fns.dateFormat('unix_ms', true)).toEqual(['unix_ms']);
  });

  it('says what is wrong', () => {
    expect(fns.dateFormat('YYYY-MM-DD')).toMatch(/^'YYYY' is not a token/);
    expect(fns.dateFormat('yyyy-MMMM')).toMatch(/^'MMMM' is not a token/);
    expect(fns.dateFormat('yyyy [at')).toBe("a '[' without its ']'");
    expect(fns.dateFormat('HH:mm', true)).toBe('a format to parse needs yyyy');
    expect(fns.dateFormat('HH:mm')).toEqual(['HH', "':", 'mm']);
    expect(fns.dateFormat('')).toBe('an empty format');
  });
});

describe('parse_date', () => {
  it('reads ISO 8601: date only, time, fractions, offsets, a space or a lower-case z', () => {
    expect(fns.fn_parse_date('2024-01-02', 'iso')).toBe('2024-01-02T00:00:00.000Z');
    expect(fns.fn_parse_date('2024-01-02T03:04', 'iso')).toBe('2024-01-02T03:04:00.000Z');
    expect(fns.fn_parse_date(' 2024-01-02T03:04:05.123456+05:30 ', 'iso')).toBe('2024-01-01T21:34:05.123Z');
    expect(fns.fn_parse_date('2024-01-02 03:04:05,5z', 'iso')).toBe('2024-01-02T03:04:05.500Z');
    expect(fns.fn_parse_date('2024-01-02T03:04:05-0800', 'iso')).toBe('2024-01-02T11:04:05.000Z');
    expect(fns.fn_parse_date('2024-01-02T03:04:05+01', 'iso')).toBe('2024-01-02T02:04:05.000Z');
    expectNoLog();
  });

  it('reads a time without an offset on the wall clock of the zone; an offset wins over the zone', () => {
    expect(fns.fn_parse_date('2024-01-02T09:00', 'iso', 'Asia/Tokyo')).toBe('2024-01-02T00:00:00.000Z');
    expect(fns.fn_parse_date('2024-07-02T09:00', 'iso', 'America/New_York')).toBe('2024-07-02T13:00:00.000Z');
    expect(fns.fn_parse_date('2024-01-02T09:00Z', 'iso', 'Asia/Tokyo')).toBe('2024-01-02T09:00:00.000Z');
    expect(fns.fn_parse_date('2024-01-02 09:00 +0100', 'yyyy-MM-dd HH:mm Z', 'Asia/Tokyo')).toBe('2024-01-02T08:00:00.000Z');
    expect(fns.fn_parse_date('2024-01-02T09:00', 'iso', null)).toBe('2024-01-02T09:00:00.000Z');
    expect(fns.fn_parse_date('2024-01-02T09:00', 'iso', 'UTC')).toBe('2024-01-02T09:00:00.000Z');
  });

  it('takes the earlier of a repeated hour and moves a skipped hour past the gap (Berlin, New York)', () => {
    // Spring forward: 02:00 → 03:00 local; 02:30 does not exist and is read as 03:30 summer time.
    expect(fns.fn_parse_date('2024-03-31 02:30', 'yyyy-MM-dd HH:mm', 'Europe/Berlin')).toBe('2024-03-31T01:30:00.000Z');
    expect(fns.fn_parse_date('2024-03-31 01:59', 'yyyy-MM-dd HH:mm', 'Europe/Berlin')).toBe('2024-03-31T00:59:00.000Z');
    expect(fns.fn_parse_date('2024-03-31 03:00', 'yyyy-MM-dd HH:mm', 'Europe/Berlin')).toBe('2024-03-31T01:00:00.000Z');
    expect(fns.fn_parse_date('2024-03-10 02:30', 'yyyy-MM-dd HH:mm', 'America/New_York')).toBe('2024-03-10T07:30:00.000Z');
    // Fall back: 03:00 → 02:00 local; 02:30 happens twice, the first (summer time) is taken.
    expect(fns.fn_parse_date('2024-10-27 02:30', 'yyyy-MM-dd HH:mm', 'Europe/Berlin')).toBe('2024-10-27T00:30:00.000Z');
    expect(fns.fn_parse_date('2024-10-27 03:30', 'yyyy-MM-dd HH:mm', 'Europe/Berlin')).toBe('2024-10-27T02:30:00.000Z');
    expect(fns.fn_parse_date('2024-11-03 01:30', 'yyyy-MM-dd HH:mm', 'America/New_York')).toBe('2024-11-03T05:30:00.000Z');
  });

  it('knows leap years, month lengths and clock ranges', () => {
    expect(fns.fn_parse_date('2024-02-29', 'iso')).toBe('2024-02-29T00:00:00.000Z');
    expect(fns.fn_parse_date('2000-02-29', 'iso')).toBe('2000-02-29T00:00:00.000Z');
    expectNoLog();
    for (const bad of ['2023-02-29', '1900-02-29', '2100-02-29', '2024-04-31', '2024-13-01', '2024-00-10', '2024-01-00', '0000-01-01', '2024-01-01T24:00', '2024-01-01T23:60', '2024-01-01T23:59:60', '2024-01-01T10:00+24:00', '2024-01-01T10:00+01:60']) {
      expect(fns.fn_parse_date(bad, 'iso'), bad).toBeNull();
    }
    expectLogged('parse_date', 'not a date in that format');
  });

  it('reads RFC 2822 dates, with or without the weekday and seconds, GMT/UT/Z or an offset', () => {
    expect(fns.fn_parse_date('Mon, 01 Jan 2024 00:00:00 GMT', 'rfc2822')).toBe('2024-01-01T00:00:00.000Z');
    expect(fns.fn_parse_date('1 jul 2003 10:52 -0700', 'rfc2822')).toBe('2003-07-01T17:52:00.000Z');
    expect(fns.fn_parse_date('Tue, 1 Jul 2003 10:52:37 UT', 'rfc2822')).toBe('2003-07-01T10:52:37.000Z');
    expect(fns.fn_parse_date('1 Foo 2024 00:00 +0000', 'rfc2822')).toBeNull();
    expect(fns.fn_parse_date('1 Jan 2024 00:00 +2500', 'rfc2822')).toBeNull();
    expect(fns.fn_parse_date('1 Jan 2024 00:00', 'rfc2822')).toBeNull();
    expectLogged('parse_date');
  });

  it('reads epoch seconds and milliseconds, as numbers or digits', () => {
    expect(fns.fn_parse_date(1700000000.5, 'unix')).toBe('2023-11-14T22:13:20.500Z');
    expect(fns.fn_parse_date(' -1 ', 'unix')).toBe('1969-12-31T23:59:59.000Z');
    expect(fns.fn_parse_date('1700000000123', 'unix_ms')).toBe('2023-11-14T22:13:20.123Z');
    expect(fns.fn_parse_date(0, 'unix_ms')).toBe('1970-01-01T00:00:00.000Z');
    expectNoLog();
    expect(fns.fn_parse_date('17e8', 'unix')).toBeNull();
    expect(fns.fn_parse_date(1e300, 'unix')).toBeNull();
    expect(fns.fn_parse_date(true, 'unix_ms')).toBeNull();
    expectLogged('parse_date', 'not a date');
  });

  it('reads patterns: fixed and variable widths, month names, weekdays, brackets, offsets', () => {
    expect(fns.fn_parse_date('20240131', 'yyyyMMdd')).toBe('2024-01-31T00:00:00.000Z');
    expect(fns.fn_parse_date(20240131, 'yyyyMMdd')).toBe('2024-01-31T00:00:00.000Z');
    expect(fns.fn_parse_date('1/2/2024 7:05', 'M/d/yyyy H:mm')).toBe('2024-01-02T07:05:00.000Z');
    expect(fns.fn_parse_date('fri 5 JAN 2024', 'EEE d MMM yyyy')).toBe('2024-01-05T00:00:00.000Z');
    expect(fns.fn_parse_date('2024-01-05 at 10:00:01.250', 'yyyy-MM-dd [at] HH:mm:ss.SSS')).toBe('2024-01-05T10:00:01.250Z');
    expect(fns.fn_parse_date('2024-01-02T03:04:05+01:00', 'yyyy-MM-ddTHH:mm:ssX')).toBe('2024-01-02T02:04:05.000Z');
    expect(fns.fn_parse_date('2024-01-02T03:04:05Z', 'yyyy-MM-ddTHH:mm:ssX', 'Asia/Tokyo')).toBe('2024-01-02T03:04:05.000Z');
    expect(fns.fn_parse_date('03/2027', 'MM/yyyy')).toBe('2027-03-01T00:00:00.000Z');
    // Regular-expression characters in the pattern are literal text.
    expect(fns.fn_parse_date('2024.01.05 (+)|', 'yyyy.MM.dd (+)|')).toBe('2024-01-05T00:00:00.000Z');
    expectNoLog();
    expect(fns.fn_parse_date('2024x01x05', 'yyyy.MM.dd')).toBeNull();
    expectLogged('parse_date', 'not a date in that format');
  });

  it('refuses text that does not match, a month name it does not know, a bad offset, too long a text', () => {
    for (const [text, format] of [
      ['2024-1-05', 'yyyy-MM-dd'],
      ['2024-01-05x', 'yyyy-MM-dd'],
      ['5 Mai 2024', 'd MMM yyyy'],
      ['2024-01-05 +25:00', 'yyyy-MM-dd X'],
      ['2024-01-05 +01:61', 'yyyy-MM-dd X'],
    ] as const) {
      expect(fns.fn_parse_date(text, format), text).toBeNull();
    }
    expect(fns.fn_parse_date('2024-01-05' + ' '.repeat(100), 'iso')).toBeNull();
    expectLogged('parse_date', 'not a date in that format');
  });

  it('is null for null, logged for a value that is not text, a bad format or an unknown zone', () => {
    expect(fns.fn_parse_date(null, 'iso')).toBeNull();
    expect(fns.fn_parse_date(undefined, 'yyyy')).toBeNull();
    expectNoLog();
    expect(fns.fn_parse_date({}, 'iso')).toBeNull();
    expectLogged('parse_date', 'not text');
    for (const f of ['HH:mm', 'YYYY', 42]) expect(fns.fn_parse_date('2024', f)).toBeNull();
    expect(fns.fn_parse_date('2024', 'HH:mm')).toBeNull(); // cached as invalid for parsing...
    expectLogged('parse_date', 'bad format');
    expect(fns.fn_format_date('2024-01-01T10:20:00Z', 'HH:mm')).toBe('10:20'); // ...not for formatting
    expect(fns.fn_parse_date('2024-01-01', 'iso', 'Mars/Olympus')).toBeNull();
    expect(fns.fn_parse_date('2024-01-01', 'iso', 42)).toBeNull();
    expectLogged('parse_date', 'unknown time zone');
  });
});

describe('format_date', () => {
  it('writes ISO 8601 with the offset of the zone, Z in UTC', () => {
    expect(fns.fn_format_date('2024-07-01T12:00:00Z', 'iso')).toBe('2024-07-01T12:00:00.000Z');
    expect(fns.fn_format_date('2024-01-01T12:00:00Z', 'iso', 'Europe/Berlin')).toBe('2024-01-01T13:00:00.000+01:00');
    expect(fns.fn_format_date('2024-07-01T12:00:00Z', 'iso', 'Asia/Kolkata')).toBe('2024-07-01T17:30:00.000+05:30');
    expect(fns.fn_format_date('2024-07-01T12:00:00Z', 'iso', 'America/St_Johns')).toBe('2024-07-01T09:30:00.000-02:30');
    expect(fns.fn_format_date(1704067200000, 'iso', 'Pacific/Kiritimati')).toBe('2024-01-01T14:00:00.000+14:00');
    expectNoLog();
  });

  it('follows daylight saving time on both sides of each change (Berlin)', () => {
    expect(fns.fn_format_date('2024-03-31T00:59:59Z', 'iso', 'Europe/Berlin')).toBe('2024-03-31T01:59:59.000+01:00');
    expect(fns.fn_format_date('2024-03-31T01:00:00Z', 'iso', 'Europe/Berlin')).toBe('2024-03-31T03:00:00.000+02:00');
    expect(fns.fn_format_date('2024-10-27T00:59:59Z', 'iso', 'Europe/Berlin')).toBe('2024-10-27T02:59:59.000+02:00');
    expect(fns.fn_format_date('2024-10-27T01:00:00Z', 'iso', 'Europe/Berlin')).toBe('2024-10-27T02:00:00.000+01:00');
  });

  it('writes every token, RFC 2822 and epoch seconds/milliseconds', () => {
    const t = '2024-02-29T07:05:09.045Z';
    expect(fns.fn_format_date(t, 'yyyy yyyyMMdd M d MMM EEE HH H mm ss SSS X Z [at] T', 'America/New_York')).toBe('2024 20240229 2 29 Feb Thu 02 2 05 09 045 -05:00 -0500 at T');
    expect(fns.fn_format_date(t, 'X Z')).toBe('Z +0000');
    expect(fns.fn_format_date(t, 'rfc2822', 'Europe/Berlin')).toBe('Thu, 29 Feb 2024 08:05:09 +0100');
    expect(fns.fn_format_date(t, 'unix')).toBe('1709190309');
    expect(fns.fn_format_date(-1, 'unix')).toBe('-1');
    expect(fns.fn_format_date(t, 'unix_ms', 'Asia/Tokyo')).toBe('1709190309045');
    expect(fns.fn_format_date('0099-06-01T00:00:00Z', 'yyyy-MM-dd')).toBe('0099-06-01');
  });

  it('reads back what it writes, in a zone with daylight saving time', () => {
    for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2025, 0, 1); t += 7 * 3_600_000 + 11 * 60_000) {
      const text = fns.fn_format_date(t, 'iso', 'America/New_York')!;
      expect(fns.fn_parse_date(text, 'iso')).toBe(new Date(t).toISOString());
    }
  });

  it('is null for null, logged for what is not a date, outside the years 1–9999, a bad format or zone', () => {
    expect(fns.fn_format_date(null, 'iso')).toBeNull();
    expectNoLog();
    expect(fns.fn_format_date('soon', 'iso')).toBeNull();
    expect(fns.fn_format_date({}, 'iso')).toBeNull();
    expectLogged('format_date', 'not a date');
    expect(fns.fn_format_date('0001-01-01T00:00:00Z', 'iso', 'America/New_York')).toBeNull();
    expect(fns.fn_format_date('9999-12-31T23:00:00Z', 'iso', 'Asia/Tokyo')).toBeNull();
    expect(fns.fn_format_date(-8.64e15, 'iso')).toBeNull();
    expectLogged('format_date', 'year out of range');
    expect(fns.fn_format_date(0, 'YYYY')).toBeNull();
    expect(fns.fn_format_date(0, null)).toBeNull();
    expectLogged('format_date', 'bad format');
    expect(fns.fn_format_date(0, 'iso', 'Europe/Pariss')).toBeNull();
    expectLogged('format_date', 'unknown time zone');
  });
});

describe('add_days and days_between', () => {
  it('add days of 24 hours, across a leap day; fractions are hours', () => {
    expect(fns.fn_add_days('2024-02-28T10:00:00Z', 1)).toBe('2024-02-29T10:00:00.000Z');
    expect(fns.fn_add_days('2023-02-28T10:00:00Z', 1)).toBe('2023-03-01T10:00:00.000Z');
    expect(fns.fn_add_days(0, -0.25)).toBe('1969-12-31T18:00:00.000Z');
    expect(fns.fn_add_days('86400000', 14)).toBe('1970-01-16T00:00:00.000Z');
    expectNoLog();
  });

  it('add_days: null in is null; a bad date or number, or out of range, is logged', () => {
    expect(fns.fn_add_days(null, 1)).toBeNull();
    expect(fns.fn_add_days('2024-01-01', null)).toBeNull();
    expectNoLog();
    expect(fns.fn_add_days('2024-01-01', '1')).toBeNull();
    expect(fns.fn_add_days('2024-01-01', Infinity)).toBeNull();
    expectLogged('add_days');
    expect(fns.fn_add_days('someday', 1)).toBeNull();
    expectLogged('add_days', 'not a date');
    expect(fns.fn_add_days(8.64e15, 1)).toBeNull();
    expectLogged('add_days', 'out of range');
  });

  it('days_between: fractional, negative when the second is earlier, across a leap day', () => {
    expect(fns.fn_days_between('2024-02-28', '2024-03-01')).toBe(2);
    expect(fns.fn_days_between('2023-02-28', '2023-03-01')).toBe(1);
    expect(fns.fn_days_between(86_400_000, 0)).toBe(-1);
    expect(fns.fn_days_between('2024-01-01T00:00:00Z', '2024-01-01T06:00:00+00:00')).toBe(0.25);
    expect(fns.fn_days_between(null, '2024-01-01')).toBeNull();
    expect(fns.fn_days_between('2024-01-01', undefined)).toBeNull();
    expectNoLog();
    expect(fns.fn_days_between('2024-01-01', 'later')).toBeNull();
    expect(fns.fn_days_between([], '2024-01-01')).toBeNull();
    expectLogged('days_between', 'not a date');
  });
});

describe('format_number and clamp', () => {
  it('format_number: fixed decimals, no grouping, halves away from zero on the decimal digits', () => {
    const cases: [number, number, string][] = [
      [1234.5, 2, '1234.50'],
      [0.1 + 0.2, 2, '0.30'],
      [1.005, 2, '1.01'],
      [1.45, 1, '1.5'],
      [2.5, 0, '3'],
      [-2.5, 0, '-3'],
      [-0.004, 2, '0.00'],
      [-0, 1, '0.0'],
      [1e-7, 3, '0.000'],
      [123456789.125, 2, '123456789.13'],
      [5e-324, 20, '0.00000000000000000000'],
      [9.5e20, 2, '950000000000000000000.00'],
      [42, 0, '42'],
      [1.9, 0.9, '2'],
    ];
    for (const [n, d, out] of cases) expect(fns.fn_format_number(n, d), `${n}, ${d}`).toBe(out);
    expectNoLog();
  });

  it('format_number: null in is null; decimals out of range, too large, not a number → logged', () => {
    expect(fns.fn_format_number(null, 2)).toBeNull();
    expect(fns.fn_format_number(1, null)).toBeNull();
    expectNoLog();
    expect(fns.fn_format_number(1, 21)).toBeNull();
    expect(fns.fn_format_number(1, -1)).toBeNull();
    expectLogged('format_number', 'decimals out of range');
    expect(fns.fn_format_number(1e21, 0)).toBeNull();
    expect(fns.fn_format_number(-1e21, 0)).toBeNull();
    expectLogged('format_number', 'too large');
    expect(fns.fn_format_number('1.5', 1)).toBeNull();
    expect(fns.fn_format_number(NaN, 1)).toBeNull();
    expect(fns.fn_format_number(1, 'x')).toBeNull();
    expectLogged('format_number');
  });

  it('clamp keeps a number between min and max', () => {
    expect(fns.fn_clamp(5, 0, 10)).toBe(5);
    expect(fns.fn_clamp(-1, 0, 10)).toBe(0);
    expect(fns.fn_clamp(11, 0, 10)).toBe(10);
    expect(fns.fn_clamp(3, 3, 3)).toBe(3);
    expect(fns.fn_clamp(null, 0, 1)).toBeNull();
    expect(fns.fn_clamp(1, null, 1)).toBeNull();
    expectNoLog();
    expect(fns.fn_clamp(1, 2, 0)).toBeNull();
    expectLogged('clamp', 'min above max');
    expect(fns.fn_clamp('5', 0, 10)).toBeNull();
    expect(fns.fn_clamp(5, 0, Infinity)).toBeNull();
    expectLogged('clamp');
  });
});

describe('pad_start and remove_accents', () => {
  it('pad_start counts code points, repeats the fill, defaults to a space', () => {
    expect(fns.fn_pad_start('42', 6, '0')).toBe('000042');
    expect(fns.fn_pad_start(42, 4, 0)).toBe('0042');
    expect(fns.fn_pad_start('x', 3)).toBe('  x');
    expect(fns.fn_pad_start('é', 3, 'ab')).toBe('abé');
    expect(fns.fn_pad_start('x', 3, '😀')).toBe('😀😀x');
    expect(fns.fn_pad_start('😀😀', 2, '0')).toBe('😀😀');
    expect(fns.fn_pad_start('abc', 5, '')).toBe('abc');
    expect(fns.fn_pad_start('abc', -5, '0')).toBe('abc');
    expect(fns.fn_pad_start('abc', 1024, '0')).toHaveLength(1024);
    expect(fns.fn_pad_start(null, 3, '0')).toBeNull();
    expect(fns.fn_pad_start('a', null, '0')).toBeNull();
    expectNoLog();
    expect(fns.fn_pad_start('a', 1025, '0')).toBeNull();
    expectLogged('pad_start', 'length too large');
    expect(fns.fn_pad_start('a', 3, {})).toBeNull();
    expectLogged('pad_start', 'not text');
  });

  it('remove_accents drops combining accents and keeps other scripts whole', () => {
    expect(fns.fn_remove_accents('Crème brûlée, Ça, Ñandú')).toBe('Creme brulee, Ca, Nandu');
    // Decomposed input (e + U+0301) too.
    expect(fns.fn_remove_accents('Cafe\u0301')).toBe('Cafe');
    // Hangul decomposes under NFD and must come back whole; ß, ø have no decomposition.
    expect(fns.fn_remove_accents('한국어 ß ø Łódź')).toBe('한국어 ß ø Łodz');
    expect(fns.fn_remove_accents(12)).toBe('12');
    expect(fns.fn_remove_accents(null)).toBeNull();
    expectNoLog();
    expect(fns.fn_remove_accents(['é'])).toBeNull();
    expectLogged('remove_accents');
  });
});

describe('normalize_phone', () => {
  it('normalises international numbers: +, 00, separators, (0)', () => {
    const cases: [string, string][] = [
      ['+44 (0)20 7946 0958', '+442079460958'],
      ['0044 20 7946 0958', '+442079460958'],
      ['+1 555.010.4477', '+15550104477'],
      ['+49 (0) 30 / 123456', '+4930123456'],
      ['  +33-1-23-45-67-89 ', '+33123456789'],
    ];
    for (const [a, b] of cases) expect(fns.fn_normalize_phone(a), a).toBe(b);
    expectNoLog();
  });

  it('reads a national number in the default country: trunk 0 dropped (not for Italy), the NANP leading 1', () => {
    expect(fns.fn_normalize_phone('030 1234567', '49')).toBe('+49301234567');
    expect(fns.fn_normalize_phone('030 1234567', '+49')).toBe('+49301234567');
    expect(fns.fn_normalize_phone('030 1234567', 49)).toBe('+49301234567');
    expect(fns.fn_normalize_phone('06 1234 5678', '39')).toBe('+390612345678');
    expect(fns.fn_normalize_phone('1 (555) 010-4477', '1')).toBe('+15550104477');
    expect(fns.fn_normalize_phone('(555) 010-4477', '1')).toBe('+15550104477');
    // A + or 00 number ignores the default country.
    expect(fns.fn_normalize_phone('+44 20 7946 0958', '1')).toBe('+442079460958');
    expectNoLog();
  });

  it('refuses letters, a + inside, no or a bad country, and lengths outside 8–15 digits (logged)', () => {
    for (const bad of ['555-0100 ext. 7', 'call me', '+44 +20 7946', '+0 123 456 789', '+1 555', '+1234567890123456', '']) {
      expect(fns.fn_normalize_phone(bad, '1'), bad).toBeNull();
    }
    expectLogged('normalize_phone', 'not a phone number');
    expect(fns.fn_normalize_phone('030 1234567')).toBeNull();
    expectLogged('normalize_phone', 'no country code');
    for (const cc of ['0', '1234', 'de', '']) expect(fns.fn_normalize_phone('030 1234567', cc), cc).toBeNull();
    expectLogged('normalize_phone', 'bad country code');
    expect(fns.fn_normalize_phone('030 1234567', {})).toBeNull();
    expect(fns.fn_normalize_phone(null, '49')).toBeNull();
  });
});

describe('hmac_sha256', () => {
  const event = (secrets: unknown) => ({ user: {}, secrets });

  it('matches RFC 4231 test cases 1 and 2', () => {
    expect(fns.fn_hmac_sha256(event({ K: 'Jefe' }), 'what do ya want for nothing?', 'K')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    expect(fns.fn_hmac_sha256(event({ K: '\x0b'.repeat(20) }), 'Hi There', 'K')).toBe('b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7');
    expectNoLog();
  });

  it('signs the UTF-8 text of a scalar', () => {
    const k = event({ K: 'key' });
    expect(fns.fn_hmac_sha256(k, 42, 'K')).toBe(fns.fn_hmac_sha256(k, '42', 'K'));
    expect(fns.fn_hmac_sha256(k, 'é😀', 'K')).toBe(createHmac('sha256', 'key').update(Buffer.from('é😀', 'utf8')).digest('hex'));
    expect(fns.fn_hmac_sha256(k, true, 'K')).toBe(createHmac('sha256', 'key').update('true').digest('hex'));
  });

  it('is null without a log for null text', () => {
    expect(fns.fn_hmac_sha256(event({ K: 'Jefe' }), null, 'K')).toBeNull();
    expect(fns.fn_hmac_sha256(event({ K: 'Jefe' }), undefined, 'K')).toBeNull();
    expectNoLog();
  });

  it('is a logged null when the secret is missing or empty; the line names it and holds no secret value', () => {
    const secrets = { OTHER: 'other-secret-value-1234', EMPTY: '' };
    for (const [ev, name] of [
      [event(secrets), 'SIGNING_KEY'],
      [event(secrets), 'EMPTY'],
      [event(undefined), 'SIGNING_KEY'],
      [event({ SIGNING_KEY: 42 }), 'SIGNING_KEY'],
      [event(Object.create({ SIGNING_KEY: 'inherited-value' })), 'SIGNING_KEY'],
      [event(secrets), '__proto__'],
      [null, 'SIGNING_KEY'],
      [event(secrets), 7],
    ] as const) {
      expect(fns.fn_hmac_sha256(ev, 'payload', name)).toBeNull();
    }
    const entries = logs.parsed();
    expect(entries.filter((e) => e.fn === 'hmac_sha256').length).toBe(8);
    expect(entries[0]!.msg).toBe('secret SIGNING_KEY not set');
    const all = logs.lines.join('\n');
    expect(all).not.toContain('other-secret-value');
    expect(all).not.toContain('inherited-value');
    expect(all).not.toContain('payload');
  });

  it('refuses text with a lone surrogate (it has no UTF-8 form)', () => {
    expect(fns.fn_hmac_sha256(event({ K: 'Jefe' }), 'a\uD800', 'K')).toBeNull();
    expectLogged('hmac_sha256', 'not well-formed text');
    expect(fns.fn_hmac_sha256(event({ K: 'Jefe' }), {}, 'K')).toBeNull();
    expectLogged('hmac_sha256', 'not text');
  });
});

describe('parse formats stay fast', () => {
  it("refuses a one-or-two-digit token next to another number ('Md', 'yyyyMd', 'Hmm')", () => {
    for (const f of ['yyyyMd', 'yyyy-Md', 'd/Myyyy', 'yyyy-MM-dd Hmm']) expect(fns.dateFormat(f, true), f).toMatch(/ambiguous to read/);
    // Formatting them is not ambiguous.
    expect(fns.dateFormat('yyyyMd')).toEqual(['yyyy', 'M', 'd']);
    expect(fns.dateFormat('d MMM yyyy', true)).toEqual(['d', "' ", 'MMM', "' ", 'yyyy']);
    expect(fns.dateFormat('dMMMyyyy', true)).toEqual(['d', 'MMM', 'yyyy']);
  });

  it('reads a long text against a pattern with many tokens quickly', () => {
    const pattern = Array.from({ length: 12 }, () => 'd.').join('') + 'yyyy';
    const start = performance.now();
    expect(fns.fn_parse_date('1.'.repeat(49) + 'x', pattern)).toBeNull();
    expect(performance.now() - start).toBeLessThan(100);
  });
});

/** A value in a failure message (String() throws for an object without a prototype). */
const label = (x: unknown): string => (typeof x === 'string' ? JSON.stringify(x.slice(0, 20)) : typeof x === 'object' && x !== null ? (Array.isArray(x) ? 'array' : 'object') : String(x));

describe('totality', () => {
  const NEW = ['parse_date', 'format_date', 'add_days', 'days_between', 'format_number', 'clamp', 'pad_start', 'remove_accents', 'normalize_phone', 'hmac_sha256'];
  const odd: unknown[] = [null, undefined, true, 0, -0, -1, 2.5, NaN, Infinity, 1e300, '', 'x', 'UTC', 'iso', '2024-02-29', '+1 555', '\uD800', 'é'.repeat(3000), [], ['a'], {}, { a: 1 }, Object.create(null)];

  it.each(NEW)('%s never throws, whatever it is given', (name) => {
    const fn = (fns as unknown as Record<string, (...a: unknown[]) => unknown>)[`fn_${name}`]!;
    const sig = SIGNATURES[name]!;
    const events = sig.readsEvent ? [null, {}, { secrets: null }, { secrets: { K: 'k', x: 'v' } }] : [undefined];
    const n = sig.params.length;
    for (const ev of events) {
      for (const a of odd) {
        for (const b of n > 1 ? odd : [undefined]) {
          for (const c of n > 2 ? [undefined, null, 'UTC', 'Europe/Berlin', 3, {}] : [undefined]) {
            const args = sig.readsEvent ? [ev, a, b, c] : [a, b, c];
            expect(() => fn(...args), `${name}(${[a, b, c].map(label).join(', ')})`).not.toThrow();
          }
        }
      }
    }
  });
});
