import type { Messages } from '../messages.ts';
import { plural } from '../format.ts';

export const shell: Messages['shell'] = {
  skipToContent: 'コンテンツへスキップ',
  notConnected: '未接続',
  connectionLost: '接続が切れました',
  mainMenu: 'メインメニュー',
  nav: {
    connect: '接続',
    profiles: 'プロファイル',
    add: 'プロファイルを追加',
    chip: 'チップ',
    notifications: '通知',
    settings: '設定',
    log: 'ログ',
    batch: '一括',
  },
  waiting: (n: number) => plural('ja', n, { other: '未送信 # 件' }),
  updateReady: 'WebLPA の新しいバージョンを利用できます。',
  reloadToUpdate: '再読み込みして更新',
};
