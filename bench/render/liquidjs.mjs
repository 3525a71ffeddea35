// Renders each golden-liquid benchmark fixture with liquidjs for a fixed time and prints one JSON line per
// fixture: the baseline of `nudge-bench render`. Usage: node liquidjs.mjs <fixtures folder> <seconds> <warmup seconds>
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Liquid } from 'liquidjs';

const [fixtures, seconds = '3', warmup = '0.5'] = process.argv.slice(2);
for (const name of readdirSync(fixtures).sort()) {
  const folder = join(fixtures, name);
  const engine = new Liquid({ root: join(folder, 'templates'), extname: '.liquid', cache: true });
  const data = JSON.parse(readFileSync(join(folder, 'data.json'), 'utf8'));
  const expected = readFileSync(join(folder, 'expected_result.txt'), 'utf8');
  const template = engine.parse(readFileSync(join(folder, 'templates', 'index.liquid'), 'utf8'));
  const same = engine.renderSync(template, data) === expected;
  const run = (limit) => {
    const start = process.hrtime.bigint();
    const end = start + BigInt(Math.round(limit * 1e9));
    let renders = 0;
    let now = start;
    while (now < end) {
      for (let i = 0; i < 20; i++) engine.renderSync(template, data);
      renders += 20;
      now = process.hrtime.bigint();
    }
    return { renders, seconds: Number(now - start) / 1e9 };
  };
  run(Number(warmup));
  const timed = run(Number(seconds));
  console.log(JSON.stringify({ fixture: name, renders: timed.renders, seconds: timed.seconds, same }));
}
