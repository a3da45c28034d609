#!/usr/bin/env node
// Bundles a typical Cloudflare Worker (Hono + connect-chat, the way a Workers user bundles it) and
// prints its minified and gzip sizes. `--source` bundles the workspace sources instead of dist/.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const fromSource = process.argv.includes('--source');

const workers = {
  'all four providers': `
    import { createConnectChat, createSnsProvider, createStandardWebhooksProvider, createTwilioProvider, createWhatsAppProvider } from '@connect-chat/core';
    import { fromEnv, webhooks } from '@connect-chat/hono';
    import { Hono } from 'hono';
    const chatFor = fromEnv((env) => createConnectChat({
      providers: [
        createSnsProvider({ topicArns: env.SNS_TOPIC_ARNS.split(',') }),
        createTwilioProvider({ authToken: env.TWILIO_AUTH_TOKEN }),
        createWhatsAppProvider({ appSecret: env.WHATSAPP_APP_SECRET, verifyToken: env.WHATSAPP_VERIFY_TOKEN }),
        createStandardWebhooksProvider({ secret: env.STANDARD_WEBHOOK_SECRET }),
      ],
      route: { destination: env.CONNECT_DESTINATION_ID },
      sender: { region: env.AWS_REGION, credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY } },
    }));
    export default new Hono().use(webhooks(chatFor));`,
  'twilio only': `
    import { createConnectChat, createTwilioProvider } from '@connect-chat/core';
    import { fromEnv, webhooks } from '@connect-chat/hono';
    import { Hono } from 'hono';
    const chatFor = fromEnv((env) => createConnectChat({
      providers: [createTwilioProvider({ authToken: env.TWILIO_AUTH_TOKEN })],
      route: { destination: env.CONNECT_DESTINATION_ID },
      sender: { region: env.AWS_REGION, credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY } },
    }));
    export default new Hono().use(webhooks(chatFor));`,
};

const adapterOnly = "export { fromEnv, webhook, webhooks } from '@connect-chat/hono';";

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
for (const [name, contents] of [...Object.entries(workers), ['@connect-chat/hono alone (core and hono external)', adapterOnly]]) {
  const result = await build({
    external: contents === adapterOnly ? ['@connect-chat/core', 'hono'] : [],
    stdin: { contents, resolveDir: packageDir, loader: 'js', sourcefile: 'worker.js' },
    bundle: true,
    write: false,
    platform: 'browser',
    conditions: [...(fromSource ? ['source'] : []), 'workerd', 'worker', 'browser'],
    format: 'esm',
    minify: true,
    logLevel: 'error',
  });
  const bytes = result.outputFiles[0].contents;
  console.log(`${name}: ${kib(bytes.byteLength)} minified, ${kib(gzipSync(bytes, { level: 9 }).byteLength)} gzip`);
}
