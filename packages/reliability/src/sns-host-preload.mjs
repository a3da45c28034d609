// Loaded into each bridge process of the reliability run with `node --import`: connections to
// Amazon SNS's certificate host (RELIABILITY_SNS_HOST, e.g. sns.us-east-1.amazonaws.com) go to the
// run's local HTTPS server (RELIABILITY_SNS_ADDRESS, host:port) and its certificate must chain to
// the run's own CA (RELIABILITY_SNS_CA, a PEM file) — what a hosts-file entry and a private CA do
// on a test network. The bridge's code is untouched: it fetches SigningCertURL over real TLS and
// applies its own host rules. Every other host connects as usual.
import { readFileSync } from 'node:fs';
import { Agent, buildConnector, setGlobalDispatcher } from 'undici';

const snsHost = process.env.RELIABILITY_SNS_HOST;
const [address, port] = (process.env.RELIABILITY_SNS_ADDRESS ?? '').split(':');
const caFile = process.env.RELIABILITY_SNS_CA;

if (snsHost && address && port && caFile) {
  const usual = buildConnector({});
  const toLocalSns = buildConnector({ ca: readFileSync(caFile, 'utf8') });
  setGlobalDispatcher(
    new Agent({
      connect(options, callback) {
        if (options.hostname !== snsHost) return usual(options, callback);
        return toLocalSns({ ...options, hostname: address, host: `${address}:${port}`, port, servername: snsHost }, callback);
      },
    }),
  );
}
