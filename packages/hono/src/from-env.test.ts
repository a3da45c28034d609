import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { fromEnv } from './index.ts';

describe('fromEnv()', () => {
  it('builds once per env object and again for another one', async () => {
    const built: unknown[] = [];
    const valueFor = fromEnv((env: { NAME?: string }) => {
      built.push(env);
      return { name: env.NAME };
    });
    const seen: unknown[] = [];
    const app = new Hono().get('/', (c) => {
      seen.push(valueFor(c));
      return c.text('ok');
    });
    const first = { NAME: 'first' };
    const second = { NAME: 'second' };
    for (const env of [first, first, second, first]) await app.request('/', undefined, env);
    expect(built).toEqual([first, second]);
    expect(seen[0]).toBe(seen[1]);
    expect(seen[0]).toBe(seen[3]);
    expect(seen[2]).toEqual({ name: 'second' });
  });

  it('builds once from an empty env where the runtime gives none', async () => {
    let builds = 0;
    const valueFor = fromEnv((env: object) => {
      builds++;
      return env;
    });
    const app = new Hono().get('/', (c) => c.json(valueFor(c)));
    const bodies = [await (await app.request('/')).json(), await (await app.request('/')).json()];
    expect({ builds, bodies }).toEqual({ builds: 1, bodies: [{}, {}] });
  });

  it('does not keep a failed build, so a fixed binding takes effect', async () => {
    const env: { SECRET?: string } = {};
    const valueFor = fromEnv((bindings: { SECRET?: string }) => {
      if (!bindings.SECRET) throw new Error('SECRET is not set');
      return bindings.SECRET;
    });
    const app = new Hono().get('/', (c) => c.text(valueFor(c))).onError((error, c) => c.text(error.message, 500));
    const before = await app.request('/', undefined, env);
    env.SECRET = 'now set';
    const after = await app.request('/', undefined, env);
    expect([before.status, await before.text(), after.status, await after.text()]).toEqual([500, 'SECRET is not set', 200, 'now set']);
  });

  it('refuses a build that is not a function', () => {
    expect(() => fromEnv('chat' as never)).toThrowError(
      expect.objectContaining({ code: 'INVALID_OPTIONS', message: 'fromEnv(build): expected a function (env) => value, got a string' }),
    );
  });
});
