import type { Messages } from '../messages.ts';

export const bridge: Messages['bridge'] = {
  address: '读卡器桥地址',
  listReaders: '列出读卡器',
  asking: '正在询问读卡器桥…',
  pairingCode: '配对码',
  pairingHint: '读卡器桥在其终端中显示的代码。此浏览器只需输入一次，之后会记住。',
  pair: '配对',
  noReaders: '读卡器桥未发现读卡器：请插入一个，然后重新列出。',
  readersList: '此计算机上的读卡器',
  cardIn: '已插卡',
  noCard: '无卡',
  connectedHere: '已在此连接',
  inUse: '使用中',
  lastUsed: '上次使用',
  connectTo: (reader: string) => `连接到 ${reader}`,
  noChoice: '尚未通过本地读卡器桥选择读卡器。',
};
