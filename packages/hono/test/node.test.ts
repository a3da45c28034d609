import { once } from 'node:events';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createConnectChat } from '@connect-chat/core';
import { describeConformance } from '@connect-chat/conformance';
import type { ConformanceSetup, ConformanceTarget } from '@connect-chat/conformance';
import { serve } from '@hono/node-server';
import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { mountBodyProbe } from './app/body-probe.ts';
import { type Mount, createBridgeApp } from './app/create-bridge-app.ts';
import { startTestConnect, twilioMessage } from './support/bridge.ts';
import { expectedLyingContentLengths, lyingContentLengths } from './support/lying-content-length.ts';

async function onNode(setup: ConformanceSetup, mount: Mount): Promise<ConformanceTarget> {
  const chat = createConnectChat(setup.connectChatOptions());
  const server = serve({ fetch: createBridgeApp(() => chat, mount).fetch, port: 0, hostname: '127.0.0.1' });
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

describeConformance('hono on node, webhooks() middleware', (setup) => onNode(setup, 'middleware'));
describeConformance('hono on node, webhook() per route', (setup) => onNode(setup, 'routes'));
describeConformance('hono in-process, app.request()', async (setup) => {
  const chat = createConnectChat(setup.connectChatOptions());
  const app = createBridgeApp(() => chat, 'middleware');
  return { baseUrl: 'http://bridge.test', fetch: async (input, init) => app.request(input, init), close: async () => {} };
});

describe('hono on node: connections', () => {
  it('keeps a keep-alive connection usable after a refusal that never read the body', async () => {
    const connect = await startTestConnect();
    const chat = connect.chat();
    const server = serve({ fetch: createBridgeApp(() => chat, 'middleware').fetch, port: 0, hostname: '127.0.0.1' });
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const tooLarge = await post(agent, port, { 'content-type': 'application/x-www-form-urlencoded' }, new Uint8Array(2 * 1024 * 1024));
      const message = await twilioMessage('on the same connection', { base: `http://127.0.0.1:${port}` });
      const next = await post(agent, port, Object.fromEntries(message.headers), new Uint8Array(await message.arrayBuffer()));
      expect([tooLarge, next]).toEqual([
        { status: 413, reused: false },
        { status: 200, reused: true },
      ]);
      expect(connect.sentTexts()).toEqual(['on the same connection']);
    } finally {
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await connect.close();
    }
  });
});

describe('hono on node: the body limit', () => {
  it('never hands the handler more than maxBodyBytes, whatever Content-Length says; past it is 413', async () => {
    const app = new Hono();
    mountBodyProbe(app);
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      expect(await lyingContentLengths(`http://127.0.0.1:${port}`)).toEqual(expectedLyingContentLengths);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

function post(agent: Agent, port: number, headers: Record<string, string>, body: Uint8Array): Promise<{ status: number; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: '127.0.0.1', port, path: '/webhooks/twilio', method: 'POST', headers }, (res) => {
      res.resume().on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
    });
    req.on('error', reject).end(body);
  });
}
