import type { Messages } from '../messages.ts';

export const download: Messages['download'] = {
  steps: {
    getEuiccChallenge: 'eUICC にチャレンジを要求中',
    getEuiccInfo1: 'eUICC の機能を読み取り中',
    initiateAuthentication: 'SM-DP+ に接続中',
    authenticateServer: 'eUICC が SM-DP+ を検証中',
    authenticateClient: 'SM-DP+ が eUICC を検証中',
    consent: '同意を待っています',
    confirmationCode: '確認コードを待っています',
    prepareDownload: 'ダウンロードを準備中',
    getBoundProfilePackage: 'プロファイルをダウンロード中',
    loadBoundProfilePackage: 'eUICC にプロファイルをインストール中',
    handleNotification: 'SM-DP+ にインストール完了を通知中',
    done: '完了',
  },
  starting: '開始しています…',
  cancel: 'キャンセル',
  code: {
    title: '確認コード',
    intro: 'このプロファイルには、通信事業者から受け取った確認コードが必要です。',
    label: '確認コード',
    submit: '続行',
  },
  consent: {
    title: 'このプロファイルをインストールしますか？',
    intro:
      'プロファイルは無効の状態で eUICC に保存されます。後で「プロファイル」から有効化できます。',
    operator: '通信事業者',
    profile: 'プロファイル',
    profileClass: 'クラス',
    policyRules: 'ポリシー',
    install: 'インストール',
    decline: 'インストールしない',
  },
  running: {
    title: 'プロファイルを追加中',
    progress: 'ダウンロードの進行状況',
    percent: (p: string) => `${p}%`,
    sent: (sent: string, total: string) => `eUICC に送信済み: ${sent} / ${total}`,
  },
  done: {
    title: 'プロファイルをインストールしました',
    named: (name: string) =>
      `${name} を eUICC にインストールしました。使い始めるには「プロファイル」で有効化してください。`,
    namedFrom: (name: string, provider: string) =>
      `${provider} の ${name} を eUICC にインストールしました。使い始めるには「プロファイル」で有効化してください。`,
    unnamed:
      'プロファイルを eUICC にインストールしました。使い始めるには「プロファイル」で有効化してください。',
    unnamedFrom: (provider: string) =>
      `${provider} のプロファイルを eUICC にインストールしました。使い始めるには「プロファイル」で有効化してください。`,
    kiosk: 'この画面は数秒後に最初に戻ります。',
    toProfiles: 'プロファイルへ',
    another: '続けて追加',
  },
  back: 'フォームに戻る',
};
