/**
 * Simplified Chinese for working offline (offline/offline-messages.ts, the
 * sign-in page's shared-computer choice); spread into `templates` by zh-CN.ts.
 */
import { str } from '@lit/localize';

export const offlineTemplates = {
  'offline.status.connecting': '正在连接…',
  'offline.status.live': '实时',
  'offline.status.syncing': '正在同步你的修改…',
  'offline.status.offline': '离线：可以继续编辑，连接恢复后自动发送',
  'offline.status.offlineOne': '离线：1 项修改等待发送',
  'offline.status.offlineMany': str`离线：${0} 项修改等待发送`,
  'offline.status.refused': str`已断开：${0}`,
  'offline.reason.closed': '连接已关闭',
  'offline.reason.session': '登录已失效',
  'offline.reason.access': '你已无权打开',
  'offline.reason.rate': '短时间内修改过多',
  'offline.reason.rejected': '有修改无法发送',
  'offline.section': '离线时不可用：连接恢复后重新显示。',
  'offline.record': '你已离线：这是保存在本设备上的副本。你的修改会先保存在这里，连接恢复后自动发送。',
  'signIn.sharedDevice': '公用电脑：不在本设备上保存任何离线数据',
};
