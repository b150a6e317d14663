import type { Messages } from '../messages.ts';

export const download: Messages['download'] = {};
