import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConnectChatError, type Logger } from '@connect-chat/core';
import type { SnsSigner } from '@connect-chat/core/testing';
import { readJsonBody } from '../http/body.ts';
import { sendControlError, sendJson } from '../http/respond.ts';
import { describe, isRecord } from '../invalid-option.ts';
import type { ResolvedSimulatorOptions } from './options.ts';
import { defaultSimulatedNumber, type SimulatedProvider, simulateInbound, simulatedProviders, simulatorSecretSources } from './simulate-inbound.ts';

const maxRequestBytes = 64 * 1024;
const requestKeys = ['provider', 'from', 'to', 'text', 'bridgeUrl'];

/** The simulator's part of the emulator: its endpoints and the one SNS signer it signs with. */
export interface SimulatorRoutes {
  /** `GET /_emulator/simulator`: the panel's defaults and which providers have a secret. */
  describe(res: ServerResponse): void;
  /** `POST /_emulator/simulate`: JSON `{ provider, from, to, text, bridgeUrl? }` → the bridge's `{ status, body, url }`. */
  simulate(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** The PEM of the simulator's SNS signing certificate, for `createSnsProvider({ resolveCertificate })`. */
  snsCertificateResolver(url: URL): Promise<string>;
}

/** `snsSigner` is the emulator's one SNS signer, shared with the chat stream. */
export function createSimulatorRoutes(config: ResolvedSimulatorOptions, logger: Logger, snsSigner: () => Promise<SnsSigner>): SimulatorRoutes {
  const fail = (res: ServerResponse, status: number, code: string, message: string): void => sendControlError(res, status, code, message);

  return {
    describe(res) {
      const providers = Object.fromEntries(simulatedProviders.map((provider) => [provider, configured(config, provider)]));
      sendJson(res, 200, { bridgeUrl: config.bridgeUrl ?? null, defaultNumber: defaultSimulatedNumber, providers });
    },

    async simulate(req, res) {
      // Cross-site requests were refused by the handler's control guard (a JSON body, a loopback Origin).
      const json = await readJsonBody(req, res, maxRequestBytes);
      if (json === undefined) return;
      const input = json.value;
      if (!isRecord(input))
        return fail(res, 400, 'INVALID_OPTIONS', `body: expected an object { provider, from, to, text, bridgeUrl? }, got ${describe(input)}`);
      const unknown = Object.keys(input).find((key) => !requestKeys.includes(key));
      if (unknown !== undefined)
        return fail(res, 400, 'INVALID_OPTIONS', `${JSON.stringify(unknown.slice(0, 40))}: unknown field; expected ${requestKeys.join(', ')}`);
      const bridgeUrl = input['bridgeUrl'] ?? config.bridgeUrl;
      if (bridgeUrl === undefined || bridgeUrl === '') {
        return fail(
          res,
          400,
          'INVALID_OPTIONS',
          'bridgeUrl: expected the bridge base URL, e.g. http://127.0.0.1:3000; none was given and the emulator has no default (start it with --bridge)',
        );
      }
      const provider = input['provider'] as SimulatedProvider;
      try {
        const delivery = await simulateInbound({
          provider,
          bridgeUrl: bridgeUrl as string,
          path: config.paths[provider],
          from: input['from'] as string,
          to: (input['to'] ?? defaultSimulatedNumber) as string,
          text: input['text'] as string,
          secrets: config.secrets,
          ...(provider === 'sns' && { snsSigner: snsSigner() }),
        });
        logger.info('emulator: simulated inbound message delivered', { provider, url: delivery.url, status: delivery.status });
        sendJson(res, 200, delivery);
      } catch (error) {
        if (!ConnectChatError.is(error)) throw error;
        logger.info('emulator: simulated inbound message not delivered', { provider, code: error.code });
        if (error.code === 'NETWORK_ERROR') return fail(res, 502, error.code, error.message);
        fail(res, 400, error.code, error.message);
      }
    },

    snsCertificateResolver: async (url) => (await snsSigner()).resolveCertificate(url),
  };
}

function configured(config: ResolvedSimulatorOptions, provider: SimulatedProvider): boolean {
  return config.secrets[simulatorSecretSources[provider].secret] !== undefined;
}
