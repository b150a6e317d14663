import { plural } from '../format.ts';
import type { Messages } from '../messages.ts';

export const profiles: Messages['profiles'] = {
  title: 'プロファイル',
  add: 'プロファイルを追加',
  refresh: '更新',
  connectFirst: 'プロファイルを表示するには eUICC に接続してください。',
  none: 'インストール済みのプロファイルはまだありません。「プロファイルを追加」からダウンロードできます。',
  listLabel: 'インストール済みのプロファイル',
  notificationsWaiting: (n: number) =>
    plural('ja', n, { other: '送信待ちの通知が # 件あります。' }),
  seeNotifications: '通知を表示',
  states: { enabled: '有効', disabled: '無効' },
  classes: { operational: '運用', test: 'テスト', provisioning: 'プロビジョニング' },
  policyRules: { ppr1: '無効化できません', ppr2: '削除できません' },
  fields: { profileName: 'プロファイル名', profileClass: 'クラス', policyRules: 'ポリシー' },
  nickname: 'ニックネーム',
  saveNickname: 'ニックネームを保存',
  cancel: 'キャンセル',
  enable: '有効化',
  disable: '無効化',
  rename: '名前を変更',
  delete: '削除…',
  disableFirst: '削除する前にプロファイルを無効化してください',
  deleteWarning: (title: string) =>
    `${title} を削除すると eUICC から完全に消去されます。通信事業者による再発行が必要になる場合があります。`,
  deleteWord: '削除',
  deleteWordLatin: 'DELETE',
  deleteAction: 'プロファイルを削除',
  confirm: { before: '確認のため「', after: '」と入力してください' },
  busy: {
    enabling: (title: string) => `${title} を有効化中`,
    disabling: (title: string) => `${title} を無効化中`,
    deleting: (title: string) => `${title} を削除中`,
    renaming: (title: string) => `${title} の名前を変更中`,
  },
  result: {
    enabled: (title: string) => `${title} を有効化しました。`,
    resetNeeded:
      'カードはプロファイルを有効化しましたが、デバイスに再読み込みを要求できません。デバイスで使う前に、カードを抜き差しするか、モデムを再起動（または無線をいったんオフにしてからオン）してください。',
    disabled: (title: string) => `${title} を無効化しました。`,
    deleted: (title: string) => `${title} を削除しました。`,
    renamed: (nickname: string) => `名前を「${nickname}」に変更しました。`,
    nicknameRemoved: 'ニックネームを削除しました。',
  },
};
