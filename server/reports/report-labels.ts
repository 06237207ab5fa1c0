/**
 * The words of report exports, in the reader's interface language: column
 * headers, stage names, built-in category, source and follow-up type labels.
 * The same words as the Reports screen (client/src/locales/zh-CN.reports.ts and
 * its neighbours), so a downloaded table reads like the one on screen. Pure.
 */
import type { Locale } from '../../schema/wire/user.ts';

export type ReportColumn =
  | 'stage'
  | 'count'
  | 'amount'
  | 'currency'
  | 'reached'
  | 'conversionToNext'
  | 'avgDaysInStage'
  | 'won'
  | 'lost'
  | 'rate'
  | 'wonAmount'
  | 'lostAmount'
  | 'month'
  | 'weighted'
  | 'rep'
  | 'wonDeals'
  | 'openAmount'
  | 'activities'
  | 'week'
  | 'type'
  | 'period'
  | 'source'
  | 'category'
  | 'newCustomers';

const COLUMNS: Record<Locale, Record<ReportColumn, string>> = {
  en: {
    stage: 'Stage',
    count: 'Deals',
    amount: 'Amount',
    currency: 'Currency',
    reached: 'Reached',
    conversionToNext: 'Conversion to next stage',
    avgDaysInStage: 'Average days in stage',
    won: 'Won',
    lost: 'Lost',
    rate: 'Win rate',
    wonAmount: 'Won amount',
    lostAmount: 'Lost amount',
    month: 'Expected close month',
    weighted: 'Weighted',
    rep: 'Rep',
    wonDeals: 'Won deals',
    openAmount: 'Open amount',
    activities: 'Activities',
    week: 'Week of',
    type: 'Type',
    period: 'Period',
    source: 'Source',
    category: 'Category',
    newCustomers: 'New customers',
  },
  'zh-CN': {
    stage: '阶段',
    count: '销售机会数',
    amount: '金额',
    currency: '币种',
    reached: '到达数',
    conversionToNext: '转化到下一阶段',
    avgDaysInStage: '平均停留天数',
    won: '赢单',
    lost: '输单',
    rate: '赢单率',
    wonAmount: '赢单金额',
    lostAmount: '输单金额',
    month: '预计成交月份',
    weighted: '加权金额',
    rep: '销售',
    wonDeals: '赢单数',
    openAmount: '进行中金额',
    activities: '活动数',
    week: '周（起始日）',
    type: '类型',
    period: '期间',
    source: '来源',
    category: '类别',
    newCustomers: '新客户',
  },
};

/** Built-in category keys (schema/wire/customer.ts DEFAULT_CATEGORIES). */
const CATEGORIES: Record<Locale, Record<string, string>> = {
  en: { potential: 'Potential', intent: 'Intent', 'closed-won': 'Closed won', vip: 'VIP' },
  'zh-CN': { potential: '潜在客户', intent: '意向客户', 'closed-won': '成交客户', vip: 'VIP 客户' },
};

/** Suggested lead sources (schema/wire/lead.ts LEAD_SOURCE_SUGGESTIONS); other sources are written as typed. */
const SOURCES: Record<Locale, Record<string, string>> = {
  en: {
    website: 'Website',
    referral: 'Referral',
    event: 'Event',
    'cold-call': 'Cold call',
    advertising: 'Advertising',
    social: 'Social media',
    partner: 'Partner',
    other: 'Other',
  },
  'zh-CN': {
    website: '官网',
    referral: '转介绍',
    event: '活动',
    'cold-call': '电话陌拜',
    advertising: '广告',
    social: '社交媒体',
    partner: '合作伙伴',
    other: '其他',
  },
};

const FOLLOWUP_TYPES: Record<Locale, Record<string, string>> = {
  en: { call: 'Call', email: 'E-mail', meeting: 'Meeting', visit: 'Visit', note: 'Note', other: 'Other' },
  'zh-CN': { call: '电话', email: '邮件', meeting: '会议', visit: '拜访', note: '备注', other: '其他' },
};

const NONE: Record<Locale, string> = { en: '(none)', 'zh-CN': '（无）' };

export interface ReportLabels {
  locale: Locale;
  column(c: ReportColumn): string;
  stage(s: { name: string; nameZh?: string | null }): string;
  /** A category key: a built-in one translated, a team's own by its label when known. */
  category(key: string): string;
  source(source: string): string;
  followupType(type: string): string;
}

/** `teamCategories` maps a team's own category keys to their labels (written in one language only). */
export function reportLabels(locale: Locale, teamCategories: ReadonlyMap<string, string> = new Map()): ReportLabels {
  return {
    locale,
    column: (c) => COLUMNS[locale][c],
    stage: (s) => (locale === 'zh-CN' && s.nameZh ? s.nameZh : s.name),
    category: (key) => (key ? (CATEGORIES[locale][key] ?? teamCategories.get(key) ?? key) : NONE[locale]),
    source: (source) => (source ? (SOURCES[locale][source] ?? source) : NONE[locale]),
    followupType: (type) => FOLLOWUP_TYPES[locale][type] ?? type,
  };
}
