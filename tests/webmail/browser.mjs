// What the webmail drivers (squirrelmail.mjs, roundcube.mjs) share: Debian's Chromium, headless,
// through playwright-core; a page's visible text; the steps they report as one JSON line.
import { chromium } from 'playwright-core';

export const text = async (f) => ((await f.innerText('body').catch(() => '')) || '').replace(/\s+/g, ' ').trim();

export function steps() {
  const out = { steps: [] };
  const step = (name, ok, shown) => out.steps.push({ name, ok, text: shown.slice(0, 1500) });
  return { out, step };
}

export function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
