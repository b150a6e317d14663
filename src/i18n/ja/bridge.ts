import type { Messages } from '../messages.ts';

export const bridge: Messages['bridge'] = {
  address: 'ブリッジのアドレス',
  listReaders: 'カードリーダーを一覧表示',
  asking: 'ブリッジに問い合わせ中…',
  pairingCode: 'ペアリングコード',
  pairingHint:
    'ブリッジがターミナルに表示したコードです。このブラウザーで一度入力すれば、以後は記憶されます。',
  pair: 'ペアリング',
  noReaders: 'ブリッジからカードリーダーが見えません。接続してから、もう一度一覧表示してください。',
  readersList: 'このコンピューターのカードリーダー',
  cardIn: 'カードあり',
  noCard: 'カードなし',
  connectedHere: 'ここで接続中',
  inUse: '使用中',
  lastUsed: '前回使用',
  connectTo: (reader: string) => `${reader} に接続`,
  noChoice: 'ローカルカードブリッジ経由のカードリーダーがまだ選ばれていません。',
};
