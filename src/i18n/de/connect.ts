import type { Messages } from '../messages.ts';

export const connect: Messages['connect'] = {};
