/** The process: reads the environment, starts Tandem (`--demo`: after loading the demo workspace), stops on SIGTERM/SIGINT. */
import { randomBytes } from 'node:crypto';
import { bootstrap } from './bootstrap.ts';
import { loadConfig } from './config.ts';
import { demoLogins, seedDemo } from './demo/demo.ts';
import { createLogger } from './logger.ts';
import { type RunningServer, startServer } from './server.ts';
import { ensureFirstAdmin } from './users/user.service.ts';

const SHUTDOWN_GRACE_MS = 10_000;

const config = loadConfig(process.env);
const log = createLogger(config.logLevel);
const { ctx, close: closeDb } = await bootstrap(config, log);

if (process.argv.includes('--demo')) {
  const progress = (message: string) => process.stdout.write(`  demo: ${message}\n`);
  await seedDemo(ctx, progress);
  process.stdout.write(`\n${demoLogins()}\n\n`);
}

const admin = await ensureFirstAdmin(ctx, () => randomBytes(12).toString('base64url'));
if (admin?.password) {
  // Printed once, to the terminal only, never to the log stream.
  process.stdout.write(
    `\n  First run: an admin account was created.\n  Sign in as ${admin.email} with password ${admin.password}\n  (you will be asked to change it).\n\n`,
  );
} else if (admin) {
  log.info({ email: admin.email }, 'admin account created from ADMIN_EMAIL / ADMIN_PASSWORD');
}

let running: RunningServer | null = null;
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  const timer = setTimeout(() => {
    log.error('shutdown took too long; exiting');
    process.exit(1);
  }, SHUTDOWN_GRACE_MS);
  timer.unref();
  try {
    await running?.close();
    await closeDb();
    process.exit(0);
  } catch (err) {
    log.error({ err }, 'shutdown failed');
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

running = await startServer(ctx, { port: config.port, host: config.host });
log.info({ url: running.url, database: ctx.engine }, 'Tandem is listening');
