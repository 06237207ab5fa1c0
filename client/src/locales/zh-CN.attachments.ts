/**
 * Simplified Chinese for attachments (the "Attachments" section of the customer 360° page and the
 * opportunity panel); spread into `templates` by zh-CN.ts. In `str` templates `${n}` stands for
 * the n-th value of the English source.
 */
import { str } from '@lit/localize';

export const attachmentTemplates = {
  'attachments.heading': '附件',
  'attachments.add': '添加文件',
  'attachments.uploading': '正在上传…',
  'attachments.progress': str`正在上传 ${0}`,
  'attachments.hint': str`PDF、图片、Office 文件、文本或 CSV；不超过 ${0} MB`,
  'attachments.empty': '还没有文件。',
  'attachments.unknownUploader': '未知',
  'attachments.remove': '移除',
  'attachments.removeOne': str`移除 ${0}`,
  'attachments.confirmHeading': '移除文件？',
  'attachments.confirmText': str`${0} 将从此记录中移除。文件不会被删除，仍保留在审计记录中。`,
  'attachments.tooLarge': str`文件超过 ${0} MB。`,
  'attachments.typeRefused': '不接受此类文件。请使用 PDF、图片（PNG、JPEG、GIF、WebP）、Word、Excel、PowerPoint、纯文本或 CSV。',
};
