// A Cloudflare Worker written as a user would: secrets from bindings, the bridge built once per env.
import { createConnectChat } from '@connect-chat/core';
import { fromEnv } from '@connect-chat/hono';
import { mountBodyProbe } from '../app/body-probe.ts';
import { type BridgeEnv, chatOptionsFromEnv } from '../app/chat-options-from-env.ts';
import { createBridgeApp } from '../app/create-bridge-app.ts';
import { testFetch } from '../runtimes/test-fetch.ts';

let builds = 0;
const chatFor = fromEnv((env: BridgeEnv) => {
  builds++;
  return createConnectChat(chatOptionsFromEnv(env, testFetch(env)));
});

const app = createBridgeApp(chatFor, 'middleware');
// Lets the test see that the bridge is built once per isolate, not once per request.
app.get('/_test/builds', (c) => c.json({ builds }));
mountBodyProbe(app);

export default app;
