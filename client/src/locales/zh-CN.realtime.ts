/**
 * Simplified Chinese for what the live-document controller reports (refused
 * changes, connection problems); spread into `templates` by zh-CN.ts. In
 * `str` templates `${n}` stands for the n-th value of the English source.
 */
import { str } from '@lit/localize';

export const realtimeTemplates = {
  'doc.discardConfirm': '放弃本页未能发送的修改，并显示已保存的版本？',
  'doc.discardUnsent': '放弃我未发送的修改',
  'doc.error.full': '该记录已达到大小上限：你刚才的修改无法保存。它只保留在本页上。',
  'doc.error.rateLimited': '短时间内修改过多：实时连接将暂停几秒。你的修改会保留，连接恢复后自动发送。',
  'doc.error.rejected': '你刚才的修改过大或格式有误，无法发送。它只保留在本页上；稍后会重新连接。',
  'doc.refused': str`你刚才的修改未被接受：${0}`,
  'doc.refusedPlain': '你刚才的修改未被接受。',
  'doc.reason.owner': '只有经理和管理员可以把它分配给别人',
  'doc.reason.forbidden': '你没有权限做这项修改',
  'doc.reason.name': '名称必填，且长度有限',
  'doc.reason.stage': '该阶段已不在此销售管道中',
  'doc.reason.lostReason': '移到丢单阶段需要填写原因',
  'doc.reason.invalid': '该值在这里不被接受',
};
