import { answer } from './api';
import { startReceiver, type ReceivedRequest } from './receiver';

export interface Tap {
  /** The webhook destination's notification body (CONTRACT §5). */
  notification: { message_id: string; channel_id: string; respond_url: string; title: string; actions: unknown[] };
  /** What POSTing the answer to its respond_url got back. */
  status: number;
  body: unknown;
}

/**
 * A webhook destination standing in for a person's phone: it takes each notification (200) and then "taps"
 * the button `key` by POSTing `{ "triggered_by": key }` to the notification's respond_url, once per message.
 */
export async function startTappingDestination(key: string) {
  const taps: Tap[] = [];
  const tapped = new Set<string>();
  const receiver = await startReceiver((request: ReceivedRequest) => {
    const notification = request.json as Tap['notification'] | undefined;
    if (notification?.respond_url && !tapped.has(notification.message_id)) {
      tapped.add(notification.message_id);
      // After the 200 is on its way, as a person would tap a notification already shown.
      setImmediate(() => {
        void answer(notification.respond_url, { triggered_by: key }).then(
          (response) => taps.push({ notification, status: response.status, body: response.body }),
          (error: unknown) => taps.push({ notification, status: 0, body: String(error) }),
        );
      });
    }
    return { status: 200 };
  });
  return { ...receiver, taps };
}

export type TappingDestination = Awaited<ReturnType<typeof startTappingDestination>>;
