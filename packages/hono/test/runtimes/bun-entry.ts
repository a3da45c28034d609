// A Bun bridge for the runtime tests: configuration from the environment, port chosen by the OS.
import { createConnectChat } from '@connect-chat/core';
import { chatOptionsFromEnv } from '../app/chat-options-from-env.ts';
import { createBridgeApp } from '../app/create-bridge-app.ts';
import { testFetch } from './test-fetch.ts';

declare const Bun: {
  serve(options: { port: number; hostname: string; fetch(request: Request, server: unknown): Response | Promise<Response> }): { port: number };
};

const chat = createConnectChat(chatOptionsFromEnv(process.env, testFetch(process.env)));
const app = createBridgeApp(() => chat, 'routes');
const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: app.fetch });
// biome-ignore lint/suspicious/noConsole: the test waits for this line
console.log(`listening on http://127.0.0.1:${server.port}`);
