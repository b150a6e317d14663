import type { Messages } from '../messages.ts';
import { plural } from '../format.ts';

type ErrorText = Messages['errors']['generic'];

const CANCELLED: ErrorText = {
  title: '已取消',
  detail: '操作已取消；eUICC 上没有任何更改。',
  advice: '准备好后重新开始。',
};

const NEW_CODE = '请向运营商索取新的激活码。';
const SECURE_PAGE = '请通过 https（或在 localhost 上）打开本应用。';

export const errors: Messages['errors'] = {
  panel: {
    whatToDo: '处理方法：',
    forExperts: '专业详情',
    dismiss: '关闭',
  },
  generic: {
    title: '出现问题',
    detail: '意外错误中断了操作。',
    advice: '请重试；如果仍然失败，请导出日志。',
  },
  lpa: {
    consentRefused: {
      title: '配置文件未安装',
      detail: '您拒绝了该配置文件，因此没有安装任何内容。',
      advice: '如果激活码可重复使用，您可以稍后用它再次添加。',
    },
    cancelled: CANCELLED,
    confirmationCodeRequired: {
      title: '需要确认码',
      detail: '此配置文件需要确认码，但未提供。',
      advice: '请输入运营商提供的确认码。',
    },
    es9p: {
      title: 'SM-DP+ 拒绝了请求',
      detail: 'SM-DP+ 拒绝了该请求。',
      advice: '请稍后重试；如果仍然失败，请把下方代码提供给运营商。',
    },
    network: {
      title: '无法连接服务器',
      detail: '服务器没有响应。',
      advice: '请检查网络连接和“设置”中的中继 URL，然后重试。',
    },
    es10: {
      title: 'eUICC 拒绝了命令',
      detail: 'eUICC 拒绝了该命令。',
      advice: '请刷新后重试；下方代码准确说明了 eUICC 的应答。',
    },
    installFailed: {
      title: '配置文件未安装',
      detail: 'eUICC 无法安装该配置文件。',
      advice: '请重试；下方代码说明了安装在哪一步中止。',
    },
    apdu: {
      title: '卡片未接受命令',
      detail: '卡片对命令返回了错误。',
      advice: '请检查卡片是否插好后重试；下方代码说明了卡片的应答。',
    },
    transport: {
      title: '连接问题',
      detail: '与卡片或设备的连接失败。',
      advice: '请检查卡片或设备，然后重新连接。',
    },
    badActivationCode: {
      title: '激活码无效',
      detail: '无法读取激活码。',
      advice: '格式应类似 LPA:1$smdp.example.com$MATCHING-ID。请检查后重试。',
    },
    noAddress: {
      title: '没有 SM-DP+ 地址',
      detail: '未提供 SM-DP+ 地址，且 eUICC 没有默认 SM-DP+。',
      advice: '请输入激活码或 SM-DP+ 地址。',
    },
    serverMismatch: {
      title: '服务器的应答不匹配',
      detail: 'SM-DP+ 的应答属于另一个会话或地址。',
      advice: '请重新开始；如果再次发生，请检查 SM-DP+ 地址。',
    },
    badRequest: {
      title: '请求无效',
      detail: '为此操作提供的某个值无效。',
      advice: '请检查输入内容后重试。',
    },
    internal: {
      title: '操作失败',
      detail: '意外错误中断了操作。',
      advice: '请重试；下方代码可供专业人员参考。',
    },
  },
  activationCode: {
    title: '激活码无效',
    advice: '格式应类似 LPA:1$smdp.example.com$MATCHING-ID。请检查后重试。',
    reasons: {
      empty: '激活码为空。',
      format: '激活码不是 LPA:1$… 格式。',
      address: '激活码中的 SM-DP+ 地址无效。',
      matchingId: '激活码中的匹配 ID 无效。',
      oid: '激活码中的 SM-DP+ OID 无效。',
      confirmationFlag: '激活码中的确认码标志无效。',
      tooLong: '激活码太长。',
    },
  },
  es9p: {
    title: 'SM-DP+ 拒绝了请求',
    codes: {
      '8.2.6/3.8': {
        detail: 'SM-DP+ 不认识此激活码，或者它已被使用。',
        advice: '请向运营商核实激活码；如果已被使用，请索取新的激活码。',
      },
      '8.2.7/2.2': {
        detail: '此配置文件需要确认码。',
        advice: '请输入运营商提供的确认码。',
      },
      '8.2.7/3.8': {
        detail: '确认码错误。',
        advice: '请检查确认码后重试。',
      },
      '8.2.7/6.4': {
        detail: '错误的确认码次数过多：SM-DP+ 已锁定此订单。',
        advice: NEW_CODE,
      },
      '8.1.1/3.8': {
        detail: '此配置文件是为另一个 eUICC（EID）预留的。',
        advice: '请使用订购该配置文件的设备，或为此 EID 索取激活码。',
      },
      '8.8.5/4.1': {
        detail: '下载订单已过期。',
        advice: NEW_CODE,
      },
      '8.8.2/3.1': {
        detail: 'SM-DP+ 与此 eUICC 没有共同信任的证书颁发者。',
        advice: '此 eUICC 无法从该 SM-DP+ 安装配置文件（例如测试 eUICC 遇到生产服务器）。',
      },
      '8.10.1/3.9': {
        detail: 'SM-DP+ 已找不到此下载会话（可能已超时）。',
        advice: '请重新开始下载。',
      },
    },
    other: {
      detail: 'SM-DP+ 拒绝了该请求。',
      advice: '请稍后重试；如果仍然失败，请把下方代码提供给运营商。',
    },
  },
  es9pTransport: {
    network: {
      title: '无法连接服务器',
      detail: '服务器没有响应。它可能已离线，或不允许来自网页的请求（CORS）。',
      advice:
        '请检查网络连接和“设置”中的中继 URL。如果选择了“直连”路由，请改选“自动”（经由中继）。',
    },
    timeout: {
      title: '服务器响应超时',
      detail: '服务器没有及时响应。',
      advice: '请检查网络连接后重试。',
    },
    aborted: CANCELLED,
    http: {
      title: '服务器应答有误',
      detail: '服务器返回了 HTTP 错误。',
      advice: '服务器可能配置有误，或代理篡改了应答。请尝试中继路由。',
    },
    badResponse: {
      title: '服务器应答有误',
      detail: '服务器的应答不符合协议要求。',
      advice: '服务器可能配置有误，或代理篡改了应答。请尝试中继路由。',
    },
    badAddress: {
      title: '服务器地址无效',
      detail: '服务器地址或路由设置无法构成有效的 URL。',
      advice: '请检查“设置”中的 SM-DP+ 地址和中继 URL。',
    },
    noRelay: {
      title: '访问此服务器需要中继',
      detail:
        '此 SM-DP+ 只能通过 ES9+ 中继访问：网页无法直接与 SM-DP+ 服务器通信，而当前未设置中继 URL。没有发送任何内容。',
      advice:
        '打开“设置”，在“访问 SM-DP+ 服务器”下填写 ES9+ 中继 URL（例如 https://relay.example.org/es9p）并保存，然后重新下载。' +
        '使用的是他人托管的应用？请让其运营者在应用的 config.json 中设置 "es9p" 下的 "relayUrl"（或用 VITE_RELAY_URL 构建）。',
    },
  },
  untrustedCertificate: {
    title: '中继不信任此服务器的证书',
    detail: (message: string) => `中继拒绝了服务器的证书：${message}`,
    advice:
      '消息中列出了中继不信任的证书颁发者（CI）。正式的 SM-DP+ 的证书链指向 GSMA CI 或公共根证书；测试服务器的 CI 必须提供给中继（npm start -- --ca <CI 证书文件>）。否则请检查 SM-DP+ 地址。',
  },
  es10: {
    title: 'eUICC 拒绝了命令',
    results: {
      iccidOrAidNotFound: '在 eUICC 上找不到该配置文件。',
      profileNotInDisabledState: '必须先停用该配置文件。',
      profileNotInEnabledState: '该配置文件未启用。',
      disallowedByPolicy: '运营商的配置文件策略禁止此操作。',
      wrongProfileReenabling: '此配置文件目前不能再次启用。',
      catBusy: 'eUICC 正忙于与手机交互（CAT busy）。',
      nothingToDelete: '没有可删除的内容。',
      iccidAlreadyExistsOnEuicc: '此配置文件已安装在 eUICC 上。',
      insufficientMemoryForProfile: 'eUICC 的可用空间不足以容纳此配置文件。',
      iccidNotFound: '在 eUICC 上找不到该配置文件。',
      invalidSignature: '签名验证失败：此 eUICC 不信任该 SM-DP+。',
      invalidCertificate: '此 eUICC 不接受该 SM-DP+ 的证书。',
      ciPKUnknown: 'eUICC 不信任该 SM-DP+ 的证书颁发者。',
      unsupportedCurve: 'eUICC 不支持该 SM-DP+ 的密钥类型。',
    },
    otherResult: 'eUICC 拒绝了该命令。',
    advice: '请刷新后重试；下方代码准确说明了 eUICC 的应答。',
    disableFirst: '请先停用该配置文件（或启用另一个），然后重试。',
  },
  apdu: {
    title: '卡片未接受命令',
    detail: '卡片对命令返回了错误状态。',
    advice: '请检查卡片是否插好后重试；下方代码说明了卡片的应答。',
  },
  isdRNotFound: {
    title: '卡片未接受命令',
    detail: '此卡片上没有 eSIM 管理器（ISD-R）应答：它可能不是 eUICC。',
    advice: '请确认卡片是 eUICC，或在“设置”中设置其 ISD-R AID。',
  },
  usbAccess: {
    title: 'USB 读卡器不可用',
    reasons: {
      protectedClass: {
        detail: '此浏览器不允许网页使用智能卡读卡器。',
        advice:
          'Chrome 禁止网页使用智能卡读卡器。请使用已安装的版本（Isolated Web App）、调制解调器或虚拟 eUICC。',
      },
      busy: {
        detail: '另一个程序正在使用读卡器。',
        advice: '另一个程序占用了读卡器（通常是 pcscd）。请停止它，然后重新连接。',
      },
      accessDenied: {
        detail: '操作系统拒绝访问读卡器。',
        advice: '系统拒绝访问：请添加 udev 规则（Linux）或安装 WinUSB 驱动（Windows）。',
      },
      noWebUsb: {
        detail: '此浏览器不支持 WebUSB。',
        advice: '此浏览器不支持 WebUSB。请在桌面上使用 Chrome 或 Edge。',
      },
      insecureContext: {
        detail: 'USB 访问需要安全页面。',
        advice: SECURE_PAGE,
      },
      noDevice: {
        detail: '未选择读卡器，或所选设备不是智能卡读卡器。',
        advice: '未选择读卡器。请插入读卡器后重试。',
      },
      disconnected: {
        detail: '读卡器已被拔出。',
        advice: '请重新插入读卡器后重试。',
      },
    },
  },
  serialAccess: {
    title: '串口不可用',
    reasons: {
      noWebSerial: {
        detail: '此浏览器不支持 Web Serial。',
        advice: '此浏览器不支持 Web Serial。请在桌面上使用 Chrome 或 Edge。',
      },
      insecureContext: {
        detail: '串口访问需要安全页面。',
        advice: SECURE_PAGE,
      },
      noDevice: {
        detail: '未选择串口。',
        advice: '未选择串口。请插入调制解调器后重试。',
      },
      busy: {
        detail: '无法打开串口：另一个程序或标签页占用了它。',
        advice: '另一个程序占用了串口（通常是 ModemManager）。请停止它，然后重新连接。',
      },
      accessDenied: {
        detail: '操作系统或浏览器拒绝访问串口。',
        advice: '系统拒绝访问串口：请把您的用户加入 dialout 组（Linux），或检查驱动。',
      },
      disconnected: {
        detail: '调制解调器已被拔出。',
        advice: '请重新插入调制解调器后重试。',
      },
    },
  },
  usbModemAccess: {
    title: 'USB 调制解调器不可用',
    reasons: {
      insecureContext: {
        detail: 'USB 访问需要安全页面。',
        advice: SECURE_PAGE,
      },
      noWebUsb: {
        detail: '此浏览器不支持 WebUSB。',
        advice: '此浏览器不支持 WebUSB。请使用 Chrome 或 Edge。',
      },
      noDevice: {
        detail: '未选择调制解调器。',
        advice: '未选择调制解调器。请插入后重试。',
      },
      busy: {
        detail: '另一个驱动或程序占用了调制解调器的 AT 接口。',
        advice:
          '系统驱动占用了调制解调器的 AT 端口。在 Linux 上请停止 ModemManager 并解绑 option/qcserial，或对其 ttyUSB 端口使用“串口调制解调器”选项。',
      },
      accessDenied: {
        detail: '操作系统拒绝访问调制解调器。',
        advice: '系统拒绝访问：请添加 udev 规则（Linux）或安装 WinUSB 驱动（Windows）。',
      },
      noAtInterface: {
        detail: '此设备没有任何 USB 接口响应 AT 命令。',
        advice:
          '此设备没有接口响应 AT 命令。请尝试“串口调制解调器”选项，或调制解调器的其他 USB 模式。',
      },
      disconnected: {
        detail: '调制解调器已被拔出。',
        advice: '请重新插入调制解调器后重试。',
      },
    },
  },
  smartCardAccess: {
    title: '智能卡读卡器不可用',
    reasons: {
      insecureContext: {
        detail: '智能卡访问需要安全页面。',
        advice: '请打开已安装的 WebLPA 应用（或通过 https 打开本应用）。',
      },
      noSmartCardApi: {
        detail: '此浏览器不提供 Web Smart Card API。',
        advice:
          '要使用系统智能卡读卡器，请在 ChromeOS 上使用已安装的 WebLPA 应用；在这里请使用 USB 读卡器、调制解调器或虚拟 eUICC。',
      },
      noService: {
        detail: '系统智能卡服务未运行。',
        advice:
          '请启动智能卡服务：在 ChromeOS 上安装 Smart Card Connector 应用；在 Linux 上启动 pcscd（sudo systemctl start pcscd）。然后重试。',
      },
      noReader: {
        detail: '未找到智能卡读卡器。',
        advice: '请插入智能卡读卡器后重试。',
      },
      noCard: {
        detail: '读卡器中没有卡片。',
        advice: '请将 eUICC 插入读卡器后重试。',
      },
      permissionDenied: {
        detail: '访问智能卡被拒绝。',
        advice: '请在应用设置中允许 WebLPA 访问智能卡（或询问管理员），然后重试。',
      },
      busy: {
        detail: '另一个程序独占了卡片。',
        advice: '另一个程序占用了卡片。请关闭它，然后重新连接。',
      },
      unresponsiveCard: {
        detail: '读卡器中的卡片没有应答。',
        advice: '请按正确方向重新插入卡片；如果仍无应答，读卡器可能不支持该卡片。',
      },
      other: {
        detail: '系统智能卡服务报告了错误。',
        advice: '请重新插入卡片并重新连接。',
      },
    },
    pcsc: {
      bindingMissing: {
        detail: 'PC/SC 绑定（可选的 npm 包“smartcard”）未安装或未构建。',
        advice:
          '请安装 libpcsclite-dev（Debian/Ubuntu：sudo apt-get install libpcsclite-dev），然后运行 npm rebuild smartcard。',
      },
      unknownReader: {
        detail: '没有读卡器使用所给的名称或编号。',
        advice: '请用 npm run lpa -- reader list 列出读卡器，然后给出其中一个名称或编号。',
      },
      cardReset: {
        detail: '另一个程序或读卡器重置了卡；连接已恢复。',
        advice: '请再次运行该命令。',
      },
    },
  },
  bridge: {
    title: '本地读卡器桥不可用',
    reasons: {
      badAddress: {
        detail: '这不是本机上的读卡器桥地址。',
        advice: '请使用 ws://127.0.0.1:35980（或读卡器桥启动时输出的地址）。',
      },
      notRunning: {
        detail: '本地读卡器桥未运行。',
        advice:
          '请在本机用 `npm run lpa -- bridge`（在 WebLPA 文件夹中）启动读卡器桥，保持其运行，然后重试。',
      },
      originRefused: {
        detail: '读卡器桥拒绝了此页面。',
        advice: '请重新启动读卡器桥并允许此页面：npm run lpa -- bridge --origin <此页面的地址>',
      },
      pairingRequired: {
        detail: '此页面尚未与读卡器桥配对。',
        advice: '请输入读卡器桥在其终端中输出的配对码。',
      },
      badPairingCode: {
        detail: '配对码错误。',
        advice: '请输入读卡器桥在终端中输出的最新配对码。',
      },
      pairingLocked: {
        detail: '错误的配对码次数过多。',
        advice: '请稍候，然后输入读卡器桥输出的最新配对码。',
      },
      noChoice: {
        detail: '尚未通过本地读卡器桥选择读卡器。',
        advice: '请在“经本地读卡器桥连接的读卡器”中列出读卡器并选择一个。',
      },
      unknownReader: {
        detail: '该读卡器已不再连接到本机。',
        advice: '请插入读卡器并重新列出读卡器。',
      },
      noCard: {
        detail: '读卡器中没有卡片。',
        advice: '请插入 eUICC 后重试。',
      },
      readerBusy: {
        detail: '该读卡器正被另一个页面或浏览器使用。',
        advice: '请在那边断开（或关闭该标签页），然后重试。',
      },
      tooLarge: {
        detail: '某条消息对读卡器桥来说过大。',
        advice: '这是应用的缺陷；请重新连接。',
      },
      rateLimited: {
        detail: '读卡器桥拒绝了过多的请求。',
        advice: '请重新连接后重试。',
      },
      timeout: {
        detail: '读卡器桥没有及时响应。',
        advice: '请检查读卡器桥的终端，然后重新连接。',
      },
      protocol: {
        detail: '读卡器桥与应用无法相互理解。',
        advice: '请使用与应用相同 WebLPA 版本的读卡器桥。',
      },
      readerError: {
        detail: '读卡器报告了错误。',
        advice: '请重新插入卡片并重新连接。',
      },
    },
    allowOrigin: (origin: string) =>
      `请重新启动读卡器桥并允许此页面：npm run lpa -- bridge --origin ${origin}`,
    retryAfter: (seconds: number) => plural('zh-Hans', seconds, { other: '请在 # 秒后重试。' }),
  },
  smartCardService: {
    title: '智能卡服务报告了错误',
    detail: '系统智能卡服务无法完成请求。',
    advice: '请重新插入卡片并重新连接；下方代码说明了服务的应答。',
  },
  usbTransfer: {
    title: 'USB 调制解调器停止响应',
    detail: '向调制解调器的 USB 传输失败。',
    advice: '请拔下调制解调器，重新插入后再连接。',
  },
  atr: {
    title: '无法读取卡片的复位应答',
    detail: '卡片的首个应答（ATR）格式有误。',
    advice: '请重新插入卡片（触点干净、方向正确），然后重新连接。',
  },
  ccid: {
    title: '读卡器报告了错误',
    reasons: {
      slotError: '读卡器无法与卡片完成命令。',
      badMessage: '读卡器发送了无法读取的应答。',
      unsupported: '读卡器或卡片需要本应用不支持的功能。',
      noCcidDescriptor: '该设备没有声明自己是智能卡读卡器。',
      tooLong: '命令对此读卡器来说太长。',
    },
    advice: '请重新插入卡片并重新连接。',
  },
  atCommand: {
    title: '调制解调器拒绝了命令',
    detail: '调制解调器对命令返回了错误。',
    advice: '该调制解调器可能不支持 SIM 访问命令（AT+CGLA/AT+CSIM）。请尝试其他端口或调制解调器。',
    hints: {
      apduRefused:
        '调制解调器拒绝将此命令转发给 eUICC（问题在其固件，而非卡片）。请重试；如果仍然失败，请更新调制解调器固件，或使用 AT+CSIM 方式连接。',
      blockRefused:
        '调制解调器无法传输这么大的 STORE DATA 块；此后将使用 120 字节的块。请重新开始下载。',
    },
  },
  atNoAnswer: {
    title: '调制解调器没有响应',
    detail: '此端口上没有任何东西响应 AT 命令。',
    advice:
      '可能有其他程序正在使用该端口（在 Linux 上通常是 ModemManager）：请停止它，或选择调制解调器的另一个 AT 端口，然后重新连接。',
  },
  atTimeout: {
    title: '调制解调器未响应',
    detail: '调制解调器没有及时完成命令。',
    advice: '请检查调制解调器是否通电、端口是否选对，然后重新连接。',
  },
  atResponse: {
    title: '调制解调器返回了意外的应答',
    detail: '无法读取调制解调器的应答。',
    advice: '请尝试调制解调器的其他端口（很多有多个），或重新连接。',
  },
  atUnsupported: {
    title: '调制解调器无法访问 eSIM',
    detail: '调制解调器不允许任何命令传到 SIM。',
    advice:
      '此调制解调器没有 SIM 访问命令（AT+CGLA 或 AT+CSIM）。请使用 USB 读卡器或其他调制解调器。',
  },
  connectionLost: {
    title: '连接已断开',
    detail: '卡片或设备已被移除或断开。',
    advice: '请重新插入：WebLPA 会自动重新连接，也可以点击“重新连接”。',
  },
  slotEmpty: {
    title: '此卡槽中没有卡片',
    detail: (reader: string, slot: number) => `${reader} 的卡槽 ${slot} 中没有卡片。`,
    advice: '请将 eUICC 插入此卡槽，或让它空着：其他卡片会继续处理。',
  },
  settings: {
    title: '设置无效',
    detail: (field: string) => `“${field}”的值无法使用。`,
    advice: '请更正该值后再次保存。',
  },
  qr: {
    title: '未找到二维码',
    reasons: {
      noCode: '图片中没有找到二维码。',
      badImage: '无法读取该图片。',
      noCamera: '无法打开摄像头。',
    },
    advice: '请尝试更清晰的图片，或以文本形式粘贴激活码。',
  },
  batchReport: {
    title: '不是批量报告',
    detail: '该文件不是 JSON 格式的 WebLPA 批量报告（运行时写出的 .report.json 文件）。',
    advice: '请选择此计划先前运行的 JSON 报告，或不带报告运行。',
  },
  batchResume: {
    title: '报告属于另一个计划',
    detail: '先前的报告含有此计划没有的行，或行中的激活码或 EID 不同。',
    advice: '请选择此计划的报告，或不带报告运行以重新开始。',
  },
  notAllowed: {
    title: '权限被拒绝',
    detail: '浏览器不允许此操作。',
    advice: '请在浏览器的网站设置中允许访问，或用其他方式输入激活码。',
  },
  notFound: {
    title: '未找到任何内容',
    detail: '没有选择或找到任何内容。',
    advice: '请检查设备是否已连接，然后重试。',
  },
  cancelled: CANCELLED,
  recovery: {
    installed: (at: string) => `来自 ${at} 的中断下载已完成：配置文件已安装。`,
    cancelled: (at: string) => `来自 ${at} 的中断下载已在 eUICC 和服务器上取消。`,
    reported: (at: string) => `来自 ${at} 的中断下载已作为失败报告给服务器；其会话已关闭。`,
    notificationPending: (at: string) =>
      `来自 ${at} 的中断下载留下了一条失败通知：请在“通知”中发送，以便服务器关闭其会话。`,
    expires: (at: string) =>
      `来自 ${at} 的中断下载无法取消：eUICC 已将其丢弃。服务器会在其过期时结束它。`,
    refused: (at: string) => `服务器 ${at} 已关闭了该中断下载。`,
    kept: (at: string) =>
      `来自 ${at} 的中断下载暂时无法取消（服务器没有响应）；下次连接时会再次尝试。`,
  },
  status: {
    savingDefaultDp: '正在保存默认 SM-DP+',
    defaultDpCleared: '已清除默认 SM-DP+。',
    defaultDpSet: (address: string) => `默认 SM-DP+ 已设为 ${address}。`,
    resettingMemory: '正在重置 eUICC 存储',
    memoryReset: 'eUICC 存储已重置。',
    sendingNotification: (seq: number) => `正在发送通知 ${seq}`,
    notificationSent: (seq: number, address: string) => `通知 ${seq} 已送达 ${address} 并已移除。`,
    sendingAll: '正在发送所有通知',
    allSent: (n: number) => plural('zh-Hans', n, { other: '已送达 # 条通知。' }),
    someKept: (sent: number, kept: number, detail: string) =>
      `已发送 ${sent} 条，保留 ${kept} 条：${detail}`,
    removingNotification: (seq: number) => `正在移除通知 ${seq}`,
    notificationRemoved: (seq: number) => `通知 ${seq} 已移除，未发送。`,
    adding: '正在添加配置文件',
    settingsSaved: '设置已保存。',
    settingsImported: '设置已导入。',
  },
};
