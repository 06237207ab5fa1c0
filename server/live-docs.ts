/**
 * Plugs the app into the live-document engine (server/realtime/): what the
 * engine receives — its store, the app's clock, logger and sessions, its
 * limits — the document kinds, each built with what it needs, and the
 * listeners of the events their projections emit. Called once by bootstrap.
 */
import { findLiveSessions } from './auth/live-session.repository.ts';
import { sessionState } from './auth/session.ts';
import { validateSessionToken } from './auth/session.service.ts';
import type { AppServices } from './context.ts';
import { wonCustomerListener } from './contracts/won-customer.ts';
import { customerDocKind } from './customers/customer.doc-kind.ts';
import { type NotificationEvent, notificationListener } from './notifications/notification-events.ts';
import { recordChangeListener } from './notifications/record-events.ts';
import { boardDocKind } from './opportunities/board.doc-kind.ts';
import type { DocBus } from './realtime/doc-bus.ts';
import { docKindRegistry } from './realtime/doc-kinds.ts';
import { docStoreOf } from './realtime/doc-store.repository.ts';
import type { EngineDeps, LiveSession, SessionLookup } from './realtime/engine-deps.ts';
import { DocHub } from './realtime/hub.ts';

export function createDocHub(app: AppServices, bus: DocBus | null): DocHub {
  const { db } = app;
  const deps: EngineDeps = {
    store: docStoreOf(db, app.engine),
    // Asked through `app` each time: a test that replaces the app's clock moves the engine's too.
    now: () => app.now(),
    log: app.log,
    sessions: sessionLookup(app),
    config: app.config.realtime,
  };
  const kinds = docKindRegistry<NotificationEvent>([customerDocKind({ db }), boardDocKind({ db })], [
    notificationListener(app.notifier),
    recordChangeListener<NotificationEvent>(app.notifier),
    wonCustomerListener<NotificationEvent>(app, (): DocHub => hub),
  ]);
  const hub: DocHub = new DocHub(deps, kinds, bus);
  return hub;
}

function sessionLookup(app: AppServices): SessionLookup {
  return {
    async validate(token) {
      const auth = await validateSessionToken(app.db, token, app.now());
      return auth ? { user: auth.user, sessionId: auth.session.id } : null;
    },
    async findLive(ids) {
      const rows = await findLiveSessions(app.db, ids);
      const now = app.now();
      const live = new Map<string, LiveSession>();
      for (const [id, s] of rows) {
        if (s.active && sessionState(s, now) !== 'expired') live.set(id, { role: s.role, teamId: s.teamId, mustChangePassword: s.mustChangePassword });
      }
      return live;
    },
    onRevoked: (fn) => app.sessionEvents.onRevoked((ids) => fn(ids)),
  };
}
