// Drives Debian's Roundcube (elastic skin) in Debian's headless Chromium as a person would:
// the login form, the message list, a message, Compose and Send, Log out.
//   node tests/webmail/roundcube.mjs '<json>'
// json: {base, user, pass, open: subject to open, send: {to, subject, body} | null, logout: bool,
//        oauth: {revoke: bool} | absent (sign in at the OAuth provider instead of the login form)}
// Prints one JSON line: what each step showed (the pages' visible text, trimmed).
import { injected, launch, steps, text } from './browser.mjs';

const job = JSON.parse(process.argv[2]);
const { out, step } = steps();
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
page.setDefaultTimeout(30000);
try {
  await page.goto(job.base);
  if (job.oauth) {
    // Roundcube's OAuth login: its button, the provider's sign-in page, back to Roundcube
    await Promise.all([page.waitForURL((u) => String(u).includes('/authorize')), page.click('#rcmloginoauth')]);
    await page.fill('#provider-user', job.user);
    await page.fill('#provider-pass', job.pass);
    if (job.oauth.revoke) {
      await page.check('#provider-revoke');
    }
    await Promise.all([page.waitForURL((u) => String(u).startsWith(job.base), { timeout: 20000 }), page.click('#provider-submit')]);
    await page.waitForLoadState('load');
  } else {
    await page.fill('#rcmloginuser', job.user);
    await page.fill('#rcmloginpwd', job.pass);
    await Promise.all([page.waitForLoadState('load'), page.click('#rcmloginsubmit')]);
  }
  // the mail view, or the login page again with its message
  await Promise.race([
    page.waitForSelector('#messagelist', { timeout: 20000 }),
    page.waitForSelector('#messagestack div', { timeout: 20000 }),
  ]).catch(() => {});
  if (!(await page.$('#messagelist'))) {
    await page.waitForTimeout(500);   // the message stack fills in
    const msgs = await page.$$eval('#messagestack div', (d) => d.map((e) => e.innerText.trim()).filter(Boolean)).catch(() => []);
    step('login', false, msgs.join(' | ') || await text(page));
  } else {
    step('login', true, await text(page));
    const row = `#messagelist tr:has-text("${job.open}")`;
    await page.waitForSelector(row, { timeout: 15000 }).catch(() => {});
    const list = await text(page.locator('#messagelist'));
    step('list', list.includes(job.open), list);
    if (list.includes(job.open)) {
      await Promise.all([page.waitForNavigation(), page.dblclick(row)]);
      await page.waitForSelector('#messagebody', { timeout: 15000 }).catch(() => {});
      const body = await page.$('#messagebody') ? await text(page.locator('#messagebody')) : await text(page);
      step('open', true, body);
    }
    if (job.send) {
      await page.goto(job.base + '?_task=mail&_action=compose');
      await page.waitForSelector('#compose-subject');
      await page.waitForLoadState('networkidle');
      await page.fill('.recipient-input input', job.send.to);
      await page.press('.recipient-input input', 'Enter');
      await page.fill('#compose-subject', job.send.subject);
      await page.fill('#composebody', job.send.body);
      await Promise.all([
        page.waitForURL((u) => !String(u).includes('_action=compose'), { timeout: 30000 }).catch(() => {}),
        page.click('button.send, a.send >> visible=true'),
      ]);
      await page.waitForLoadState('load');
      const msgs = await page.$$eval('#messagestack div', (d) => d.map((e) => e.innerText.trim())).catch(() => []);
      step('send', !String(page.url()).includes('_action=compose'), msgs.join(' | ') + ' | ' + page.url());
    }
    if (job.logout) {
      await page.goto(job.base + '?_task=mail');
      // the menu's commands work once the page's scripts have started and its requests are done
      await page.waitForLoadState('networkidle');
      await Promise.all([page.waitForNavigation(), page.click('#taskmenu a.logout')]);
      await page.waitForSelector('#rcmloginuser', { timeout: 30000 }).catch(() => {});
      step('logout', !!(await page.$('#rcmloginuser')), await text(page));
    }
  }
} catch (e) {
  step('error', false, String(e && e.message || e) + ' | ' + (await text(page).catch(() => '')));
}
step('script', true, await injected(page).catch(() => ''));
await browser.close();
console.log(JSON.stringify(out));
