// Nudge Web Push subscribe script. Paste into the shop's pages:
//   <script src="https://nudge.example.com/push/subscribe.js" data-write-key="nk_pub_..." data-service-worker="/nudge-sw.js" async></script>
// then call NudgePush.subscribe() from a click (browsers ask for permission only after a user gesture).
// The subscription is tied to the visitor's analytics.js anonymous id (or the userId passed in).
(function () {
  'use strict';
  var script = document.currentScript;
  var source = new URL(script.src, document.baseURI);
  var base = source.origin + source.pathname.replace(/\/push\/subscribe\.js$/, '');
  var writeKey = script.getAttribute('data-write-key');
  var workerUrl = script.getAttribute('data-service-worker') || '/nudge-sw.js';

  function bytesFromBase64Url(text) {
    var base64 = text.replace(/-/g, '+').replace(/_/g, '/');
    var raw = atob(base64 + '==='.slice((base64.length + 3) % 4));
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function base64UrlFromBuffer(buffer) {
    var bytes = new Uint8Array(buffer);
    var raw = '';
    for (var i = 0; i < bytes.length; i++) raw += String.fromCharCode(bytes[i]);
    return btoa(raw).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function cookie(name) {
    var match = document.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
    return match ? decodeURIComponent(match[1]) : null;
  }

  // The same visitor id the shop's tracker uses, so the subscription joins that visitor's profile.
  function anonymousId() {
    try {
      if (window.analytics && typeof window.analytics.user === 'function') {
        var id = window.analytics.user().anonymousId();
        if (id) return id;
      }
    } catch (e) { /* analytics.js not ready */ }
    var stored = null;
    try { stored = localStorage.getItem('ajs_anonymous_id'); } catch (e) { /* storage blocked */ }
    stored = stored || cookie('ajs_anonymous_id');
    if (stored) return stored.replace(/^"|"$/g, '');
    var own = null;
    try { own = localStorage.getItem('nudge_anonymous_id'); } catch (e) { /* storage blocked */ }
    if (!own) {
      own = crypto.randomUUID();
      try { localStorage.setItem('nudge_anonymous_id', own); } catch (e) { /* storage blocked */ }
    }
    return own;
  }

  function headers() {
    return { 'Content-Type': 'application/json', Authorization: 'Basic ' + btoa(writeKey + ':') };
  }

  async function registration() {
    await navigator.serviceWorker.register(workerUrl);
    return navigator.serviceWorker.ready;
  }

  async function subscribe(options) {
    options = options || {};
    if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) {
      return { subscribed: false, reason: 'unsupported' };
    }
    var permission = await Notification.requestPermission();
    if (permission !== 'granted') return { subscribed: false, reason: permission };

    var worker = await registration();
    var keyReply = await fetch(base + '/v1/push/' + encodeURIComponent(writeKey) + '/vapid-public-key');
    if (!keyReply.ok) return { subscribed: false, reason: 'key ' + keyReply.status };
    var publicKey = (await keyReply.json()).publicKey;

    var subscription = await worker.pushManager.getSubscription();
    // A subscription made with another server key cannot receive this shop's messages: replace it.
    if (subscription && subscription.options.applicationServerKey
        && base64UrlFromBuffer(subscription.options.applicationServerKey) !== publicKey) {
      await subscription.unsubscribe();
      subscription = null;
    }
    if (!subscription) {
      subscription = await worker.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: bytesFromBase64Url(publicKey) });
    }

    var body = { subscription: subscription.toJSON(), anonymousId: options.anonymousId || anonymousId() };
    if (options.userId) body.userId = String(options.userId);
    var reply = await fetch(base + '/api/push/subscriptions', { method: 'POST', headers: headers(), body: JSON.stringify(body) });
    return { subscribed: reply.ok, reason: reply.ok ? null : 'server ' + reply.status };
  }

  async function unsubscribe() {
    if (!('serviceWorker' in navigator)) return false;
    var worker = await navigator.serviceWorker.getRegistration(workerUrl);
    var subscription = worker && (await worker.pushManager.getSubscription());
    if (!subscription) return false;
    await fetch(base + '/api/push/subscriptions?endpoint=' + encodeURIComponent(subscription.endpoint), { method: 'DELETE', headers: headers() });
    return subscription.unsubscribe();
  }

  window.NudgePush = { subscribe: subscribe, unsubscribe: unsubscribe };

  // With data-auto="true", a browser that already granted permission re-sends its subscription on page load,
  // so a renewed subscription (new endpoint or keys) reaches Nudge without asking again.
  if (script.getAttribute('data-auto') === 'true' && 'Notification' in window && Notification.permission === 'granted') {
    subscribe().catch(function () { /* best effort */ });
  }
})();
