import type { Messages } from '../messages.ts';

export const guide: Messages['guide'] = {
  title: '在此如何连接',
  reopen: '如何连接',
  dismiss: '知道了',
  usingIsolatedApp: '您正在使用已安装的 WebLPA 应用（Isolated Web App）。',
  using: (browser: string, platform: string) => `您正在 ${platform} 上使用 ${browser}。`,
  usingBrowser: (browser: string) => `您正在使用 ${browser}。`,
  usingUnknown: '未能识别此浏览器：以下列表按它实际提供的功能列出。',
  worksHeading: '此处可用',
  blockedHeading: '此处不可用',
  todoHeading: '怎么做',
  links: {
    virtual: '虚拟 eUICC',
    usbReader: 'USB 读卡器',
    serialModem: '串口调制解调器',
    usbModem: 'USB 调制解调器',
    smartCard: '系统智能卡读卡器',
    bridge: '本地读卡器桥',
  },
  works: {
    virtual: '保存在此浏览器中的软件 eUICC，用于试用。',
    usbReader: '标准（CCID）读卡器，前提是系统的智能卡服务已将其释放。',
    serialModem: '蜂窝调制解调器的 AT 端口，通过 Web Serial 访问。',
    usbModem: '通过 USB 访问调制解调器的 AT 端口，前提是没有系统驱动程序占用它。',
    smartCard: '通过系统智能卡服务访问的读卡器。',
    bridge: '通过桥接程序访问本机的 PC/SC 读卡器。',
  },
  why: {
    insecure: '此页面通过普通 http 打开，因此浏览器隐藏了 USB 和串口。',
    noWebUsb: '此浏览器不支持 WebUSB。',
    noWebSerial: '此浏览器不支持 Web Serial。',
    ccidBlocked:
      '浏览器禁止网页使用标准（CCID）智能卡读卡器；只有少数采用厂商专用接口的读卡器可用。',
    ccidBlockedAndroid:
      'Chrome 禁止网页使用标准（CCID）智能卡读卡器，而 Android 上没有可绕过此限制的安装版应用。',
    serialAndroid: '在 Android 上，Web Serial 看不到调制解调器的 AT 端口。',
    smartCardApp: '仅在 ChromeOS 上已安装的 WebLPA 应用中可用。',
    bridgeComputer: '桥接程序运行在电脑上，不适用于手机或平板。',
  },
  todo: {
    secureOrigin: '请通过 https 或在 localhost 上打开 WebLPA，才能使用 USB 和串口设备。',
    bridge: '读卡器：在本机启动本地读卡器桥，然后在下方的桥接选项中列出其读卡器：',
    iwa: '不用桥接的读卡器：在桌面版 Chrome 中安装 Isolated Web App 版本：',
    serialModem: '调制解调器：在“串口调制解调器”中选择其 AT 端口（Quectel、Sierra、SIMCom 等）。',
    serialModemLinux:
      '调制解调器：先停止 ModemManager，再在“串口调制解调器”中选择其 AT 端口（Quectel、Sierra、SIMCom 等）。',
    usbModem: '调制解调器：通过 USB 连接，并选择“USB 调制解调器”。',
    desktopBrowser: 'USB 读卡器和调制解调器需要在电脑上使用 Chrome 或 Edge。',
    virtual: '手头没有硬件？虚拟 eUICC 始终可用，适合试用和演练。',
  },
};
