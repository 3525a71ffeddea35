// Nudge Web Push service worker: shows the notifications Nudge sends and opens their link on click.
// A service worker must come from the shop's own origin, so the shop serves a one-line file, e.g. /nudge-sw.js:
//   importScripts('https://nudge.example.com/push/sw.js');
// Messages are JSON: {"title", "body", "url", "icon", "image", "badge", "tag"}.
self.addEventListener('push', (event) => {
  let message = {};
  if (event.data) {
    try {
      message = event.data.json();
    } catch {
      message = { body: event.data.text() };
    }
  }
  const options = {
    body: message.body,
    icon: message.icon,
    image: message.image,
    badge: message.badge,
    tag: message.tag,
    data: { url: message.url },
  };
  event.waitUntil(self.registration.showNotification(message.title || '', options));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = event.notification.data && event.notification.data.url;
  if (!url) return;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      for (const window of windows) {
        if (window.url === url && 'focus' in window) return window.focus();
      }
      return self.clients.openWindow(url);
    }),
  );
});
