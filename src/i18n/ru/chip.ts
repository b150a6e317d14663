import type { Messages } from '../messages.ts';

export const chip: Messages['chip'] = {};
