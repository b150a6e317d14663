import type { Messages } from '../messages.ts';
import { formatNumber, plural } from '../format.ts';

const n = (v: number): string => formatNumber('zh-Hans', v);

export const batch: Messages['batch'] = {
  title: '批量',
  intro:
    '在多张卡上同时运行一份激活码计划：虚拟 eUICC（演练：仅为本次运行创建，不会保留）、USB 读卡器的所有卡槽，或本地读卡器桥的读卡器。',
  cliBefore: '同一计划也可用 ',
  cliAfter: ' 在 PC/SC 读卡器上运行。',
  planLabel: '计划（带表头行的 CSV，或 JSON）',
  planFile: '计划文件',
  sources: {
    legend: '卡',
    virtual: '虚拟 eUICC（演练）',
    usb: 'USB 读卡器的所有卡槽',
    usbNote: '一台读卡器（WebUSB）：每个插有 eUICC 的卡槽算一张卡；空卡槽会得到一行错误。',
    usbMissing:
      '此处不可用：此页面没有 WebUSB（需在安全页面上使用 Chrome 或 Edge，或使用已安装的应用）。',
    bridge: '经本地读卡器桥的读卡器',
    bridgeNote: '已配对的本地读卡器桥列出的每台读卡器算一张卡；请先在“连接”中配对。',
    bridgeStartBefore: '读卡器桥用 ',
    bridgeStartAfter: ' 启动。',
  },
  virtualCount: '虚拟 eUICC 数量',
  bridgeAddress: '读卡器桥地址',
  run: {
    virtual: '开始演练',
    usb: '选择读卡器并运行',
    bridge: '在读卡器桥的读卡器上运行',
    running: '运行中…',
    stop: '停止',
  },
  cardNames: {
    virtual: (index: string) => `虚拟 eUICC ${index}`,
    usbSlot: (reader: string, slot: string) => `${reader} 卡槽 ${slot}`,
    bridge: (reader: string) => `${reader}（读卡器桥）`,
  },
  issues: {
    title: '计划未运行：',
    plan: '整个计划',
    row: (row: string) => `第 ${row} 行`,
    withColumn: (place: string, column: string) => `${place}，${column}`,
  },
  problems: {
    notText: '必须是文本。',
    notString: '必须是字符串；EID 和 ICCID 请加引号书写。',
    acAndSmdp: '请只给出激活码，或只给出 smdp 和 matchingId，不要同时给出。',
    badSmdpAddress: '不是有效的 SM-DP+ 地址；请填写主机名，如 smdp.example.com，可带 :端口。',
    badMatchingId: '不是有效的匹配 ID；不能包含空格、控制字符或 $。',
    noAddress: '既没有激活码，也没有 SM-DP+ 地址。',
    matchingIdWithoutSmdp: '匹配 ID 需要配合 SM-DP+ 地址（smdp 列）。',
    confirmationCodeTooLong: (max: number) => `超过 ${n(max)} 个字符。`,
    confirmationCodeMissing: '激活码要求确认码，但该行没有提供。',
    badEid: (value: string) => `“${value}”不是 EID；EID 为 32 位数字。`,
    eidCheckDigits: (value: string) => `“${value}”：EID 的校验位不正确，请检查是否输错。`,
    notBoolean: (value: string) => `“${value}”不是 true/false、yes/no 或 1/0。`,
    nicknameTooLong: (maxBytes: number) => `超过 ${n(maxBytes)} 字节（UTF-8）。`,
    badIccid: (value: string) => `“${value}”不是 ICCID；ICCID 为 18 到 20 位数字。`,
    eidTwice: (eid: string, firstRow: number) =>
      `EID ${eid} 已在第 ${n(firstRow)} 行中；每个 eUICC 只能有一行。`,
    noRows: '计划中没有任何行。',
    empty: '计划为空。',
    unknownColumn: '未知的列。',
    columnTwice: '该列重复出现。',
    fieldCount: (got: number, want: number) => `有 ${n(got)} 个字段，而表头有 ${n(want)} 个。`,
    csvSyntax: {
      unclosedQuote: (line: number) => `文本第 ${n(line)} 行：带引号的字段没有闭合。`,
      textAfterQuote: (line: number) =>
        `文本第 ${n(line)} 行：字段的结束引号后还有文字（引号本身请写成 ""）。`,
      quoteInField: (line: number) =>
        `文本第 ${n(line)} 行：未加引号的字段中有引号（请给整个字段加引号）。`,
      bareCarriageReturn: (line: number) => `文本第 ${n(line)} 行：回车符后没有换行符。`,
    },
    notJson: '不是有效的 JSON。',
    jsonShape: 'JSON 计划应为由行组成的数组，或 {"rows": [...]}。',
    rowNotObject: '每一行都必须是 JSON 对象。',
  },
  failures: {
    notPaired: (url: string) =>
      `此页面尚未与 ${url} 的读卡器桥配对：请在“连接”的“经本地读卡器桥连接的读卡器”中配对，然后重新运行计划。`,
    noReaders: (url: string) => `${url} 的读卡器桥没有列出任何读卡器。`,
  },
  saved: {
    title: '已保存的上次运行',
    summary: (where: string, started: string, ok: number, rows: number) =>
      `在${where}上，开始于 ${started}：${n(rows)} 行中 ${n(ok)} 行成功。`,
    where: { usb: 'USB 读卡器的各卡槽', bridge: '本地读卡器桥的读卡器' },
    note: '在同一批卡上再次运行同一计划会继续上次运行：已完成的行会跳过，中断的行只执行剩余步骤。',
    resume: '继续此次运行',
    forget: '忘记它',
    resuming: (count: number) => `继续已保存的运行：跳过之前已完成的 ${n(count)} 行。`,
    notKept: '无法将此次运行保存到浏览器存储中：请在关闭页面前下载报告。',
  },
  earlierReport: {
    label: '用于继续的先前报告（JSON，可选）',
    loaded: (ok: number, rows: number) =>
      `已载入报告：${n(rows)} 行中 ${n(ok)} 行成功。运行此计划将从中继续。`,
    remove: '移除报告',
    resuming: (count: number) => `从报告继续：跳过之前已完成的 ${n(count)} 行。`,
  },
  cardsTitle: '卡',
  table: {
    caption: '批量行',
    row: '行',
    card: '卡',
    iccid: 'ICCID',
    result: '结果',
    codes: '代码',
    notifications: '通知',
    time: '用时',
  },
  working: '进行中',
  workingAt: (step: string) => `进行中：${step}`,
  steps: {
    delete: '删除',
    download: '下载',
    enable: '启用',
    nickname: '昵称',
  },
  delivery: {
    sent: '已发送',
    kept: '已保留',
    failed: '失败',
    none: '无',
  },
  progress: {
    done: (count: number) => plural('zh-Hans', count, { other: '已完成 # 行' }),
    working: (done: string, list: string) => `${done}；进行中：${list}`,
    row: (row: string) => `第 ${row} 行`,
    rowAt: (row: string, step: string) => `第 ${row} 行（${step}）`,
    separator: '、',
  },
  summary: (ok: number, rows: number, failed: number, notRun: number, time: string) =>
    `${plural('zh-Hans', rows, { other: '共 # 行' })}，${n(ok)} 行成功，${n(failed)} 行失败` +
    (notRun > 0 ? `，${n(notRun)} 行未运行` : '') +
    `，用时 ${time}。`,
  downloadCsv: '下载 CSV',
  downloadJson: '下载 JSON',
  resultsTitle: '结果说明',
  results: {
    ok: '该行的每个步骤都已成功。',
    cardNotFound: '没有可用的卡具有该行指定的 EID。',
    noFreeCard: '每张卡都已分配了行：请添加卡或拆分计划。',
    cardUnavailable: '无法使用该行的卡：卡槽为空，或读卡器被其他程序占用。',
    consentRefused: '在同意步骤中拒绝了该配置文件。',
    cancelled: '运行在该行完成前被停止。',
    confirmationCodeRequired: 'SM-DP+ 要求确认码，但该行没有提供。',
    es9p: 'SM-DP+ 拒绝了请求；“代码”列中有其主题代码和原因代码。',
    network: '无法连接 SM-DP+，或其应答无法读取。',
    es10: 'eUICC 拒绝了命令；“代码”列中有其应答。',
    installFailed: 'eUICC 拒绝了配置文件包。',
    apdu: '卡以错误状态字应答了命令。',
    transport: '与卡的连接失败或中断。',
    badActivationCode: '无法读取激活码。',
    noAddress: '没有 SM-DP+ 地址：该行未提供，eUICC 也没有默认地址。',
    serverMismatch: '服务器签名的数据与本次会话不符。',
    badRequest: '请求无效。',
    internal: '意外错误；下载的报告中有其消息。',
  },
};
