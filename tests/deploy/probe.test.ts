import { it } from 'vitest';
import { compileOrThrow } from '../helpers/compiled';
it('p', async () => { const c = await compileOrThrow('tests/deploy/fixtures/external'); console.log(c.files.get('tenant.yaml')); });
