// Drives SquirrelMail (1.4 or 1.5) in Debian's headless Chromium as a person would:
// the login form, the message list, a message, Compose and Send, Sign Out.
//   node tests/webmail/squirrelmail.mjs '<json>'
// json: {base, user, pass, open: subject to click, send: {to, subject, body} | null,
//        logout: bool, shot: png path | null}
// Prints one JSON line: what each step showed (the pages' visible text, trimmed).
import { injected, launch, steps, text } from './browser.mjs';

const job = JSON.parse(process.argv[2]);
const { out, step } = steps();
const browser = await launch();
const page = await browser.newPage();
page.setDefaultTimeout(30000);
const frame = (name) => page.frame({ name });
const waitFrame = async (name) => {
  for (let i = 0; i < 300 && !frame(name); i++) {
    // an error page (a failed login) has no frames: no use waiting for one
    if (i >= 20 && !(await page.$('frameset, frame, iframe').catch(() => null))) break;
    await page.waitForTimeout(50);
  }
  const f = frame(name);
  if (f) await f.waitForLoadState('load');
  return f;
};
try {
  await page.goto(job.base + 'src/login.php');
  await page.fill('input[name=login_username]', job.user);
  await page.fill('input[name=secretkey]', job.pass);
  await Promise.all([page.waitForLoadState('load'), page.waitForNavigation(), page.press('input[name=secretkey]', 'Enter')]);
  const right = await waitFrame('right');
  if (!right) {
    step('login', false, await text(page));
  } else {
    await waitFrame('left');
    // the right frame may still be on its way from webmail.php to right_main.php
    await right.waitForSelector(`text=${job.open}`, { timeout: 15000 }).catch(() => {});
    const list = await text(right);
    step('login', true, (await text(frame('left'))) + ' | ' + list);
    step('list', list.includes(job.open), list);
    if (list.includes(job.open)) {
      await Promise.all([right.waitForNavigation(), right.click(`a:has-text("${job.open}")`)]);
      step('open', true, await text(right));
    }
    if (job.send) {
      await right.goto(job.base + 'src/compose.php');
      await right.fill('input[name=send_to]', job.send.to);
      await right.fill('input[name=subject]', job.send.subject);
      await right.fill('textarea[name=body]', job.send.body);
      await Promise.all([right.waitForNavigation(), right.click('input[type=submit][value="Send"] >> nth=0')]);
      await right.waitForLoadState('load');
      step('send', true, await text(right));
    }
    if (job.logout) {
      await Promise.all([page.waitForNavigation(), right.click('a:has-text("Sign Out")')]);
      step('logout', true, await text(page));
    }
  }
  if (job.shot) await page.screenshot({ path: job.shot });
} catch (e) {
  step('error', false, String(e && e.message || e) + ' | ' + (await text(page).catch(() => '')));
}
step('script', true, await injected(page).catch(() => ''));
await browser.close();
console.log(JSON.stringify(out));
