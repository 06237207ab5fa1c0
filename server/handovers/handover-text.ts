/** The one summary notification a recipient of a handover or a bulk edit gets. Pure. */
import type { Locale } from '../../schema/wire/user.ts';
import type { HandoverCounts } from '../../schema/wire/handover.ts';
import type { NotificationText } from '../notifications/notification-text.ts';

const WORDS: Record<Locale, Record<keyof HandoverCounts, [string, string]>> = {
  en: {
    customers: ['customer', 'customers'],
    opportunities: ['opportunity', 'opportunities'],
    tasks: ['task', 'tasks'],
    serviceRecords: ['service record', 'service records'],
  },
  'zh-CN': {
    customers: ['个客户', '个客户'],
    opportunities: ['个销售机会', '个销售机会'],
    tasks: ['个任务', '个任务'],
    serviceRecords: ['条服务记录', '条服务记录'],
  },
};

const ORDER: (keyof HandoverCounts)[] = ['customers', 'opportunities', 'tasks', 'serviceRecords'];

/** "You received 37 customers, 12 opportunities from 张伟" / "你从张伟处接手了 37 个客户、12 个销售机会". */
export function handoverSummaryText(locale: Locale, counts: HandoverCounts, fromName: string | null, actorName: string | null): NotificationText {
  const parts = ORDER.filter((k) => counts[k] > 0).map((k) => {
    const [one, many] = WORDS[locale][k];
    return locale === 'en' ? `${counts[k]} ${counts[k] === 1 ? one : many}` : `${counts[k]} ${one}`;
  });
  switch (locale) {
    case 'en': {
      const list = parts.join(', ');
      return {
        title: fromName ? `You received ${list} from ${fromName}` : `You received ${list}`,
        body: actorName ? `Handed over by ${actorName}` : '',
      };
    }
    case 'zh-CN': {
      const list = parts.join('、');
      return {
        title: fromName ? `你从${fromName}处接手了 ${list}` : `你接手了 ${list}`,
        body: actorName ? `交接人：${actorName}` : '',
      };
    }
    default: {
      const never: never = locale;
      return never;
    }
  }
}
