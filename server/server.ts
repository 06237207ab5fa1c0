/**
 * The running server: Hono on node:http, plus the live-document and
 * Socket.IO endpoints on the same HTTP server. `main.ts` starts it with the
 * environment's configuration; tests start it on an ephemeral port.
 */

import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { DOC_PATH_PREFIX } from '../schema/wire/docs.ts';
import { SOCKET_IO_PATH } from '../schema/wire/socket-events.ts';
import { createApp } from './app.ts';
import type { AppContext } from './context.ts';
import { limitHeapGrowth } from './heap.ts';
import { refuseUnservedUpgrades } from './http/upgrade-refusal.ts';
import { type ReminderSchedulerOptions, startReminderScheduler } from './notifications/reminder-scheduler.ts';
import { attachDocUpgrade } from './realtime/upgrade.ts';
import { type SocketServerOptions, startSocketServer } from './socket/socket-server.ts';

export interface RunningServer {
  server: ServerType;
  /** http://host:port */
  url: string;
  port: number;
  /** Stops accepting, flushes live state, closes connections. Does not close the database. */
  close(): Promise<void>;
}

export interface StartOptions {
  port: number;
  host: string;
  /** Socket.IO tuning (tests shorten the session re-check). */
  socket?: SocketServerOptions;
  /** Reminder scheduler tuning (tests shorten the interval). */
  reminders?: ReminderSchedulerOptions;
}

export async function startServer(ctx: AppContext, opts: StartOptions): Promise<RunningServer> {
  limitHeapGrowth(ctx.config.heapGrowthPercent);
  const app = createApp(ctx);
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: opts.port, hostname: opts.host }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  const shutdownHooks: Array<() => Promise<void>> = [];
  const reminders = startReminderScheduler(ctx, opts.reminders);
  shutdownHooks.push(() => reminders.stop());
  const events = await startSocketServer(ctx, server as HttpServer, opts.socket);
  shutdownHooks.push(() => events.close());
  const docs = attachDocUpgrade(server as HttpServer, ctx.hub, { allowedOrigins: ctx.config.allowedOrigins, log: ctx.log });
  // Every other upgrade gets a 404 and its socket closed. Engine.io serves `${path}/` by prefix.
  const detachStray = refuseUnservedUpgrades(server as HttpServer, [DOC_PATH_PREFIX, `${SOCKET_IO_PATH}/`]);
  shutdownHooks.push(async () => detachStray());
  shutdownHooks.push(async () => {
    await docs.close();
    ctx.hub.disconnectAll();
    await ctx.hub.flush();
  });
  return {
    server,
    port,
    url: `http://${opts.host}:${port}`,
    async close() {
      for (const hook of shutdownHooks) await hook();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
    },
  };
}
