import type { Messages } from '../messages.ts';
import { formatNumber, plural } from '../format.ts';

export const log: Messages['log'] = {
  title: 'Protokoll',
  filterLabel: 'Protokoll filtern',
  filterPlaceholder: 'Filtern (Hex, Funktion, URL…)',
  maskSecrets: 'Geheime Werte verbergen',
  copy: 'Kopieren',
  export: 'Exportieren',
  exportJson: 'Als JSON exportieren',
  clear: 'Leeren',
  entryCopied: 'Eintrag kopiert.',
  logCopied: 'Protokoll kopiert.',
  shown: (shown: number, total: number) =>
    plural('de', total, {
      one: `${formatNumber('de', shown)} von # Eintrag angezeigt.`,
      other: `${formatNumber('de', shown)} von # Einträgen angezeigt.`,
    }),
  olderBodiesDropped: (n: number) => `Verworfene ältere Inhalte: ${formatNumber('de', n)}.`,
  durationMs: (ms: string) => `${ms} ms`,
  empty: 'Noch nichts protokolliert.',
  copyEntry: 'Eintrag kopieren',
  droppedSummary: (size: string) => `> [${size} aus dem Protokoll verworfen]`,
  droppedBody: (size: string) => `${size} verworfen, um das Protokoll zu begrenzen`,
  parts: {
    body: 'Inhalt',
    error: 'Fehler',
    command: 'Befehl',
    response: 'Antwort',
    request: 'Anfrage',
    es10Request: (blocks: number) =>
      plural('de', blocks, {
        one: 'ES10-Anfrage (# STORE-DATA-Block)',
        other: 'ES10-Anfrage (# STORE-DATA-Blöcke)',
      }),
    es10Response: (pieces: number) =>
      plural('de', pieces, { one: 'ES10-Antwort (# Teil)', other: 'ES10-Antwort (# Teile)' }),
    requestField: (field: string) => `Anfrage: ${field}`,
    responseField: (field: string) => `Antwort: ${field}`,
  },
};
