import type { Messages } from '../messages.ts';

export const log: Messages['log'] = {};
