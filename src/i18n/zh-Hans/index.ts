/** The app's texts in Simplified Chinese; loaded as one chunk when the language is chosen. */
import type { Messages } from '../messages.ts';
import { common } from './common.ts';
import { shell } from './shell.ts';
import { connect } from './connect.ts';
import { guide } from './guide.ts';
import { bridge } from './bridge.ts';
import { readers } from './readers.ts';
import { add } from './add.ts';
import { download } from './download.ts';
import { profiles } from './profiles.ts';
import { chip } from './chip.ts';
import { notifications } from './notifications.ts';
import { log } from './log.ts';
import { settings } from './settings.ts';
import { batch } from './batch.ts';
import { errors } from './errors.ts';

const messages: Messages = {
  common,
  shell,
  connect,
  guide,
  bridge,
  readers,
  add,
  download,
  profiles,
  chip,
  notifications,
  log,
  settings,
  batch,
  errors,
};
export default messages;
