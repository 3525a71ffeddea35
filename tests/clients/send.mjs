// Sends one identify, one track and one page call to a Nudge server with an official analytics SDK,
// the way a shop's backend would, so end-to-end tests prove Nudge accepts what the real clients send.
//
//   node send.mjs --sdk segment|rudderstack --host http://127.0.0.1:PORT --write-key KEY \
//                 --user-id U --anonymous-id A --email E [--max-retries N]
//
// Exits 0 when the SDK reported every call delivered; otherwise prints the error and exits 1.
import { parseArgs } from 'node:util';
import { Analytics as SegmentAnalytics } from '@segment/analytics-node';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';

const usage =
  'usage: node send.mjs --sdk segment|rudderstack --host URL --write-key KEY ' +
  '--user-id U --anonymous-id A --email E [--max-retries N]';

// Stops a run whose server never answers; the SDKs' own timeouts should end it long before.
const deadlineMs = 60_000;

function fail(message) {
  console.error(message);
  process.exit(1);
}

function readOptions() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        sdk: { type: 'string' },
        host: { type: 'string' },
        'write-key': { type: 'string' },
        'user-id': { type: 'string' },
        'anonymous-id': { type: 'string' },
        email: { type: 'string' },
        'max-retries': { type: 'string', default: '3' },
      },
      strict: true,
    }));
  } catch (error) {
    fail(`${error.message}\n${usage}`);
  }
  for (const name of ['sdk', 'host', 'write-key', 'user-id', 'anonymous-id', 'email']) {
    if (!values[name]) fail(`missing --${name}\n${usage}`);
  }
  if (values.sdk !== 'segment' && values.sdk !== 'rudderstack') fail(`unknown --sdk ${values.sdk}\n${usage}`);
  const maxRetries = Number.parseInt(values['max-retries'], 10);
  if (!Number.isInteger(maxRetries) || maxRetries < 0) fail(`--max-retries must be a whole number\n${usage}`);
  return {
    sdk: values.sdk,
    host: values.host,
    writeKey: values['write-key'],
    userId: values['user-id'],
    anonymousId: values['anonymous-id'],
    email: values.email,
    maxRetries,
  };
}

function messages({ userId, anonymousId, email }) {
  return {
    identify: { userId, anonymousId, traits: { email, name: 'Ada Lovelace' } },
    track: {
      userId,
      anonymousId,
      event: 'Product Viewed',
      properties: { product_id: 'sku-1', name: 'Walnut Desk', price: 249, category: 'furniture' },
    },
    page: { userId, anonymousId, name: 'Home' },
  };
}

// Calls send(message, callback) for each message and resolves with the first error any callback reported.
async function sendAll(send, batch) {
  const outcomes = ['identify', 'track', 'page'].map(
    (type) =>
      new Promise((resolve) => {
        send(type, batch[type], (error) => resolve(error ? { type, error } : undefined));
      }),
  );
  return (await Promise.all(outcomes)).find(Boolean);
}

async function sendWithSegment(options) {
  const analytics = new SegmentAnalytics({
    writeKey: options.writeKey,
    host: options.host,
    // All three calls fit one batch, which goes out as soon as the third arrives.
    flushAt: 3,
    flushInterval: 100,
    maxRetries: options.maxRetries,
    httpRequestTimeout: 10_000,
  });
  const errors = [];
  analytics.on('error', (error) => errors.push(error));
  const failure = await sendAll((type, message, callback) => analytics[type](message, callback), messages(options));
  await analytics.closeAndFlush({ timeout: deadlineMs });
  return failure ?? (errors.length ? { type: 'client', error: errors[0].reason ?? errors[0] } : undefined);
}

async function sendWithRudderStack(options) {
  const errors = [];
  const analytics = new RudderAnalytics(options.writeKey, {
    dataPlaneUrl: options.host,
    // The SDK sends the first call at once; the other two then leave together as one batch.
    flushAt: 2,
    flushInterval: 100,
    retryCount: options.maxRetries,
    timeout: 10_000,
    logLevel: 'error',
    // Without a handler a failed background flush is an unhandled rejection; with it, callbacks get the error.
    errorHandler: (error) => errors.push(error),
  });
  const failure = await sendAll((type, message, callback) => analytics[type](message, callback), messages(options));
  await analytics.flush();
  return failure ?? (errors.length ? { type: 'client', error: errors[0] } : undefined);
}

const options = readOptions();
const deadline = setTimeout(() => fail(`${options.sdk}: no answer within ${deadlineMs} ms`), deadlineMs);
try {
  const failure = options.sdk === 'segment' ? await sendWithSegment(options) : await sendWithRudderStack(options);
  if (failure) {
    const { type, error } = failure;
    const status = error?.response ? ` (HTTP ${error.response.status})` : '';
    fail(`${options.sdk}: ${type} was not delivered${status}: ${error?.message ?? error}`);
  }
  clearTimeout(deadline);
  console.log(`${options.sdk}: identify, track and page delivered to ${options.host}`);
  process.exit(0);
} catch (error) {
  fail(`${options.sdk}: ${error?.stack ?? error}`);
}
