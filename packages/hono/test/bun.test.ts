import { describeConformance } from '@connect-chat/conformance';
import { startBun } from './support/runtimes.ts';

// One Bun process for every case: webhook() per route, configuration from the environment.
describeConformance('hono on bun', (setup) => startBun({ ...setup.env, SNS_CERTIFICATE_SERVER_URL: setup.snsCertificateServerUrl }));
