import { fileURLToPath } from 'node:url';
import { describeBridgeSmoke } from '@connect-chat/bridge-kit/smoke';

describeBridgeSmoke('hono', {
  command: process.execPath,
  args: ['dist/main.js'],
  cwd: fileURLToPath(new URL('..', import.meta.url)),
});
