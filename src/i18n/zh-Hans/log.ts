import type { Messages } from '../messages.ts';
import { formatNumber, plural } from '../format.ts';

export const log: Messages['log'] = {
  title: '日志',
  filterLabel: '筛选日志',
  filterPlaceholder: '筛选（十六进制、函数、URL…）',
  maskSecrets: '隐藏机密信息',
  copy: '复制',
  export: '导出',
  exportJson: '导出 JSON',
  clear: '清空',
  entryCopied: '已复制该条目。',
  logCopied: '已复制日志。',
  shown: (shown: number, total: number) =>
    plural('zh-Hans', total, { other: `共 # 条交互，显示 ${formatNumber('zh-Hans', shown)} 条。` }),
  olderBodiesDropped: (n: number) => plural('zh-Hans', n, { other: '已丢弃 # 条较早条目的内容。' }),
  durationMs: (ms: string) => `${ms} 毫秒`,
  empty: '尚无日志记录。',
  copyEntry: '复制条目',
  droppedSummary: (size: string) => `> [已从日志中丢弃 ${size}]`,
  droppedBody: (size: string) => `为限制日志大小，已丢弃 ${size}`,
  parts: {
    body: '内容',
    error: '错误',
    command: '命令',
    response: '响应',
    request: '请求',
    es10Request: (blocks: number) =>
      plural('zh-Hans', blocks, { other: 'ES10 请求（# 个 STORE DATA 块）' }),
    es10Response: (pieces: number) => plural('zh-Hans', pieces, { other: 'ES10 响应（# 个分段）' }),
    requestField: (field: string) => `请求：${field}`,
    responseField: (field: string) => `响应：${field}`,
  },
};
