// Browser test of `pikafx preview --web`: drives the page in headless
// Chromium (playwright-core, the system's /usr/bin/chromium, nothing
// downloaded). Env: PIKAFX_BIN, PLUGINS, CLIP; optional WORK_DIR (where the
// export lands) and SCREENSHOT (default docs/screenshots/preview-web.png).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const env = (name) => {
  const v = process.env[name];
  assert.ok(v, `set ${name} (PIKAFX_BIN, PLUGINS and CLIP are required)`);
  return v;
};

/** Starts the server and resolves with [process, url] once it prints the URL. */
function startServer(bin, plugins, clip, cwd) {
  const child = spawn(bin, ['preview', '--web', clip, '--plugins', plugins, '--effect', 'style/noir', '--port', '0'], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolveUrl, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no URL within 120 s; stderr: ${stderr}`)), 120_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/preview: (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) { clearTimeout(timer); resolveUrl([child, m[1]]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${stderr}`)); });
  });
}

/** Mean saturation-ish measure of the after image: mean |r-g|+|g-b| and a fingerprint. */
async function afterPixels(page) {
  return page.evaluate(() => {
    const img = document.getElementById('after');
    const c = document.createElement('canvas');
    c.width = img.naturalWidth; c.height = img.naturalHeight;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let chroma = 0; let sum = 0;
    for (let i = 0; i < d.length; i += 4) {
      chroma += Math.abs(d[i] - d[i + 1]) + Math.abs(d[i + 1] - d[i + 2]);
      sum += d[i] * 3 + d[i + 1] * 5 + d[i + 2] * 7;
    }
    return { chroma: chroma / (d.length / 4), sum, width: c.width };
  });
}

const renderedCount = (page) => page.$eval('#after', (img) => Number(img.dataset.rendered || 0));
async function waitRender(page, after) {
  await page.waitForFunction((n) => Number(document.getElementById('after').dataset.rendered || 0) > n, after, { timeout: 60_000 });
}
const stackJson = (page) => page.$eval('#stack-json', (t) => JSON.parse(t.value));

test('preview --web: split view, live params, stack order, keyframes, export', { timeout: 300_000 }, async () => {
  const bin = env('PIKAFX_BIN');
  const plugins = env('PLUGINS');
  const clip = resolve(env('CLIP'));
  const work = process.env.WORK_DIR || mkdtempSync(join(tmpdir(), 'pikafx-web-'));
  const shot = process.env.SCREENSHOT || join(root, 'docs', 'screenshots', 'preview-web.png');
  const profile = mkdtempSync(join(tmpdir(), 'pikafx-chromium-'));
  const [server, url] = await startServer(bin, plugins, clip, work);
  let browser;
  try {
    // A fresh profile: playwright passes it to Chromium as --user-data-dir.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1100, height: 760 },
    });
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForSelector('body[data-ready="1"]');

    // Split view and the noir layer with its sliders.
    assert.ok(await page.$('#before'), 'before image');
    assert.ok(await page.$('#after'), 'after image');
    assert.ok(await page.$('#split[type=range]'), 'split slider');
    const noir = page.locator('.layer[data-effect="style/noir"]');
    assert.equal(await noir.count(), 1, 'one noir layer');
    assert.ok(await noir.locator('input[type=range][data-param=contrast]').count() === 1, 'contrast slider');
    assert.ok(await noir.locator('input[type=range][data-param=vignette]').count() === 1, 'vignette slider');

    // The first render is grey.
    await waitRender(page, 0);
    const first = await afterPixels(page);
    assert.ok(first.width > 0 && first.width <= 480, `preview width ${first.width}`);
    assert.ok(first.chroma < 2, `noir output should be grey, mean chroma ${first.chroma}`);

    // Moving contrast re-renders and changes the image.
    let n = await renderedCount(page);
    await noir.locator('input[data-param=contrast]').evaluate((el) => {
      el.value = el.max;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await waitRender(page, n);
    const second = await afterPixels(page);
    assert.notEqual(second.sum, first.sum, 'contrast changed the after image');
    assert.match(await page.textContent('#latency'), /\d+ ms/);

    // Add film from the catalog and move it above noir.
    await page.selectOption('#catalog', 'style/film');
    await page.click('#add-layer');
    let layers = (await stackJson(page)).layers.map((l) => l.effect);
    assert.deepEqual(layers, ['style/noir', 'style/film']);
    await page.locator('.layer[data-effect="style/film"] button.up').click();
    layers = (await stackJson(page)).layers.map((l) => l.effect);
    assert.deepEqual(layers, ['style/film', 'style/noir'], 'film moved above noir');

    // A keyframe on noir's contrast at the current frame.
    await page.locator('.layer[data-effect="style/noir"] button.key[data-param=contrast]').click();
    const keyed = (await stackJson(page)).layers[1];
    assert.equal(keyed.keyframes.contrast.length, 1, 'one contrast keyframe');
    assert.equal(await page.locator('.layer[data-effect="style/noir"] .keyframe').count(), 1, 'keyframe listed');
    await page.locator('.layer[data-effect="style/noir"] .keyframe select.easing').selectOption('ease-in');
    const eased = (await stackJson(page)).layers[1].keyframes.contrast[0];
    assert.equal(eased[2], 'ease-in', 'the keyframe carries its easing');

    // A time range: noir only from 0.5 s; at frame 0 the film layer alone shows colour.
    n = await renderedCount(page);
    await page.locator('.layer[data-effect="style/noir"] input.start_sec').fill('0.5');
    await page.locator('.layer[data-effect="style/noir"] input.start_sec').dispatchEvent('change');
    assert.equal((await stackJson(page)).layers[1].start_sec, 0.5, 'start_sec in the stack');
    await waitRender(page, n);
    const ranged = await afterPixels(page);
    assert.ok(ranged.chroma > 2, `before noir starts the frame keeps colour, mean chroma ${ranged.chroma}`);

    // Scrub and the split slider, then the screenshot.
    n = await renderedCount(page);
    await page.locator('#scrub').evaluate((el) => {
      el.value = String(Math.floor(Number(el.max) / 2));
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await waitRender(page, n);
    await page.locator('#split').evaluate((el) => { el.value = '40'; el.dispatchEvent(new Event('input', { bubbles: true })); });
    mkdirSync(dirname(shot), { recursive: true });
    await page.screenshot({ path: shot });

    // Export the whole clip and wait for done.
    await page.click('#export');
    await page.waitForFunction(() => ['done', 'failed'].includes(document.getElementById('export-status').dataset.state), null, { timeout: 240_000 });
    const status = await page.textContent('#export-status');
    assert.match(status, /^done/, `export: ${status}`);
    const exported = await (await page.request.get(new URL('/api/export', url).href)).json();
    assert.ok(existsSync(exported.path), `export file ${exported.path} exists`);
    assert.deepEqual(errors, [], 'no page errors');
  } finally {
    if (browser) await browser.close();
    server.kill('SIGINT');
    rmSync(profile, { recursive: true, force: true });
  }
});
