/**
 * Every context the app provides, one per slice. Elements read them with
 * `new ContextConsumer(this, { context, subscribe: true })`.
 */
import { createContext } from '@lit/context';
import type { UserDto } from '../../../schema/wire/user.ts';

/** The signed-in user and what can be done to the session. Provided by <tandem-app> once signed in. */
export interface SessionApi {
  user: UserDto;
  /** Call after the user changed (profile, preferences): applies language and density at once. */
  userChanged(user: UserDto): void;
  /** Ends this session, or every session of the user on every device. */
  signOut(opts: { everywhere: boolean }): Promise<void>;
}

export const sessionContext = createContext<SessionApi>(Symbol('tandem-session'));
