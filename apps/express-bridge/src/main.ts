// An SMS/WhatsApp → Amazon Connect bridge on Express. Configuration: see the repository README.
import { webhooks } from '@connect-chat/express';
import { runBridge } from '@connect-chat/bridge-kit';
import express from 'express';

await runBridge((bridge) => {
  const app = express();
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Mount before any body parser: signatures are checked over the raw body.
  app.use(webhooks(bridge.chat));
  return app.listen(bridge.config.listen.port, bridge.config.listen.host);
});
