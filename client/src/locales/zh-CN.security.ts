/**
 * Simplified Chinese for the security events page (admins); spread into `templates` by
 * zh-CN.ts. In `str` templates `${n}` stands for the n-th value of the English source.
 */
import { str } from '@lit/localize';

export const securityTemplates = {
  'nav.security': '安全',
  'security.account': '账号',
  'security.allKinds': '全部事件',
  'security.count': str`已显示 ${0} 条事件`,
  'security.docRefused': str`${0}：${1}`,
  'security.empty': '还没有安全事件',
  'security.emptyKind': '没有此类事件',
  'security.emptyKindText': '请选择其他事件类型，或查看全部事件。',
  'security.emptyText': '登录失败和触发的登录限制会列在这里。',
  'security.event': '事件',
  'security.from': '来源',
  'security.intro': '登录失败、触发的登录限制及其他安全事件，按时间倒序排列。系统从不记录密码。',
  'security.kind.docRefused': '访问被拒绝',
  'security.kind.loginFailed': '登录失败',
  'security.kind.loginThrottled': '触发登录限制',
  'security.kind.passwordChanged': '密码已修改',
  'security.kind.passwordReset': '密码已重置',
  'security.kind.passwordResetRequested': '申请重置密码',
  'security.kind.totpFailed': '两步验证码错误',
  'security.kindFilter': '事件类型',
  'security.limit.account': str`该账号从多个地址登录失败次数过多：需等待 ${0} 秒`,
  'security.limit.address': str`该地址登录失败次数过多：需等待 ${0} 秒`,
  'security.limit.pair': str`该账号从此地址登录失败次数过多：需等待 ${0} 秒`,
  'security.loadFailed': '无法加载安全事件',
  'security.more': '显示更早的事件',
  'security.noAccount': '不是已有账号',
  'security.reason.deactivated': '该账号已停用',
  'security.reason.unknownLogin': '没有使用此登录名的账号',
  'security.reason.wrongPassword': '密码错误',
  'security.refresh': '刷新',
  'security.title': '安全事件',
  'security.when': '时间',
};
