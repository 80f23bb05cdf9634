import { it, expect } from 'vitest';
import { mapc } from './helpers';
it('debug', async () => {
  const r = await mapc(['test', process.env.F ?? 'risk-check']);
  console.log(r.stdout.slice(-300), r.stderr);
  expect(r.exit).toBe(0);
}, 30000);
