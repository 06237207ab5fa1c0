/** Icons of the notification screens (24×24, stroke = currentColor, decorative). */
import { type SVGTemplateResult, svg } from 'lit';
import type { NotificationType } from '../../../schema/wire/notifications.ts';

const icon = (body: SVGTemplateResult) =>
  svg`<svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${body}</svg>`;

export const bellIcon = icon(svg`<path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9"/><path d="M10.3 21a1.94 1.94 0 0 0 3.4 0"/>`);

const assignmentIcon = icon(svg`<circle cx="9" cy="8" r="3.5"/><path d="M2.5 20a6.5 6.5 0 0 1 13 0"/><path d="m16 11 2 2 4-4"/>`);
const mentionIcon = icon(svg`<circle cx="12" cy="12" r="4"/><path d="M16 8v5a3 3 0 0 0 6 0v-1a10 10 0 1 0-4 8"/>`);
const reminderIcon = icon(svg`<circle cx="12" cy="13" r="8"/><path d="M12 9v4l2 2M5 3 2 6M22 6l-3-3"/>`);

export function notificationIcon(type: NotificationType): SVGTemplateResult {
  switch (type) {
    case 'assignment':
      return assignmentIcon;
    case 'mention':
      return mentionIcon;
    case 'reminder':
      return reminderIcon;
    default:
      return type satisfies never;
  }
}
