import type { Messages } from '../messages.ts';

export const guide: Messages['guide'] = {};
