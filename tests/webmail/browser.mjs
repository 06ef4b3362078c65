// What the webmail drivers (squirrelmail.mjs, roundcube.mjs) share: Debian's Chromium, headless,
// through playwright-core; a page's visible text; the steps they report as one JSON line.
import { chromium } from 'playwright-core';

export const text = async (f) => ((await f.innerText('body').catch(() => '')) || '').replace(/\s+/g, ' ').trim();

// What a hostile server's markup managed to do on the page (and its frames): the tests' payloads
// set data-pwned on the document when their script runs, or (where only a few bytes are the
// server's) make an element with id "pwned"; '' when nothing happened.
export const injected = async (page) => {
  const found = [];
  for (const f of page.frames()) {
    found.push(await f.evaluate(() => document.documentElement.dataset.pwned
      || (document.getElementById('pwned') ? 'element' : '')).catch(() => ''));
  }
  return found.filter(Boolean).join(',');
};

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
