import { describeConformance } from '@connect-chat/conformance';
import { matrix, startNestApp } from './nest-app.ts';

// The shared webhook cases on every combination of module factory and HTTP platform. On Express,
// Nest's global JSON/form parsers run before any module middleware and answer malformed or
// oversized bodies themselves (README "Pitfalls"; pinned in webhook-routes.test.ts), so the suite
// runs with them off, the setup in which core answers every request; Fastify runs as created.
for (const [factory, platform] of matrix) {
  describeConformance(`nestjs 12 ${platform} ${factory}`, async (setup) => {
    const bodyParser = platform === 'fastify';
    const { baseUrl, close } = await startNestApp({ factory, platform, options: setup.connectChatOptions(), bodyParser });
    return { baseUrl, close };
  });
}
