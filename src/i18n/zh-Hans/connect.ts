import type { Messages } from '../messages.ts';

export const connect: Messages['connect'] = {
  title: '连接 eUICC',
  lost: (name: string) => `与 ${name} 的连接已断开。`,
  theEuicc: 'eUICC',
  available: (lastUsed: boolean) =>
    lastUsed ? '可在此浏览器中使用（上次使用）。' : '可在此浏览器中使用。',
  notAvailable: (reason: string) => `此处不可用：${reason}`,
  connectedTo: (name: string) => `已连接到 ${name}。`,
  options: {
    virtual: {
      label: '虚拟 eUICC',
      use: '使用虚拟 eUICC',
      description: '保存在此浏览器中的软件 eUICC，用于试用和测试。',
    },
    usb: {
      label: 'USB 读卡器',
      use: '使用 USB 读卡器',
      description: '插有 eUICC 的 USB 智能卡读卡器（WebUSB）。',
    },
    serial: {
      label: '串口调制解调器',
      use: '使用串口调制解调器',
      description: '带 eUICC 的蜂窝调制解调器，通过 AT 命令控制（WebSerial）。',
    },
    usbModem: {
      label: 'USB 调制解调器',
      use: '使用 USB 调制解调器',
      description:
        '直接通过 USB 访问其 AT 端口的蜂窝调制解调器（WebUSB），例如在 Android 版 Chrome 中，' +
        'Web Serial 无法识别调制解调器端口。',
    },
    smartcard: {
      label: '系统智能卡读卡器',
      use: '使用系统智能卡读卡器',
      description: '通过系统智能卡服务使用的智能卡读卡器；在 ChromeOS 上安装的 WebLPA 应用中可用。',
    },
    bridge: {
      label: '经本地读卡器桥连接的读卡器',
      description:
        '本机上的 PC/SC 读卡器，经 WebLPA 的读卡器桥访问（npm run lpa -- bridge）；适用于所有浏览器。',
    },
  },
  unavailable: {
    insecure: '此页面不是安全上下文：请通过 https 或在 localhost 上打开。',
    noWebUsb: '此浏览器不支持 WebUSB（请在桌面端使用 Chrome 或 Edge）。',
    noWebSerial: '此浏览器不支持 WebSerial（请在桌面端使用 Chrome 或 Edge）。',
    noWebUsbModem: '此浏览器不支持 WebUSB（请在桌面端或 Android 上使用 Chrome 或 Edge）。',
    noSmartCardApi:
      '此浏览器不支持 Web Smart Card API：只有 ChromeOS 上 Chrome 中安装的 WebLPA 应用' +
      '（Isolated Web App）才支持。在这里请使用 USB 读卡器、调制解调器或虚拟 eUICC。',
  },
};
