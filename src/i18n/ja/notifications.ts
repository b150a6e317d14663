import type { Messages } from '../messages.ts';

const unsent =
  '送信せずに破棄すると、オペレーターはそのことを知ることができません。契約が有効なまま残ったり課金が続いたりするおそれがあり、オペレーターがこのプロファイルの再ダウンロードを認めない場合もあります。';

export const notifications: Messages['notifications'] = {
  title: '通知',
  sendAll: 'すべて送信',
  intro:
    'eUICC は、プロファイルを変更するたびにオペレーターのサーバー宛ての署名付き通知を保持します。',
  policyAll: '通知は変更のたびに自動で送信されます。未送信の通知はここに表示されます。',
  policyNone:
    '通知は任意のタイミングで送信します（設定ですべての種類を保持中）。未送信の通知はここに表示されます。',
  policySome: (kinds: string) =>
    `${kinds}の通知はすぐに送信され、その他は任意のタイミングで送信します（設定）。未送信の通知はここに表示されます。`,
  kindNouns: {
    install: 'インストール',
    enable: '有効化',
    disable: '無効化',
    delete: '削除',
  },
  connectFirst: 'eUICC に接続すると通知が表示されます。',
  none: '未送信の通知はありません。',
  caption: '未送信の通知',
  columns: {
    number: '番号',
    event: 'イベント',
    server: 'サーバー',
    actions: '操作',
  },
  events: {
    install: 'インストール',
    enable: '有効化',
    disable: '無効化',
    delete: '削除',
  },
  installFailed: 'インストール失敗',
  send: '送信',
  sendLabel: (seq: number) => `通知 ${seq} を送信`,
  remove: '破棄',
  removeLabel: (seq: number) => `通知 ${seq} を破棄`,
  deleteWarning: (server: string, iccid: string) =>
    `この通知は、プロファイル ${iccid} が削除されたことを ${server} に伝えるものです。${unsent}`,
  deleteWarningNoIccid: (server: string) =>
    `この通知は、プロファイルが削除されたことを ${server} に伝えるものです。${unsent}`,
  removeUnsent: '送信せずに破棄',
  removeUnsentLabel: (seq: number) => `通知 ${seq} を送信せずに破棄`,
  sendInstead: '代わりに送信',
  keep: '残す',
};
