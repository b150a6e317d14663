/** Every English text of the app, by area. English is built in; it is the fallback and the type. */
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

export const en = {
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
