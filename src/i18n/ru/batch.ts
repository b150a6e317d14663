import type { Messages } from '../messages.ts';
import { formatNumber, plural } from '../format.ts';

const n = (v: number): string => formatNumber('ru', v);

export const batch: Messages['batch'] = {
  title: 'Пакет',
  intro:
    'План с кодами активации выполняется сразу на многих картах: на виртуальных eUICC (пробный прогон: они создаются только для прогона и не сохраняются), на всех слотах USB-считывателя или на считывателях локального моста карт.',
  cliBefore: 'На PC/SC-считывателях тот же план выполняет команда ',
  cliAfter: '.',
  planLabel: 'План (CSV со строкой заголовков или JSON)',
  planFile: 'Файл плана',
  sources: {
    legend: 'Карты',
    virtual: 'Виртуальные eUICC (пробный прогон)',
    usb: 'Все слоты USB-считывателя',
    usbNote:
      'Один считыватель (WebUSB): каждый слот с eUICC — отдельная карта; для пустого слота будет строка с ошибкой.',
    usbMissing:
      'Здесь недоступно: на этой странице нет WebUSB (нужен Chrome или Edge на защищённой странице либо установленное приложение).',
    bridge: 'Считыватели через локальный мост',
    bridgeNote:
      'Каждый считыватель из списка сопряжённого локального моста карт — отдельная карта; сначала выполните сопряжение в разделе «Подключение».',
    bridgeStartBefore: 'Мост запускается командой ',
    bridgeStartAfter: '.',
  },
  virtualCount: 'Виртуальные eUICC',
  bridgeAddress: 'Адрес моста',
  run: {
    virtual: 'Запустить пробный прогон',
    usb: 'Выбрать считыватель и запустить',
    bridge: 'Запустить на считывателях моста',
    running: 'Выполняется…',
    stop: 'Остановить',
  },
  cardNames: {
    virtual: (index: string) => `виртуальная eUICC ${index}`,
    usbSlot: (reader: string, slot: string) => `${reader}, слот ${slot}`,
    bridge: (reader: string) => `${reader} (мост карт)`,
  },
  issues: {
    title: 'План не выполнен:',
    plan: 'План',
    row: (row: string) => `Строка ${row}`,
    withColumn: (place: string, column: string) => `${place}, ${column}`,
  },
  problems: {
    notText: 'Должно быть текстом.',
    notString: 'Должно быть строкой; EID и ICCID пишите в кавычках.',
    acAndSmdp: 'Укажите либо код активации, либо smdp и matchingId, но не то и другое.',
    badSmdpAddress:
      'Недопустимый адрес SM-DP+; нужно имя хоста, например smdp.example.com, можно с :порт.',
    badMatchingId: 'Недопустимый Matching ID: пробелы, управляющие символы и $ не допускаются.',
    noAddress: 'Нет ни кода активации, ни адреса SM-DP+.',
    matchingIdWithoutSmdp: 'Для Matching ID нужен адрес SM-DP+ (столбец smdp).',
    confirmationCodeTooLong: (max: number) =>
      `Длиннее ${plural('ru', max, { one: '# символа', few: '# символов', many: '# символов', other: '# символа' })}.`,
    confirmationCodeMissing: 'Код активации требует код подтверждения, а в строке его нет.',
    badEid: (value: string) => `«${value}» — не EID; EID состоит из 32 цифр.`,
    eidCheckDigits: (value: string) =>
      `«${value}»: неверные контрольные цифры EID; проверьте, нет ли опечатки.`,
    notBoolean: (value: string) => `«${value}» — не true/false, yes/no или 1/0.`,
    nicknameTooLong: (maxBytes: number) =>
      `Длиннее ${plural('ru', maxBytes, { one: '# байта', few: '# байтов', many: '# байтов', other: '# байта' })} (UTF-8).`,
    badIccid: (value: string) => `«${value}» — не ICCID; ICCID состоит из 18–20 цифр.`,
    eidTwice: (eid: string, firstRow: number) =>
      `EID ${eid} уже указан в строке ${n(firstRow)}; одна строка на eUICC.`,
    noRows: 'В плане нет строк.',
    empty: 'План пуст.',
    unknownColumn: 'Неизвестный столбец.',
    columnTwice: 'Столбец указан дважды.',
    fieldCount: (got: number, want: number) =>
      `${plural('ru', got, { one: '# поле', few: '# поля', many: '# полей', other: '# поля' })}, а в заголовке ${n(want)}.`,
    csvSyntax: {
      unclosedQuote: (line: number) => `Строка текста ${n(line)}: поле в кавычках не закрыто.`,
      textAfterQuote: (line: number) =>
        `Строка текста ${n(line)}: текст после закрывающей кавычки поля (кавычку пишите как "").`,
      quoteInField: (line: number) =>
        `Строка текста ${n(line)}: кавычка внутри поля без кавычек (заключите всё поле в кавычки).`,
      bareCarriageReturn: (line: number) =>
        `Строка текста ${n(line)}: возврат каретки без перевода строки.`,
    },
    notJson: 'Недопустимый JSON.',
    jsonShape: 'JSON-план — это массив строк или {"rows": [...]}.',
    rowNotObject: 'Строка должна быть объектом JSON.',
  },
  failures: {
    notPaired: (url: string) =>
      `Эта страница не сопряжена с мостом карт по адресу ${url}: выполните сопряжение в разделе «Подключение», «Считыватель через локальный мост карт», и запустите план снова.`,
    noReaders: (url: string) => `Мост карт по адресу ${url} не сообщает ни об одном считывателе.`,
  },
  saved: {
    title: 'Последний запуск сохранён',
    summary: (where: string, started: string, ok: number, rows: number) =>
      `На ${where}, начат ${started}: успешно ${n(ok)} из ${plural('ru', rows, { one: '# строки', few: '# строк', many: '# строк', other: '# строки' })}.`,
    where: { usb: 'слотах USB-считывателя', bridge: 'считывателях локального моста карт' },
    note: 'Повторный запуск того же плана на тех же картах продолжит его: выполненные строки пропускаются, а прерванная строка выполняет только оставшиеся шаги.',
    resume: 'Продолжить запуск',
    forget: 'Забыть',
    resuming: (count: number) =>
      `Продолжение сохранённого запуска: ${plural('ru', count, { one: 'пропускается # выполненная строка', few: 'пропускаются # выполненные строки', many: 'пропускаются # выполненных строк', other: 'пропускаются # выполненной строки' })}.`,
    notKept:
      'Не удалось сохранить запуск в хранилище браузера: скачайте отчёт, прежде чем закрыть страницу.',
  },
  earlierReport: {
    label: 'Прежний отчёт для продолжения (JSON, необязательно)',
    loaded: (ok: number, rows: number) =>
      `Отчёт загружен: успешно ${n(ok)} из ${plural('ru', rows, { one: '# строки', few: '# строк', many: '# строк', other: '# строки' })}. Запуск плана продолжит его.`,
    remove: 'Убрать отчёт',
    resuming: (count: number) =>
      `Продолжение по отчёту: ${plural('ru', count, { one: 'пропускается # выполненная строка', few: 'пропускаются # выполненные строки', many: 'пропускаются # выполненных строк', other: 'пропускаются # выполненной строки' })}.`,
  },
  cardsTitle: 'Карты',
  table: {
    caption: 'Строки пакета',
    row: 'Строка',
    card: 'Карта',
    iccid: 'ICCID',
    result: 'Результат',
    codes: 'Коды',
    notifications: 'Уведомления',
    time: 'Время',
  },
  working: 'выполняется',
  workingAt: (step: string) => `выполняется: ${step}`,
  steps: {
    delete: 'удаление',
    download: 'загрузка',
    enable: 'включение',
    nickname: 'псевдоним',
  },
  delivery: {
    sent: 'отправлены',
    kept: 'сохранены',
    failed: 'ошибка',
    none: 'нет',
  },
  progress: {
    done: (count: number) =>
      plural('ru', count, {
        one: '# строка готова',
        few: '# строки готовы',
        many: '# строк готово',
        other: '# строки готово',
      }),
    working: (done: string, list: string) => `${done}; выполняются: ${list}`,
    row: (row: string) => `строка ${row}`,
    rowAt: (row: string, step: string) => `строка ${row} (${step})`,
    separator: ', ',
  },
  summary: (ok: number, rows: number, failed: number, notRun: number, time: string) =>
    `${n(ok)} из ${plural('ru', rows, { one: '# строки', few: '# строк', many: '# строк', other: '# строки' })} успешно, ${n(failed)} с ошибкой` +
    (notRun > 0 ? `, ${n(notRun)} не выполнено` : '') +
    `, за ${time}.`,
  downloadCsv: 'Скачать CSV',
  downloadJson: 'Скачать JSON',
  resultsTitle: 'Что означают результаты',
  results: {
    ok: 'Все шаги строки выполнены успешно.',
    cardNotFound: 'Ни у одной доступной карты нет EID, указанного в строке.',
    noFreeCard: 'У каждой карты уже есть своя строка: добавьте карты или разделите план.',
    cardUnavailable:
      'Карту для этой строки не удалось использовать: пустой слот или считыватель, занятый другой программой.',
    consentRefused: 'Профиль отклонён на шаге согласия.',
    cancelled: 'Прогон остановлен до завершения этой строки.',
    confirmationCodeRequired: 'SM-DP+ требует код подтверждения, а в строке его нет.',
    es9p: 'SM-DP+ отказал; в столбце «Коды» — его коды subject и reason.',
    network: 'SM-DP+ недоступен или прислал ответ, который не удалось прочитать.',
    es10: 'eUICC отклонила команду; в столбце «Коды» — её ответ.',
    installFailed: 'eUICC отвергла пакет профиля.',
    apdu: 'Карта ответила на команду статусом ошибки.',
    transport: 'Связь с картой нарушена или потеряна.',
    badActivationCode: 'Не удалось разобрать код активации.',
    noAddress: 'Нет адреса SM-DP+: в строке он не указан, а у eUICC нет адреса по умолчанию.',
    serverMismatch: 'Подписанные сервером данные не соответствуют этому сеансу.',
    badRequest: 'Запрос недопустим.',
    internal: 'Непредвиденная ошибка; её сообщение есть в скачанном отчёте.',
  },
};
