import type { Messages } from '../messages.ts';

export const readers: Messages['readers'] = {
  title: (reader: string) => `${reader} のどこに eUICC があるかを選択`,
  interface: 'インターフェース',
  interfaceLabel: (kind: string, n: number, name: string | undefined) =>
    name ? `${kind}（インターフェース ${n}、${name}）` : `${kind}（インターフェース ${n}）`,
  kinds: {
    contact: '接触',
    contactless: '非接触',
    sam: 'SAM',
    unknown: 'カード',
  },
  cannotUse: (why: string) => `使用できません：${why}`,
  slot: 'スロット',
  slotLabel: (n: number, state: string) => `スロット ${n}（${state}）`,
  states: {
    active: 'カードあり',
    inactive: 'カードあり',
    absent: '空き',
    unknown: '未確認',
  },
  useSlot: 'このスロットを使用',
};
