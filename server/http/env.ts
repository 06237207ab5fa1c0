import type { ValidSession } from '../auth/session.service.ts';

/** Hono's per-request variables. */
export interface HonoEnv {
  Variables: {
    auth: ValidSession | null;
  };
}
