// `pnpm start`: build the Express sample bridge quietly (its output is shown only if the build fails),
// then run it on the embedded emulator with the demo settings. What remains on the terminal is the
// bridge's own log lines.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const build = spawnSync('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@connect-chat/express-bridge...', '--output-logs=errors-only'], {
  cwd: root,
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', TURBO_PRINT_VERSION_DISABLED: '1' },
  encoding: 'utf8',
});
if (build.status !== 0) {
  process.stderr.write(`${build.stdout ?? ''}${build.stderr ?? ''}`);
  process.stderr.write(`connect-chat: building the Express bridge failed (exit ${build.status ?? build.signal})\n`);
  process.exit(1);
}

const bridge = spawn(process.execPath, ['--env-file=demo.env', 'dist/main.js'], {
  cwd: new URL('../apps/express-bridge/', import.meta.url),
  stdio: 'inherit',
});
// The bridge shuts down gracefully on these; this process ends with it.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => bridge.kill(signal));
bridge.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
