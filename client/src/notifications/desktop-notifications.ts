/**
 * Optional system notifications: the user opts in from Settings (per
 * browser, kept in localStorage), the browser asks for permission, and a
 * notification is shown only while the Tandem tab is hidden (the toast covers
 * a visible tab).
 */
import type { NotificationEventDto } from '../../../schema/wire/notifications.ts';

const STORAGE_KEY = 'tandem.desktopNotifications';

export type DesktopSupport = 'unsupported' | 'denied' | 'default' | 'granted';

export function desktopSupport(): DesktopSupport {
  if (typeof Notification === 'undefined') return 'unsupported';
  return Notification.permission;
}

export function desktopEnabled(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'on';
  } catch {
    return false;
  }
}

/** Turns system notifications on (asking for permission) or off; resolves to whether they are on. */
export async function setDesktopEnabled(on: boolean): Promise<boolean> {
  if (!on || desktopSupport() === 'unsupported') {
    store(false);
    return false;
  }
  const permission = Notification.permission === 'granted' ? 'granted' : await Notification.requestPermission();
  store(permission === 'granted');
  return permission === 'granted';
}

function store(on: boolean): void {
  try {
    localStorage.setItem(STORAGE_KEY, on ? 'on' : 'off');
  } catch {
    // Storage is blocked: the choice lasts for this page only.
  }
}

/** Shows `n` as a system notification when opted in, permitted and the tab is hidden. */
export function showDesktopNotification(n: NotificationEventDto, open: (link: string) => void): void {
  if (!document.hidden || !desktopEnabled() || desktopSupport() !== 'granted') return;
  const shown = new Notification(n.title, { body: n.body, tag: n.id });
  shown.onclick = () => {
    window.focus();
    if (n.link) open(n.link);
    shown.close();
  };
}
