import type { Messages } from '../messages.ts';

export const profiles: Messages['profiles'] = {};
