import type { Messages } from '../messages.ts';

export const notifications: Messages['notifications'] = {};
