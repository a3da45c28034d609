import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { redisSkipReason, startOn, startRedis } from './redis-server.ts';

function ping(url: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: Number(port) });
    let answer = '';
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString();
      socket.end();
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe.skipIf(redisSkipReason() !== undefined)('startRedis', () => {
  it('never hands out another test’s redis-server: a port taken meanwhile is given up, and that server is left alone', async () => {
    const theirs = await startRedis();
    try {
      // As if the free port found for ours had been taken by theirs before ours could bind it.
      expect(await startOn(Number(new URL(theirs.url).port))).toBeUndefined();
      expect(await ping(theirs.url)).toBe('+PONG\r\n');
      const ours = await startRedis();
      expect(ours.url).not.toBe(theirs.url);
      await ours.stop();
    } finally {
      await theirs.stop();
    }
  });
});
