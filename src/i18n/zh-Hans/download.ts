import type { Messages } from '../messages.ts';

export const download: Messages['download'] = {
  steps: {
    getEuiccChallenge: '正在向 eUICC 请求质询',
    getEuiccInfo1: '正在读取 eUICC 的能力',
    initiateAuthentication: '正在联系 SM-DP+',
    authenticateServer: 'eUICC 正在验证 SM-DP+',
    authenticateClient: 'SM-DP+ 正在验证 eUICC',
    consent: '正在等待你的同意',
    confirmationCode: '正在等待确认码',
    prepareDownload: '正在准备下载',
    getBoundProfilePackage: '正在下载配置文件',
    loadBoundProfilePackage: '正在将配置文件安装到 eUICC',
    handleNotification: '正在通知 SM-DP+ 已完成安装',
    done: '完成',
  },
  starting: '正在开始…',
  cancel: '取消',
  code: {
    title: '确认码',
    intro: '此配置文件需要运营商提供的确认码。',
    label: '确认码',
    submit: '继续',
  },
  consent: {
    title: '安装此配置文件？',
    intro: '配置文件将以停用状态保存在 eUICC 上，之后可在“配置文件”中启用。',
    operator: '运营商',
    profile: '配置文件',
    profileClass: '类别',
    policyRules: '策略规则',
    install: '安装',
    decline: '不安装',
  },
  running: {
    title: '正在添加配置文件',
    progress: '下载进度',
    percent: (p: string) => `${p}%`,
    sent: (sent: string, total: string) => `已向 eUICC 发送 ${sent}，共 ${total}`,
  },
  done: {
    title: '配置文件已安装',
    named: (name: string) => `${name} 已安装到 eUICC。在“配置文件”中启用后即可使用。`,
    namedFrom: (name: string, provider: string) =>
      `来自 ${provider} 的 ${name} 已安装到 eUICC。在“配置文件”中启用后即可使用。`,
    unnamed: '配置文件已安装到 eUICC。在“配置文件”中启用后即可使用。',
    unnamedFrom: (provider: string) =>
      `来自 ${provider} 的配置文件已安装到 eUICC。在“配置文件”中启用后即可使用。`,
    kiosk: '此页面将在几秒后回到开始。',
    toProfiles: '前往配置文件',
    another: '继续添加',
  },
  back: '返回表单',
};
