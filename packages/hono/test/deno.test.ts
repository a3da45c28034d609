import { describeConformance } from '@connect-chat/conformance';
import { startDeno } from './support/runtimes.ts';

// One Deno process for every case: webhooks() middleware, configuration from the environment.
describeConformance('hono on deno', (setup) => startDeno({ ...setup.env, SNS_CERTIFICATE_SERVER_URL: setup.snsCertificateServerUrl }));
