// A Deno bridge for the runtime tests: configuration from the environment, port chosen by the OS.
import { createConnectChat } from '@connect-chat/core';
import { chatOptionsFromEnv } from '../app/chat-options-from-env.ts';
import { createBridgeApp } from '../app/create-bridge-app.ts';
import { testFetch } from './test-fetch.ts';

declare const Deno: {
  env: { toObject(): Record<string, string> };
  serve(
    options: { port: number; hostname: string; onListen(address: { port: number }): void },
    handler: (request: Request) => Response | Promise<Response>,
  ): unknown;
};

const env = Deno.env.toObject();
const chat = createConnectChat(chatOptionsFromEnv(env, testFetch(env)));
const app = createBridgeApp(() => chat, 'middleware');
function onListen({ port }: { port: number }): void {
  // biome-ignore lint/suspicious/noConsole: the test waits for this line
  console.log(`listening on http://127.0.0.1:${port}`);
}
Deno.serve({ port: 0, hostname: '127.0.0.1', onListen }, (request) => app.fetch(request));
