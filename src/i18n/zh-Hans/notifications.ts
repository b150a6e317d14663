import type { Messages } from '../messages.ts';

const unsent =
  '若未发送就移除，运营商将永远不会得知：该号码可能仍然有效或继续计费，运营商也可能不允许您再次下载该配置文件。';

export const notifications: Messages['notifications'] = {
  title: '通知',
  sendAll: '全部发送',
  intro: 'eUICC 会为每次配置文件变更保存一条已签名的通知，供发送到运营商的服务器。',
  policyAll: '通知会在每次变更后自动发送；等待发送的通知列在这里。',
  policyNone: '通知由您决定何时发送（设置中保留所有类型）；等待发送的通知列在这里。',
  policySome: (kinds: string) =>
    `${kinds}通知会立即发送，其余的由您决定何时发送（设置）；等待发送的通知列在这里。`,
  kindNouns: {
    install: '安装',
    enable: '启用',
    disable: '停用',
    delete: '删除',
  },
  connectFirst: '连接 eUICC 后即可查看其通知。',
  none: '没有等待发送的通知。',
  caption: '待发送的通知',
  columns: {
    number: '序号',
    event: '事件',
    server: '服务器',
    actions: '操作',
  },
  events: {
    install: '已安装',
    enable: '已启用',
    disable: '已停用',
    delete: '已删除',
  },
  installFailed: '安装失败',
  send: '发送',
  sendLabel: (seq: number) => `发送通知 ${seq}`,
  remove: '移除',
  removeLabel: (seq: number) => `移除通知 ${seq}`,
  deleteWarning: (server: string, iccid: string) =>
    `此通知用于告知 ${server}：配置文件 ${iccid} 已被删除。${unsent}`,
  deleteWarningNoIccid: (server: string) =>
    `此通知用于告知 ${server}：某个配置文件已被删除。${unsent}`,
  removeUnsent: '不发送直接移除',
  removeUnsentLabel: (seq: number) => `不发送直接移除通知 ${seq}`,
  sendInstead: '改为发送',
  keep: '保留',
};
