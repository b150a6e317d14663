import type { Messages } from '../messages.ts';

export const bridge: Messages['bridge'] = {};
