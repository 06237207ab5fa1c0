/**
 * Demo customers: realistic Chinese and English companies and people with contacts, tags and
 * categories, created through the normal service (so every customer has its document).
 * Deterministic for a given seed, so demo workspaces look the same on every machine.
 */
import type { Locale } from '../../schema/wire/user.ts';
import type { AppContext } from '../context.ts';
import { type Prng, prng } from '../demo/prng.ts';
import type { User } from '../users/user.ts';
import { createContact } from './contact.service.ts';
import { createCustomer } from './customer.service.ts';
import { listCategories } from './customer-category.repository.ts';

export const DEMO_CUSTOMERS_DEFAULT = 300;

const CN_CITIES = ['北京', '上海', '深圳', '杭州', '广州', '成都', '南京', '苏州', '武汉', '西安', '厦门', '青岛'];
const CN_BRANDS = ['华信', '恒通', '瑞丰', '博远', '金桥', '天成', '中科', '新元', '鼎盛', '宏达', '云帆', '安捷', '汇智', '星河', '长城', '东方'];
const CN_TRADES: [string, string][] = [
  ['科技', 'Software'],
  ['信息技术', 'IT services'],
  ['电子', 'Electronics'],
  ['医疗器械', 'Medical devices'],
  ['物流', 'Logistics'],
  ['食品', 'Food'],
  ['新能源', 'Energy'],
  ['建材', 'Construction'],
  ['贸易', 'Trading'],
  ['教育科技', 'Education'],
];
const CN_SUFFIXES = ['有限公司', '股份有限公司', '集团有限公司'];
const CN_SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭'];
const CN_GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '晓东', '志强'];
const CN_TITLES = ['总经理', '采购经理', '技术总监', '财务总监', 'IT 主管', '运营经理'];

const EN_NAMES = ['Northwind', 'Contoso', 'Fabrikam', 'Lakeside', 'Bluewater', 'Summit', 'Redwood', 'Silverline', 'Ironbridge', 'Harbor', 'Evergreen', 'Pioneer'];
const EN_TRADES: [string, string][] = [
  ['Software', 'Software'],
  ['Logistics', 'Logistics'],
  ['Foods', 'Food'],
  ['Medical', 'Medical devices'],
  ['Energy', 'Energy'],
  ['Trading', 'Trading'],
  ['Analytics', 'IT services'],
];
const EN_SUFFIXES = ['Ltd.', 'Inc.', 'GmbH', 'Co., Ltd.', 'LLC'];
const EN_FIRST = ['Emma', 'Liam', 'Olivia', 'Noah', 'Ava', 'Lucas', 'Mia', 'Ethan', 'Sophia', 'James', 'Grace', 'Daniel'];
const EN_LAST = ['Smith', 'Johnson', 'Brown', 'Taylor', 'Miller', 'Wilson', 'Moore', 'Clark', 'Walker', 'Young'];
const EN_TITLES = ['CEO', 'Head of Procurement', 'CTO', 'Operations Manager', 'Finance Director'];

/** Industries of a Chinese workspace, by the English industry of the lists above. */
const CN_INDUSTRIES: Record<string, string> = {
  Software: '软件',
  'IT services': '信息技术服务',
  Electronics: '电子制造',
  'Medical devices': '医疗器械',
  Logistics: '物流运输',
  Food: '食品饮料',
  Energy: '新能源',
  Construction: '建筑建材',
  Trading: '商贸',
  Education: '教育',
  Individual: '个人客户',
};

const SIZES = ['1-10', '11-50', '51-200', '201-1000', '1000+'];
const SOURCES = ['website', 'referral', 'trade show', 'cold call', 'partner', '展会', '老客户介绍'];
/** A Chinese workspace's sources, as its reps write them. */
const CN_SOURCES = ['官网咨询', '老客户介绍', '行业展会', '电话陌拜', '合作伙伴', '百度推广', '微信公众号'];
/** An English workspace's sources: the suggested lead sources, which the interface translates. */
const EN_SOURCES = ['website', 'referral', 'event', 'cold-call', 'partner', 'advertising'];
const CN_NEEDS = ['需要更快的交付周期', '关注售后服务响应速度', '预算有限，希望分期付款', '希望统一管理各地分公司的数据', '计划明年上半年替换旧系统'];
const EN_NEEDS = ['Wants one dashboard for all regions', 'Looking to replace a legacy CRM', 'Needs faster delivery', 'Asks for on-site training'];
const CN_TAGS = ['重点客户', '续约', '新客户', '招投标', '价格敏感', '高潜力'];
const EN_TAGS = ['enterprise', 'smb', 'tender', 'cloud', 'hardware', 'price-sensitive'];
const TAGS = ['重点客户', '续约', '新客户', 'enterprise', 'smb', 'tender', 'cloud', 'hardware', 'price-sensitive', 'vip-lead'];
const NEEDS = ['需要更快的交付周期', 'Wants one dashboard for all regions', '关注售后服务响应速度', 'Looking to replace a legacy CRM', '预算有限，希望分期付款'];

const digits = (r: Prng, n: number) => Array.from({ length: n }, () => r.int(0, 9)).join('');

export interface DemoCustomerOptions {
  teamId: string;
  /** The team's users; each customer is created by, and owned by, one of them. */
  users: User[];
  count?: number;
  seed?: number;
  /** The workspace's language: its names, industries, sources and needs all in it; mixed when unset. */
  locale?: Locale;
}

/** Creates `count` demo customers in the team; returns their ids. */
export async function seedDemoCustomers(ctx: AppContext, opts: DemoCustomerOptions): Promise<string[]> {
  const users = opts.users.filter((u) => u.teamId === opts.teamId && u.active);
  if (users.length === 0) throw new Error('seedDemoCustomers needs at least one active user of the team');
  const r = prng(opts.seed ?? 20_240_601);
  const categories = (await listCategories(ctx.db, opts.teamId)).map((c) => c.key);
  const ids: string[] = [];
  const used = new Set<string>();
  const words =
    opts.locale === 'zh-CN'
      ? { sources: CN_SOURCES, needs: CN_NEEDS, tags: CN_TAGS }
      : opts.locale === 'en'
        ? { sources: EN_SOURCES, needs: EN_NEEDS, tags: EN_TAGS }
        : { sources: SOURCES, needs: NEEDS, tags: TAGS };
  for (let i = 0; i < (opts.count ?? DEMO_CUSTOMERS_DEFAULT); i++) {
    const owner = r.pick(users);
    const chinese = opts.locale ? opts.locale === 'zh-CN' : r.next() < 0.6;
    const person = r.next() < 0.1;
    let name: string;
    let industry: string;
    if (person) {
      name = chinese ? `${r.pick(CN_SURNAMES)}${r.pick(CN_GIVEN)}` : `${r.pick(EN_FIRST)} ${r.pick(EN_LAST)}`;
      industry = 'Individual';
    } else if (chinese) {
      const [trade, en] = r.pick(CN_TRADES);
      name = `${r.pick(CN_CITIES)}${r.pick(CN_BRANDS)}${trade}${r.pick(CN_SUFFIXES)}`;
      industry = en;
    } else {
      const [trade, en] = r.pick(EN_TRADES);
      name = `${r.pick(EN_NAMES)} ${trade} ${r.pick(EN_SUFFIXES)}`;
      industry = en;
    }
    if (opts.locale === 'zh-CN') industry = CN_INDUSTRIES[industry] ?? industry;
    if (used.has(name)) name = `${name} ${i}`;
    used.add(name);
    const domain = `demo${i}.example`;
    const result = await createCustomer(ctx, owner, {
      name,
      kind: person ? 'person' : 'company',
      industry,
      size: person ? '' : r.pick(SIZES),
      phone: chinese ? `1${r.int(3, 9)}${digits(r, 9)}` : `+1 ${r.int(200, 989)} ${digits(r, 3)} ${digits(r, 4)}`,
      email: `info@${domain}`,
      website: person ? '' : `https://www.${domain}`,
      address: chinese ? `${r.pick(CN_CITIES)}市${r.pick(['高新区', '经济开发区', '中心区'])}${r.int(1, 999)}号` : `${r.int(1, 999)} Main Street`,
      source: r.pick(words.sources),
      needs: r.pick(words.needs),
      category: r.pick(categories),
      tags: [...new Set([r.pick(words.tags), r.pick(words.tags)])].slice(0, r.int(0, 2)),
      ownerId: owner.id,
      confirm: true,
    });
    if (result.kind !== 'created') continue;
    const id = result.customer.id;
    ids.push(id);
    for (let k = r.int(0, 3); k > 0; k--) {
      const cn = chinese || (!opts.locale && r.next() < 0.2);
      await createContact(ctx, owner, id, {
        name: cn ? `${r.pick(CN_SURNAMES)}${r.pick(CN_GIVEN)}` : `${r.pick(EN_FIRST)} ${r.pick(EN_LAST)}`,
        title: cn ? r.pick(CN_TITLES) : r.pick(EN_TITLES),
        phone: `1${r.int(3, 9)}${digits(r, 9)}`,
        email: `contact${k}@${domain}`,
        decisionMaker: k === 1,
      });
    }
  }
  return ids;
}
