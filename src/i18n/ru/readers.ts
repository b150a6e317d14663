import type { Messages } from '../messages.ts';

export const readers: Messages['readers'] = {};
