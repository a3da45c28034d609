import { describeConformance } from '@connect-chat/conformance';
import { createConnectChat } from '@connect-chat/core';
import express5 from 'express';
import express4 from 'express4';
import { webhooks } from '../src/index.ts';
import { listen } from './listen.ts';

for (const [name, express] of [
  ['express 5', express5],
  ['express 4', express4],
] as const) {
  describeConformance(name, async (setup) => {
    const app = express();
    app.use(webhooks(createConnectChat(setup.connectChatOptions())));
    app.use(express.json());
    return listen(app);
  });
}
