/** Messages between the notification benchmark and its load generator. */
export interface LoadConfig {
  url: string;
  /** One session cookie per user; each user opens `tabsPerUser` sockets. */
  cookies: string[];
  tabsPerUser: number;
}

export type ParentToLoad = { type: 'start'; config: LoadConfig } | { type: 'report' } | { type: 'stop' };

/** An arrival: the notification's entity id and the arrival time (ms, performance.timeOrigin + now). */
export interface Arrival {
  entityId: string;
  at: number;
}

export type LoadToParent =
  | { type: 'ready'; sockets: number; connectMs: number }
  | { type: 'arrivals'; arrivals: Arrival[]; connected: number }
  | { type: 'error'; message: string };
