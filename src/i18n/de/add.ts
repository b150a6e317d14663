import type { Messages } from '../messages.ts';

export const add: Messages['add'] = {};
