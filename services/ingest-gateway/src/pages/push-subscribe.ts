import { escapeHtml } from './escape-html';

/** The path of the service worker that shows pushed notifications (served by the inbox routes). */
export const PUSH_WORKER_PATH = '/push-worker.js';

/**
 * The inbox's "Notify me on this device" button: subscribes this browser to web push with the operator's VAPID
 * key and registers the subscription as a web_push destination of the channel (POSTed as JSON to the inbox's
 * own secret URL). Without JavaScript or push support the button stays hidden and the inbox works as before.
 */
export function pushSubscribeButton(subscribeUrl: string, vapidPublicKey: string): string {
  return `<p><button id="push-subscribe" class="primary" hidden data-url="${escapeHtml(subscribeUrl)}" data-key="${escapeHtml(vapidPublicKey)}">Notify me on this device</button></p><p id="push-status" class="notice" hidden></p>`;
}

/** The button's script, allowed by the page's CSP nonce. */
export const PUSH_SUBSCRIBE_SCRIPT = `
(function () {
  var button = document.getElementById('push-subscribe');
  var status = document.getElementById('push-status');
  if (!button || !('serviceWorker' in navigator) || !('PushManager' in window)) return;
  button.hidden = false;
  function say(text) { status.textContent = text; status.hidden = false; }
  function keyBytes(base64url) {
    var text = atob(base64url.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((base64url.length + 3) % 4));
    return Uint8Array.from(text, function (c) { return c.charCodeAt(0); });
  }
  button.addEventListener('click', function () {
    button.disabled = true;
    navigator.serviceWorker.register('${PUSH_WORKER_PATH}')
      .then(function (registration) {
        return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(button.dataset.key) });
      })
      .then(function (subscription) {
        return fetch(button.dataset.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(subscription) });
      })
      .then(function (response) { say(response.ok ? 'This device will be notified.' : 'This device could not be added.'); })
      .catch(function () { say('This browser did not allow notifications.'); button.disabled = false; });
  });
  button.dataset.ready = 'true';
})();
`;

/** The service worker: shows each pushed notification, and opens its respond page when it is tapped. */
export const PUSH_WORKER_SCRIPT = `
self.addEventListener('push', function (event) {
  var data = event.data ? event.data.json() : {};
  event.waitUntil(self.registration.showNotification(data.title || 'Pingback', { body: data.body || '', data: { url: data.respond_url } }));
});
self.addEventListener('notificationclick', function (event) {
  event.notification.close();
  if (event.notification.data && event.notification.data.url) event.waitUntil(clients.openWindow(event.notification.data.url));
});
`;
