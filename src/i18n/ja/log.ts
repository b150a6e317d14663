import type { Messages } from '../messages.ts';
import { formatNumber, plural } from '../format.ts';

export const log: Messages['log'] = {
  title: 'ログ',
  filterLabel: 'ログを絞り込む',
  filterPlaceholder: '絞り込み（16 進、関数、URL…）',
  maskSecrets: '秘密情報を隠す',
  copy: 'コピー',
  export: 'エクスポート',
  exportJson: 'JSON でエクスポート',
  clear: 'クリア',
  entryCopied: 'エントリをコピーしました。',
  logCopied: 'ログをコピーしました。',
  shown: (shown: number, total: number) =>
    plural('ja', total, { other: `# 件中 ${formatNumber('ja', shown)} 件のやり取りを表示中。` }),
  olderBodiesDropped: (n: number) =>
    plural('ja', n, { other: '古いエントリ # 件の本文を破棄しました。' }),
  durationMs: (ms: string) => `${ms} ms`,
  empty: 'まだ何も記録されていません。',
  copyEntry: 'エントリをコピー',
  droppedSummary: (size: string) => `> [${size}をログから破棄]`,
  droppedBody: (size: string) => `ログの容量を抑えるため ${size}を破棄しました`,
  parts: {
    body: '本文',
    error: 'エラー',
    command: 'コマンド',
    response: 'レスポンス',
    request: 'リクエスト',
    es10Request: (blocks: number) =>
      plural('ja', blocks, { other: 'ES10 リクエスト（STORE DATA # ブロック）' }),
    es10Response: (pieces: number) =>
      plural('ja', pieces, { other: 'ES10 レスポンス（# 個に分割）' }),
    requestField: (field: string) => `リクエスト：${field}`,
    responseField: (field: string) => `レスポンス：${field}`,
  },
};
