/**
 * The notification policy: per kind of profile change, whether the LPA sends the eUICC's signed
 * notification right away or keeps it for the user. It imports only the tag table, so the app's
 * settings can use it without loading the ES10 codecs.
 */
import { NotificationEvent, type NotificationEventName } from '../es10/tags.ts';

/**
 * What the LPA does with a notification right after the operation that created it: send it to
 * its server at once, or keep it on the eUICC until the user sends (or removes) it.
 */
export type NotificationAction = 'send' | 'keep';

/** One action per NotificationEvent kind (SGP.22 v2.2.2 §2.4.1.1, §3.5). */
export type NotificationPolicy = Record<NotificationEventName, NotificationAction>;

/** Every notification is sent as soon as it exists: the library's default. */
export const SEND_ALL_NOTIFICATIONS: NotificationPolicy = {
  install: 'send',
  enable: 'send',
  disable: 'send',
  delete: 'send',
};

/**
 * The app's default, as mature Android LPAs chose it: install results and deletions are what an
 * operator acts on (the subscription is live, or gone and may stop being billed), so they are sent
 * at once; enable and disable only report a switch, so they wait on the eUICC for the user.
 */
export const DEFAULT_NOTIFICATION_POLICY: NotificationPolicy = {
  install: 'send',
  enable: 'keep',
  disable: 'keep',
  delete: 'send',
};

/**
 * The policy from the LPA's options. `autoSendNotifications: false` keeps the notifications of
 * profile operations (enable, disable, delete) while a download still delivers its installation
 * result, which SGP.22 v2.2.2 §3.1.3 makes the last step of the download; a policy entry for
 * `install` overrides that too.
 */
export function notificationPolicyOf(
  autoSend: boolean | undefined,
  policy: Partial<NotificationPolicy> | undefined,
): NotificationPolicy {
  const base: NotificationPolicy =
    autoSend === false
      ? { install: 'send', enable: 'keep', disable: 'keep', delete: 'keep' }
      : SEND_ALL_NOTIFICATIONS;
  return { ...base, ...policy };
}

/** The kinds of notification, in NotificationEvent bit order. */
export const NOTIFICATION_KINDS = Object.keys(NotificationEvent) as NotificationEventName[];
