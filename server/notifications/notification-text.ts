/**
 * The words of notifications, in the recipient's interface language. Pure.
 * Titles are stored as rendered, so the list reads the same after a
 * language switch only for new notifications; the client may re-render
 * from `type` and `entity` if it wants to.
 */
import type { NotificationEntityType } from '../../schema/wire/notifications.ts';
import type { Locale } from '../../schema/wire/user.ts';

const ENTITY_WORDS: Record<Locale, Record<NotificationEntityType, string>> = {
  en: { customer: 'customer', opportunity: 'opportunity', task: 'task', service_record: 'service record' },
  'zh-CN': { customer: '客户', opportunity: '销售机会', task: '任务', service_record: '服务记录' },
};

export type NotificationText = { title: string; body: string };

export function assignmentText(
  locale: Locale,
  entity: { type: NotificationEntityType; name: string },
  actorName: string | null,
): NotificationText {
  const word = ENTITY_WORDS[locale][entity.type];
  switch (locale) {
    case 'en':
      return {
        title: `A ${word} was assigned to you: ${entity.name}`,
        body: actorName ? `Assigned by ${actorName}` : '',
      };
    case 'zh-CN':
      return { title: `有${word}分配给你：${entity.name}`, body: actorName ? `分配人：${actorName}` : '' };
    default: {
      const never: never = locale;
      return never;
    }
  }
}

export function mentionText(
  locale: Locale,
  entity: { type: NotificationEntityType; name: string },
  actorName: string,
  excerpt: string,
): NotificationText {
  switch (locale) {
    case 'en':
      return { title: `${actorName} mentioned you on ${entity.name}`, body: excerpt };
    case 'zh-CN':
      return { title: `${actorName} 在「${entity.name}」中提到了你`, body: excerpt };
    default: {
      const never: never = locale;
      return never;
    }
  }
}

export type ReminderKind = 'task_due_soon' | 'task_overdue' | 'followup_due' | 'contract_renewal';

export function reminderText(locale: Locale, kind: ReminderKind, name: string, dueAt: Date): NotificationText {
  const when = dueAt.toISOString();
  switch (locale) {
    case 'en':
      switch (kind) {
        case 'task_due_soon':
          return { title: `Task due soon: ${name}`, body: `Due at ${when}` };
        case 'task_overdue':
          return { title: `Task overdue: ${name}`, body: `Was due at ${when}` };
        case 'followup_due':
          return { title: `Time to follow up: ${name}`, body: `Follow-up date ${when}` };
        case 'contract_renewal':
          return { title: `Contract up for renewal: ${name}`, body: `Renewal reminder set for ${when}` };
        default: {
          const never: never = kind;
          return never;
        }
      }
    case 'zh-CN':
      switch (kind) {
        case 'task_due_soon':
          return { title: `任务即将到期：${name}`, body: `截止时间 ${when}` };
        case 'task_overdue':
          return { title: `任务已逾期：${name}`, body: `原定截止时间 ${when}` };
        case 'followup_due':
          return { title: `该跟进客户了：${name}`, body: `计划跟进时间 ${when}` };
        case 'contract_renewal':
          return { title: `合同即将续签：${name}`, body: `续签提醒时间 ${when}` };
        default: {
          const never: never = kind;
          return never;
        }
      }
    default: {
      const never: never = locale;
      return never;
    }
  }
}
