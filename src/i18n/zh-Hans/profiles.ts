import { plural } from '../format.ts';
import type { Messages } from '../messages.ts';

export const profiles: Messages['profiles'] = {
  title: '配置文件',
  add: '添加配置文件',
  refresh: '刷新',
  connectFirst: '连接 eUICC 后即可查看其配置文件。',
  none: '尚未安装任何配置文件。点击“添加配置文件”即可下载。',
  listLabel: '已安装的配置文件',
  notificationsWaiting: (n: number) => plural('zh-Hans', n, { other: '有 # 条通知等待发送。' }),
  seeNotifications: '查看通知',
  states: { enabled: '已启用', disabled: '已停用' },
  classes: { operational: '运营', test: '测试', provisioning: '预配' },
  policyRules: { ppr1: '不可停用', ppr2: '不可删除' },
  fields: { profileName: '配置文件名称', profileClass: '类别', policyRules: '策略规则' },
  nickname: '昵称',
  saveNickname: '保存昵称',
  cancel: '取消',
  enable: '启用',
  disable: '停用',
  rename: '重命名',
  delete: '删除…',
  disableFirst: '删除前请先停用此配置文件',
  deleteWarning: (title: string) =>
    `删除 ${title} 会将其从 eUICC 上永久移除；运营商可能需要重新签发。`,
  deleteWord: '删除',
  deleteWordLatin: 'DELETE',
  deleteAction: '删除配置文件',
  confirm: { before: '输入“', after: '”以确认' },
  busy: {
    enabling: (title: string) => `正在启用 ${title}`,
    disabling: (title: string) => `正在停用 ${title}`,
    deleting: (title: string) => `正在删除 ${title}`,
    renaming: (title: string) => `正在重命名 ${title}`,
  },
  result: {
    enabled: (title: string) => `${title} 已启用。`,
    resetNeeded:
      '卡已启用该配置文件，但无法让设备重新加载它：在设备使用前，请取出并重新插入卡，或重启调制解调器（或关闭再打开其无线射频）。',
    disabled: (title: string) => `${title} 已停用。`,
    deleted: (title: string) => `${title} 已删除。`,
    renamed: (nickname: string) => `已重命名为“${nickname}”。`,
    nicknameRemoved: '昵称已移除。',
  },
};
