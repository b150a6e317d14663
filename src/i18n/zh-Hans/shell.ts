import type { Messages } from '../messages.ts';
import { plural } from '../format.ts';

export const shell: Messages['shell'] = {
  skipToContent: '跳到主要内容',
  notConnected: '未连接',
  connectionLost: '连接已断开',
  mainMenu: '主菜单',
  nav: {
    connect: '连接',
    profiles: '配置文件',
    add: '添加配置文件',
    chip: '芯片',
    notifications: '通知',
    settings: '设置',
    log: '日志',
    batch: '批量',
  },
  waiting: (n: number) => plural('zh-Hans', n, { other: '# 条待发送' }),
  updateReady: 'WebLPA 新版本已就绪。',
  reloadToUpdate: '重新加载以更新',
};
