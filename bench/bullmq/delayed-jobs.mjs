// The BullMQ baseline of `nudge-bench flow-timers`: delayed no-op jobs coming due at a fixed rate, taken by one
// worker (this process) with concurrency 100, on the redis-server the bench started. Prints one JSON line on
// stdout with throughput and lateness; progress goes to stderr.
//
//   node delayed-jobs.mjs --port 6390 --due 200000 --rate 5000 --warmup 40000 [--pending 0] [--concurrency 100]
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

const options = { port: 6379, due: 200_000, rate: 20_000, warmup: 40_000, pending: 0, concurrency: 100, gap: 5_000 };
for (let i = 2; i < process.argv.length; i += 2) {
  const name = process.argv[i].replace(/^--/, '');
  if (!(name in options) || !/^\d+$/.test(process.argv[i + 1] ?? '')) {
    console.error(`usage: node delayed-jobs.mjs [--port N] [--due N] [--rate N] [--warmup N] [--pending N] [--concurrency N]; bad argument ${process.argv[i]}`);
    process.exit(2);
  }
  options[name] = Number(process.argv[i + 1]);
}
if (options.rate < 1 || options.due < 1 || options.concurrency < 1) {
  console.error('--rate, --due and --concurrency must be at least 1');
  process.exit(2);
}

const connection = { host: '127.0.0.1', port: options.port, maxRetriesPerRequest: null };
const name = 'bench';
const queue = new Queue(name, { connection });
const step = 1000 / options.rate;

// Adding jobs takes a while: the first due moment has to lie after the last add, like Nudge's runs are all
// written before its server starts. Measure the add rate on the far-away jobs (or a small first batch) and plan
// from it, with room to spare.
const Batch = 1_000;
async function add(queue, prefix, count, dueOf, timestamp) {
  for (let start = 0; start < count; start += Batch) {
    const jobs = [];
    for (let i = start; i < Math.min(count, start + Batch); i++) {
      const due = dueOf(i);
      jobs.push({ name: prefix, data: { due }, opts: { jobId: `${prefix}-${i}`, timestamp, delay: due - timestamp } });
    }
    await queue.addBulk(jobs);
  }
}

const began = Date.now();
const farAway = began + 30 * 24 * 3600 * 1000;
await add(queue, 'pending', options.pending, () => farAway, began);
let perSecond = 0;
if (options.pending >= 10_000) {
  perSecond = options.pending / Math.max(0.001, (Date.now() - began) / 1000);
} else {
  const probe = new Queue('probe', { connection });
  const at = Date.now();
  await add(probe, 'probe', 5_000, () => farAway, at);
  perSecond = 5_000 / Math.max(0.001, (Date.now() - at) / 1000);
  await probe.obliterate({ force: true });
  await probe.close();
}
const planned = Date.now();
const warmupStart = planned + Math.ceil(((options.warmup + options.due) / perSecond) * 1000 * 1.5) + options.gap;
const firstDue = Math.round(warmupStart + options.warmup * step + options.gap);
const lastDue = Math.round(firstDue + (options.due - 1) * step);
await add(queue, 'warm', options.warmup, (i) => Math.round(warmupStart + i * step), planned);
await add(queue, 'due', options.due, (i) => Math.round(firstDue + i * step), planned);
const written = Date.now();
console.error(`bullmq: added ${options.pending + options.warmup + options.due} jobs at ${Math.round(perSecond)}/s; first measured job due in ${((firstDue - written) / 1000).toFixed(1)} s`);
if (written > warmupStart)
  console.error(`bullmq: adding the jobs ran ${written - warmupStart} ms past the first due moment`);

// CPU time over the measured span: this process (the worker), redis-server, and the whole machine (so the report can
// say how much other work shared the cores).
const monitor = new Redis(connection);
async function sample() {
  const cpu = process.cpuUsage();
  const info = await monitor.info('cpu');
  const redis = ['used_cpu_sys', 'used_cpu_user'].reduce((sum, key) => sum + Number(new RegExp(`${key}:([0-9.]+)`).exec(info)?.[1] ?? 0), 0);
  let busy = 0, total = 0;
  try {
    // user nice system idle iowait irq softirq steal, in USER_HZ ticks
    const values = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
    total = values.reduce((a, b) => a + b, 0);
    busy = total - values[3] - values[4];
  } catch {
    // Not Linux: the machine's share stays unknown.
  }
  return { at: Date.now(), own: (cpu.user + cpu.system) / 1e6 + redis, busy, total };
}
const firstSample = new Promise((resolve) => setTimeout(() => resolve(sample()), Math.max(0, firstDue - Date.now())));

// The measured jobs: lateness (processed minus due) and when each was processed.
const lateness = [];
const processedAt = [];
let done;
const finished = new Promise((resolve) => { done = resolve; });
const worker = new Worker(name, async (job) => {
  if (job.name !== 'due')
    return;
  const now = Date.now();
  lateness.push(now - job.data.due);
  processedAt.push(now);
  if (lateness.length === options.due)
    done();
}, { connection, concurrency: options.concurrency });
worker.on('error', (error) => console.error(`bullmq worker: ${error.message}`));

// Give up well after the last moment when the worker cannot keep up, like the Nudge part.
const giveUp = setTimeout(done, Math.max(0, lastDue + 300_000 - Date.now()));
const progress = setInterval(() => process.stderr.write(`\r  bullmq: ${lateness.length} of ${options.due} processed   `), 1000);
await finished;
const end = await sample();
const begin = await firstSample;
await monitor.quit();
clearTimeout(giveUp);
clearInterval(progress);
process.stderr.write('\n');
await worker.close(true);
await queue.close();

const sorted = Float64Array.from(lateness).sort();
const percentile = (p) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]);
const last = processedAt.reduce((a, b) => Math.max(a, b), firstDue);
const seconds = Math.max(0.001, (last - firstDue) / 1000);
// Drain rate: jobs taken per second from the moment the worker first fell a second behind until the end; null when
// it never did.
let drain = null;
const behind = lateness.findIndex((l) => l > 1000);
if (behind >= 0) {
  const span = (last - processedAt[behind]) / 1000;
  drain = span > 0 ? (processedAt.length - behind) / span : null;
}
const wall = Math.max(0.001, (end.at - begin.at) / 1000);
const cpuSeconds = end.own - begin.own;
const machineCores = end.total > begin.total ? ((end.busy - begin.busy) / (end.total - begin.total)) * availableParallelism() : null;
const redis = new Redis(connection);
const info = await redis.info('server');
await redis.quit();
console.log(JSON.stringify({
  processed: lateness.length,
  due: options.due,
  rate: options.rate,
  warmup: options.warmup,
  pending: options.pending,
  concurrency: options.concurrency,
  seconds,
  jobsPerSecond: lateness.length / seconds,
  drainPerSecond: drain,
  cpuSeconds,
  otherCores: machineCores === null ? null : Math.max(0, machineCores - cpuSeconds / wall),
  p50: percentile(0.5),
  p99: percentile(0.99),
  max: sorted.length === 0 ? 0 : sorted[sorted.length - 1],
  bullmq: JSON.parse(readFileSync(new URL('./node_modules/bullmq/package.json', import.meta.url), 'utf8')).version,
  redis: /redis_version:(\S+)/.exec(info)?.[1] ?? null,
  node: process.version,
}));
