import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerCommand } from './lib/processes.ts';

/** bare: the framework answering 200 (body parsed); hand: a hand-written handler; bridge: connect-chat. */
export type Role = 'bare' | 'hand' | 'bridge';

/** One server of the full-path comparison, started in its own process as its users start it. */
export interface Contender {
  /** Unique, for the JSON and the CI limits: `express/bridge`, `hono/hand`, … */
  id: string;
  framework: string;
  role: Role;
  label: string;
  command: ServerCommand;
}

const require = createRequire(import.meta.url);
const servers = fileURLToPath(new URL('./servers/', import.meta.url));

/** A sample bridge, started from its app folder with `node dist/main.js`. */
function sampleApp(name: string): Pick<ServerCommand, 'script' | 'cwd'> {
  const cwd = dirname(require.resolve(`@connect-chat/${name}/package.json`));
  return { script: join(cwd, 'dist/main.js'), cwd };
}

/** A server of this package (the baselines, the hand-written handlers). */
function benchServer(name: string, args: readonly string[] = []): ServerCommand {
  return { script: join(servers, `${name}.js`), args, cwd: dirname(servers) };
}

export const frameworks = {
  express: 'Express 5',
  'nest-express': 'NestJS 12 on Express',
  'nest-fastify': 'NestJS 12 on Fastify',
  hono: 'Hono on Node (@hono/node-server)',
} as const;
export type Framework = keyof typeof frameworks;

function contender(framework: Framework, role: Role, label: string, command: ServerCommand, variant?: string): Contender {
  return { id: `${framework}/${role}${variant ? `:${variant}` : ''}`, framework, role, label, command };
}

/** A bridge on the lean transport (`CONNECT_CLIENT=fetch`): a variant of its own, with its own ratio rows. */
function onLeanTransport(framework: Framework, label: string, command: ServerCommand): Contender {
  return contender(framework, 'bridge', `${label}, CONNECT_CLIENT=fetch`, { ...command, env: { CONNECT_CLIENT: 'fetch' } }, 'fetch');
}

/**
 * Every contender of the full-path comparison. Another variant of a bridge is one line (as each
 * bridge on the lean transport below), and it gets its own ratio rows against the same bare and
 * hand-written servers.
 */
export const contenders: Contender[] = [
  contender('express', 'bare', 'bare Express, urlencoded parser, 200', benchServer('express-bare')),
  contender('express', 'hand', 'hand-written: twilio + ConnectClient', benchServer('express-hand')),
  contender('express', 'bridge', 'apps/express-bridge', sampleApp('express-bridge')),
  onLeanTransport('express', 'apps/express-bridge', sampleApp('express-bridge')),
  contender('nest-express', 'bare', 'bare Nest controller, 200', benchServer('nest-bare', ['express'])),
  contender('nest-express', 'hand', 'hand-written: twilio + ConnectClient', benchServer('nest-hand', ['express'])),
  contender('nest-express', 'bridge', 'apps/nestjs-bridge', sampleApp('nestjs-bridge')),
  onLeanTransport('nest-express', 'apps/nestjs-bridge', sampleApp('nestjs-bridge')),
  contender('nest-fastify', 'bare', 'bare Nest controller, 200', benchServer('nest-bare', ['fastify'])),
  contender('nest-fastify', 'hand', 'hand-written: twilio + ConnectClient', benchServer('nest-hand', ['fastify'])),
  contender('nest-fastify', 'bridge', 'apps/nestjs-bridge on FastifyAdapter (bench copy)', benchServer('nest-fastify-bridge')),
  onLeanTransport('nest-fastify', 'apps/nestjs-bridge on FastifyAdapter (bench copy)', benchServer('nest-fastify-bridge')),
  contender('hono', 'bare', 'bare Hono, parseBody, 200', benchServer('hono-bare')),
  contender('hono', 'hand', 'hand-written: twilio + ConnectClient', benchServer('hono-hand')),
  contender('hono', 'bridge', 'apps/hono-bridge (Node entry)', sampleApp('hono-bridge')),
  onLeanTransport('hono', 'apps/hono-bridge (Node entry)', sampleApp('hono-bridge')),
];

/** This repository's root: where a baseline's paths are rebased from, and the `core-path` section's own build. */
export const repositoryRoot = resolve(servers, '../../../..');

/**
 * The contenders to run: `ids` keeps only those listed (`express/hand`, `express/bridge:fetch`, …);
 * `baseline`, the root of a built copy of this repository (say, the commit before a change, its
 * `dist` folders built and `node_modules` linked), adds each chosen bridge once more, started from
 * that copy, as the variant `before` (`express/bridge:before`, `express/bridge:fetch-before`): a
 * before/after comparison measured in the same rounds, under the same load from the neighbours.
 */
export function chooseContenders(ids: readonly string[] | undefined, baseline: string | undefined): Contender[] {
  const chosen = ids === undefined ? contenders : contenders.filter((contender) => ids.includes(contender.id));
  if (ids !== undefined) {
    for (const id of ids) if (!contenders.some((contender) => contender.id === id)) throw new Error(`BENCH_CONTENDERS: no contender "${id}"`);
  }
  if (baseline === undefined) return chosen;
  const rebase = (path: string) => join(baseline, relative(repositoryRoot, path));
  return chosen.flatMap((contender) => {
    if (contender.role !== 'bridge') return [contender];
    const [, variant] = contender.id.split(':');
    const before: Contender = {
      ...contender,
      id: `${contender.id.split(':')[0]}:${variant === undefined ? 'before' : `${variant}-before`}`,
      label: `${contender.label} (before: ${baseline})`,
      command: { ...contender.command, script: rebase(contender.command.script), cwd: rebase(contender.command.cwd) },
    };
    return [contender, before];
  });
}

/**
 * A server's name in a table: its framework and what its id says it is (`bridge:fetch` for the
 * bridge on the lean transport), so two bridges of one framework are told apart.
 *
 * @example
 * serverName({ id: 'express/bridge:fetch', framework: 'express' }); // 'Express 5: bridge:fetch'
 */
export function serverName(server: { id: string; framework: string }): string {
  return `${frameworks[server.framework as Framework]}: ${server.id.slice(server.id.indexOf('/') + 1)}`;
}
