/**
 * The demo's life around its customers: follow-ups over the past months with
 * their outcomes, leads in every working status, service records from open to
 * closed, and a calm notification list. Everything goes through the normal
 * services and documents; only creation times are then spread over the past
 * months. Deterministic for a given seed; in the workspace's language.
 */
import * as Y from 'yjs';
import { CUSTOMER_ROOTS, customerDocName, type FollowupType } from '../../schema/wire/docs.ts';
import type { LeadWorkStatus } from '../../schema/wire/lead.ts';
import type { ServiceChannel, ServiceStatus, ServiceType } from '../../schema/wire/service-records.ts';
import type { Locale } from '../../schema/wire/user.ts';
import type { AppContext } from '../context.ts';
import { createLead } from '../leads/lead.service.ts';
import { createServiceRecord, updateServiceRecord } from '../service-records/service-record.service.ts';
import type { User } from '../users/user.ts';
import { prng } from './prng.ts';

const DAY_MS = 86_400_000;
/** Share of a team's customers with a follow-up history. */
export const DEMO_FOLLOWUP_SHARE = 0.5;
/** Follow-ups per customer with a history, and how far back they go. */
const FOLLOWUPS_PER_CUSTOMER = [2, 5] as const;
export const DEMO_FOLLOWUP_MAX_AGE_DAYS = 180;
export const DEMO_LEADS_PER_TEAM = 24;
export const DEMO_SERVICE_RECORDS_PER_TEAM = 12;
/** Unread notifications a demo user finds at most (seeding assigns a lot; nobody wants to be greeted by dozens). */
export const DEMO_UNREAD_MAX = 5;

interface Followup {
  type: FollowupType;
  text: string;
  outcome: string;
}

const FOLLOWUPS: Record<Locale, Followup[]> = {
  'zh-CN': [
    { type: 'call', text: '电话沟通了需求，客户希望下周看演示。', outcome: '约定产品演示' },
    { type: 'visit', text: '上门拜访采购经理和技术总监，介绍了实施方案。', outcome: '客户认可方案' },
    { type: 'email', text: '发送了报价单和产品资料。', outcome: '等待客户反馈' },
    { type: 'meeting', text: '与客户召开需求评审会，确认了一期范围。', outcome: '需求已确认' },
    { type: 'call', text: '客户反馈预算需要走审批流程。', outcome: '预算审批中' },
    { type: 'visit', text: '陪同客户参观样板项目。', outcome: '客户意向增强' },
    { type: 'call', text: '跟进合同条款，法务提出两处修改。', outcome: '合同修改中' },
    { type: 'email', text: '客户暂时没有回复，再次发邮件跟进。', outcome: '未回复' },
  ],
  en: [
    { type: 'call', text: 'Discussed their requirements; they want a demo next week.', outcome: 'Demo scheduled' },
    { type: 'meeting', text: 'Requirements workshop with procurement and IT.', outcome: 'Scope agreed' },
    { type: 'email', text: 'Sent the quote and the product sheets.', outcome: 'Waiting for feedback' },
    { type: 'visit', text: 'On-site visit with the operations manager.', outcome: 'Positive' },
    { type: 'call', text: 'Budget has to go through the board first.', outcome: 'Budget pending' },
    { type: 'email', text: 'No answer yet; followed up by e-mail.', outcome: 'No reply' },
    { type: 'call', text: 'Went through the contract terms; legal asked for two changes.', outcome: 'Contract in review' },
  ],
};

const LEADS: Record<Locale, { names: string[]; companies: string[]; sources: string[]; reasons: string[] }> = {
  'zh-CN': {
    names: ['赵敏', '孙浩', '周婷', '吴刚', '郑爽', '冯涛', '何静', '高翔', '林峰', '罗丹', '梁宇', '宋佳'],
    companies: ['杭州云图信息技术有限公司', '苏州精工机械有限公司', '成都天府物流有限公司', '厦门海润贸易有限公司', '武汉光谷电子有限公司', '青岛蓝海食品有限公司'],
    sources: ['官网咨询', '行业展会', '老客户介绍', '百度推广', '微信公众号'],
    reasons: ['没有预算', '只是了解行情', '联系方式无效', '已采购其他产品'],
  },
  en: {
    names: ['Emma Stone', 'Liam Carter', 'Ava Brooks', 'Noah Price', 'Mia Turner', 'Ethan Hughes', 'Grace Ward', 'Daniel Reed'],
    companies: ['Brightline Logistics', 'Cobalt Analytics', 'Meadow Foods', 'Keystone Energy', 'Atlas Medical', 'Quarry Software'],
    sources: ['website', 'referral', 'event', 'advertising', 'social'],
    reasons: ['No budget', 'Just researching', 'Wrong contact details', 'Bought elsewhere'],
  },
};

/** Statuses of the demo leads, in turn: most are being worked, a few were turned away. */
const LEAD_STATUS_CYCLE: LeadWorkStatus[] = ['new', 'contacted', 'new', 'qualified', 'contacted', 'disqualified'];

const SERVICES: Record<Locale, Array<{ type: ServiceType; channel: ServiceChannel; title: string; resolution: string }>> = {
  'zh-CN': [
    { type: 'complaint', channel: 'phone', title: '系统登录缓慢', resolution: '已优化服务器配置，登录恢复正常' },
    { type: 'request', channel: 'email', title: '申请增加 5 个用户账号', resolution: '已开通账号' },
    { type: 'maintenance', channel: 'visit', title: '年度设备巡检', resolution: '巡检完成，设备运行良好' },
    { type: 'feedback', channel: 'chat', title: '建议增加移动端报表', resolution: '已记录到产品需求' },
    { type: 'visit', channel: 'visit', title: '上线后回访', resolution: '客户满意，提出培训需求' },
  ],
  en: [
    { type: 'complaint', channel: 'phone', title: 'Slow sign-in in the morning', resolution: 'Server tuned; sign-in is fast again' },
    { type: 'request', channel: 'email', title: 'Five more user accounts', resolution: 'Accounts created' },
    { type: 'maintenance', channel: 'visit', title: 'Yearly equipment check', resolution: 'Checked; all in order' },
    { type: 'feedback', channel: 'chat', title: 'Would like reports on the phone', resolution: 'Passed on to the product team' },
    { type: 'visit', channel: 'visit', title: 'Check-in after go-live', resolution: 'Happy; asked for training' },
  ],
};

const SERVICE_STATUS_CYCLE: ServiceStatus[] = ['open', 'in_progress', 'resolved', 'closed', 'closed', 'resolved'];

export interface DemoActivityOptions {
  teamId: string;
  users: User[];
  customers: string[];
  locale: Locale;
  seed: number;
}

/**
 * Follow-ups on half the customers, written by their owners into the customer
 * documents: a few per customer, spread over the past months, oldest first,
 * each with an outcome; the latest plans the next one in the coming weeks.
 * Answers how many were written.
 */
export async function seedDemoFollowups(ctx: AppContext, opts: DemoActivityOptions): Promise<number> {
  const r = prng(opts.seed);
  const now = ctx.now().getTime();
  const owners = await ctx.db.selectFrom('customers').select(['id', 'owner_id']).where('id', 'in', opts.customers.length ? opts.customers : ['']).execute();
  const ownerOf = new Map(owners.map((c) => [c.id, c.owner_id]));
  let written = 0;
  for (const [i, customerId] of opts.customers.entries()) {
    if (r.next() >= DEMO_FOLLOWUP_SHARE) continue;
    const author = opts.users.find((u) => u.id === ownerOf.get(customerId)) ?? opts.users[0]!;
    const n = r.int(...FOLLOWUPS_PER_CUSTOMER);
    const ages = Array.from({ length: n }, () => r.int(1, DEMO_FOLLOWUP_MAX_AGE_DAYS)).sort((a, b) => b - a);
    const entries = ages.map((age, k) => ({ ...r.pick(FOLLOWUPS[opts.locale]), at: new Date(now - age * DAY_MS - r.int(0, 8) * 3_600_000), k }));
    await ctx.hub.edit(customerDocName(customerId), author, (doc) => {
      const followups = doc.getArray<Y.Map<unknown>>(CUSTOMER_ROOTS.followups);
      for (const e of entries) {
        const m = new Y.Map<unknown>();
        m.set('id', `demo-${i}-${e.k}`);
        m.set('type', e.type);
        m.set('authorId', author.id);
        m.set('at', e.at.toISOString());
        m.set('outcome', e.outcome);
        if (e.k === entries.length - 1) m.set('nextAt', new Date(now + r.int(2, 21) * DAY_MS).toISOString());
        m.set('text', new Y.Text(e.text));
        followups.push([m]);
      }
    });
    written += entries.length;
  }
  return written;
}

/** Leads of the team in every working status, captured over the past months. */
export async function seedDemoLeads(ctx: AppContext, opts: DemoActivityOptions): Promise<number> {
  const r = prng(opts.seed);
  const words = LEADS[opts.locale];
  const manager = opts.users.find((u) => u.role === 'manager') ?? opts.users[0]!;
  const reps = opts.users.filter((u) => u.role === 'rep');
  const now = ctx.now().getTime();
  for (let i = 0; i < DEMO_LEADS_PER_TEAM; i++) {
    const status = LEAD_STATUS_CYCLE[i % LEAD_STATUS_CYCLE.length]!;
    const name = words.names[i % words.names.length]!;
    const lead = await createLead(ctx, manager, {
      name: i < words.names.length ? name : `${name} ${Math.floor(i / words.names.length) + 1}`,
      company: r.pick(words.companies),
      phone: opts.locale === 'zh-CN' ? `13${r.int(100_000_000, 999_999_999)}` : `+1 555 ${r.int(1000, 9999)}`,
      source: r.pick(words.sources),
      // A few new leads wait in the team's pool; the rest belong to a rep.
      ownerId: status === 'new' && i % 4 === 0 ? null : reps.length > 0 ? r.pick(reps).id : manager.id,
      status,
      ...(status === 'disqualified' ? { disqualifiedReason: r.pick(words.reasons) } : {}),
    });
    const created = new Date(now - r.int(1, 120) * DAY_MS);
    await ctx.db.updateTable('leads').set({ created_at: created, updated_at: created }).where('id', '=', lead.id).execute();
  }
  return DEMO_LEADS_PER_TEAM;
}

/** Service records on some customers, from open to closed, resolved ones with a satisfaction score. */
export async function seedDemoServiceRecords(ctx: AppContext, opts: DemoActivityOptions): Promise<number> {
  const r = prng(opts.seed);
  const manager = opts.users.find((u) => u.role === 'manager') ?? opts.users[0]!;
  const now = ctx.now().getTime();
  const count = Math.min(DEMO_SERVICE_RECORDS_PER_TEAM, opts.customers.length);
  for (let i = 0; i < count; i++) {
    const spec = r.pick(SERVICES[opts.locale]);
    const status = SERVICE_STATUS_CYCLE[i % SERVICE_STATUS_CYCLE.length]!;
    const record = await createServiceRecord(ctx, manager, {
      customerId: r.pick(opts.customers),
      type: spec.type,
      channel: spec.channel,
      title: spec.title,
      assigneeId: r.pick(opts.users).id,
    });
    if (status !== 'open') {
      const done = status === 'resolved' || status === 'closed';
      await updateServiceRecord(ctx, manager, record.id, {
        status,
        ...(done ? { resolution: spec.resolution, satisfaction: r.int(3, 5) } : {}),
      });
    }
    const created = new Date(now - r.int(2, 90) * DAY_MS);
    await ctx.db.updateTable('service_records').set({ created_at: created }).where('id', '=', record.id).execute();
  }
  return count;
}

/**
 * Leaves each of `userIds` at most DEMO_UNREAD_MAX unread notifications, the
 * newest; the older ones stay in the list, read. Answers how many were marked.
 */
export async function capDemoUnread(ctx: AppContext, userIds: string[]): Promise<number> {
  let marked = 0;
  const now = ctx.now();
  for (const id of userIds) {
    const keep = await ctx.db
      .selectFrom('notifications')
      .select('id')
      .where('recipient_id', '=', id)
      .where('read_at', 'is', null)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(DEMO_UNREAD_MAX)
      .execute();
    let q = ctx.db.updateTable('notifications').set({ read_at: now }).where('recipient_id', '=', id).where('read_at', 'is', null);
    if (keep.length > 0) q = q.where('id', 'not in', keep.map((k) => k.id));
    marked += Number((await q.executeTakeFirst()).numUpdatedRows);
  }
  return marked;
}
