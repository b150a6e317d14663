import type { Messages } from '../messages.ts';

export const readers: Messages['readers'] = {
  title: (reader: string) => `选择 eUICC 在 ${reader} 中的位置`,
  interface: '接口',
  interfaceLabel: (kind: string, n: number, name: string | undefined) =>
    name ? `${kind}（接口 ${n}，${name}）` : `${kind}（接口 ${n}）`,
  kinds: {
    contact: '接触式',
    contactless: '非接触式',
    sam: 'SAM',
    unknown: '卡',
  },
  cannotUse: (why: string) => `无法使用：${why}`,
  slot: '卡槽',
  slotLabel: (n: number, state: string) => `卡槽 ${n}（${state}）`,
  states: {
    active: '有卡',
    inactive: '有卡',
    absent: '空',
    unknown: '尚未检查',
  },
  useSlot: '使用此卡槽',
};
