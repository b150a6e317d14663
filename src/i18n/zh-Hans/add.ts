import type { Messages } from '../messages.ts';

export const add: Messages['add'] = {
  title: '添加配置文件',
  connectFirst: '请先连接 eUICC。',
  connect: '连接',
  methodsLabel: '添加配置文件的方式',
  methods: {
    scan: '扫描二维码',
    image: '二维码图片',
    code: '激活码',
    address: 'SM-DP+ 地址',
    discover: '发现',
  },
  image: {
    drop: '选择、拖放或粘贴二维码图片',
    notAnImage: '该文件不是此浏览器能读取的图片。',
    noCode: '图片中未找到二维码。',
  },
  camera: {
    noAccess: '此浏览器在这里无法使用摄像头（需要安全上下文）。',
    preview: '摄像头预览',
    start: '启动摄像头',
    stop: '停止摄像头',
    toFront: '切换到前置摄像头',
    toBack: '切换到后置摄像头',
    torch: '手电筒',
    pointAt: '请将摄像头对准二维码…',
    notStarted: '无法启动摄像头。',
  },
  discover: {
    ask: (server: string) => `向 SM-DS（${server}）查询是否有配置文件在等待此 eUICC。`,
    rootSmds: 'eUICC 的根 SM-DS',
    asking: '正在查询…',
    start: '发现配置文件',
    waitingAt: (server: string) => `${server} 上有待下载的配置文件`,
    download: '下载',
    nothing: '尚未查询，或没有待下载的配置文件。',
  },
  code: {
    found: '已从二维码读取激活码。请检查后再添加。',
    label: '激活码',
    demo: '本地测试服务器的演示激活码（点击即可填入）',
  },
  address: {
    label: 'SM-DP+ 地址',
    matchingId: 'Matching ID（可留空）',
  },
  submit: '下载配置文件',
  link: {
    kinds: {
      usb: 'USB 读卡器',
      serial: '串口调制解调器',
      usbModem: 'USB 调制解调器',
      smartcard: '智能卡读卡器',
    },
    notIncluded: (what: string) => `此 WebLPA 版本不包含对${what}的支持。`,
    unknownError: '未知错误',
  },
};
