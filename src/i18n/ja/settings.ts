import type { Messages } from '../messages.ts';

export const settings: Messages['settings'] = {
  title: '設定',
  es9p: 'SM-DP+ サーバーへの接続（ES9+）',
  route: '経路',
  routes: {
    auto: {
      label: '自動（推奨）',
      help: '転送先を設定したアドレスはそこへ直接、それ以外の SM-DP+ はすべてリレー経由で接続します。',
    },
    direct: {
      label: '直接',
      help: 'すべての SM-DP+ をこのページから直接呼び出します。許可（CORS）があり、ブラウザーが信頼する証明書を持つサーバーでのみ動作します。',
    },
    relay: {
      label: 'リレー',
      help: '転送先のない SM-DP+ はすべてリレー経由で接続します。現在は「自動」と同じで、この値で保存された設定のために残しています。',
    },
  },
  relayUrl: 'リレーの URL',
  relayNone: 'リレーが未設定です。下で転送先を設定したアドレスにのみ接続できます。',
  relayHelp: 'SM-DP+ サーバーへリクエストを中継する ES9+ リレーです。',
  overrides: 'アドレスごとの転送先',
  overridesHelp:
    'あるアドレスへのリクエストを別のベース URL（ローカルのテストサーバーなど）へ送ります。',
  overrideAddress: 'アドレス',
  overrideUrl: 'ベース URL',
  removeOverride: '転送先を削除',
  addOverride: '転送先を追加',
  device: 'デバイス',
  tac: 'TAC（8 桁）',
  imei: 'IMEI（任意）',
  cardAccess: 'カードへのアクセス',
  isdrAid: 'ISD-R AID（空欄：既知のものを試す）',
  storeDataBlock: 'STORE DATA のブロックサイズ（0：接続の最大値）',
  notifications: '変更後の通知',
  notificationsHelp:
    'eUICC は変更のたびに、事業者向けの署名付き通知を保存します。種類ごとに、すぐ送信するか、「通知」から送信するまで eUICC に保持するかを選べます。',
  notificationKinds: {
    install: {
      label: 'インストールの通知',
      help: 'プロファイルが届いたことを事業者に伝えます。回線の開通前にこの通知を待つサーバーもあります。',
    },
    enable: {
      label: '有効化の通知',
      help: 'プロファイルが有効化されたことを伝えます。',
    },
    disable: {
      label: '無効化の通知',
      help: 'プロファイルが無効化されたことを伝えます。',
    },
    delete: {
      label: '削除の通知',
      help: 'プロファイルが削除されたことを事業者に伝え、契約の終了や移行を可能にします。',
    },
  },
  sendAtOnce: 'すぐに送信',
  keepOnEuicc: 'eUICC に保持',
  behaviour: '動作',
  theme: 'テーマ',
  themes: {
    system: 'システムに従う',
    light: 'ライト',
    dark: 'ダーク',
  },
  language: '言語',
  languageSystem: 'ブラウザーに従う',
  maskSecrets: 'ログの機密情報を隠す（マッチング ID、確認コード、IMEI）',
  save: '設定を保存',
  undo: '変更を元に戻す',
  reset: '初期設定に戻す',
  exportImport: 'エクスポートとインポート',
  export: '設定をエクスポート',
  import: '設定をインポート',
  notSaved: '保存されていません。印の付いた値を直してから、もう一度保存してください。',
  notImported: 'ファイルから何もインポートされませんでした。',
  invalid: {
    settings: '設定は JSON オブジェクトである必要があります。',
    config: 'config.json は JSON オブジェクトである必要があります。',
    file: 'このファイルは JSON ではありません。',
    route: '経路は「auto」「direct」「relay」のいずれかです。',
    relayUrl: 'http または https の URL を入力するか、空欄にしてください。',
    overrides:
      '各転送先には、ホスト名（:ポート は任意）と http または https のベース URL が必要です。',
    tac: 'TAC はちょうど 8 桁の数字です。',
    imei: 'IMEI は 15 桁か 16 桁の数字、または空欄です。',
    isdrAid: 'ISD-R AID は 5〜16 バイトの 16 進数（偶数桁）、または空欄です。',
    storeDataBlock: 'ブロックサイズは 0（接続の最大値）か、16〜255 です。',
    smdsAddress: 'SM-DS のアドレスはホスト名です（:ポート は任意）。',
    maskSecrets: '「maskSecrets」は true か false です。',
    theme: 'テーマは「system」「light」「dark」のいずれかです。',
    language: '言語は「system」か、対応する言語タグです。',
    notificationPolicy:
      '通知の各種類（install、enable、disable、delete）は「send」か「keep」です。',
    autoSendNotifications: '「autoSendNotifications」は true か false です。',
  },
};
