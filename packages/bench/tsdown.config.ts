import { defineConfig } from 'tsdown';

// The harness and every server it starts are plain Node entry points; the Workers in src/workers are
// bundled at run time with esbuild, as Wrangler bundles a Worker.
export default defineConfig({
  entry: {
    run: 'src/run.ts',
    'servers/connect-stand-in': 'src/servers/connect-stand-in.ts',
    'servers/core-path': 'src/servers/core-path.ts',
    'servers/express-bare': 'src/servers/express-bare.ts',
    'servers/express-hand': 'src/servers/express-hand.ts',
    'servers/hono-bare': 'src/servers/hono-bare.ts',
    'servers/hono-hand': 'src/servers/hono-hand.ts',
    'servers/nest-bare': 'src/servers/nest-bare.ts',
    'servers/nest-hand': 'src/servers/nest-hand.ts',
    'servers/nest-fastify-bridge': 'src/servers/nest-fastify-bridge.ts',
  },
  format: ['esm'],
  platform: 'node',
  dts: false,
  clean: true,
  fixedExtension: false,
});
