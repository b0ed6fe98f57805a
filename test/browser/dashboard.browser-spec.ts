import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { freePort } from '../utils/free-port';
import { startServiceProcess, stopServiceProcess, type ServiceProcess } from '../utils/service-process';
import { createTestDatabase } from '../utils/test-database';
import { apiClient, launchChromium, recordCspViolations, screenshot, seriousViolations } from './browser-kit';

const POLL_MS = 5000;
/**
 * Events are handed out once every older transaction of the PostgreSQL server has finished
 * (the events design's xmin horizon), so on a server shared with other work they may come
 * seconds late. While the stream is live the overview does not poll, so however long this
 * takes, an update can only have come from the stream.
 */
const EVENT_TIMEOUT_MS = 90_000;

/** The count in the overview's cell for a job type (or "all types") and status. */
async function overviewCount(page: Page, row: string, status: string): Promise<number> {
  const cell = page.getByRole('link', { name: new RegExp(`^${row}: \\d+ ${status}$`) });
  return Number((await cell.textContent())?.replace(/\D/g, ''));
}

async function waitForCount(page: Page, row: string, status: string, expected: number, timeout: number) {
  await page
    .getByRole('link', { name: `${row}: ${expected} ${status}` })
    .waitFor({ timeout })
    .catch(async () => {
      throw new Error(
        `${row} ${status} is ${await overviewCount(page, row, status)}, not ${expected}, after ${timeout} ms`,
      );
    });
}

jest.setTimeout(180_000);

describe('the dashboard at /ui in a real browser', () => {
  let service: ServiceProcess;
  let browser: Browser;
  let api: ReturnType<typeof apiClient>;
  let streamAvailable: boolean;
  let captionsAvailable: boolean;
  let webhooksAvailable: boolean;
  let page: Page;
  let cspViolations: string[];

  beforeAll(async () => {
    service = await startServiceProcess(
      { PORT: String(await freePort()), DATABASE_URL: await createTestDatabase(), LEASE_SWEEP_INTERVAL_MS: '3600000' },
      { inheritDatabase: true },
    );
    api = apiClient(service.baseUrl);
    browser = await launchChromium();
    // Features of other branches: the pages show a plain message until the server has them.
    const controller = new AbortController();
    const stream = await fetch(`${service.baseUrl}/api/events/stream`, { signal: controller.signal });
    streamAvailable = stream.status === 200;
    controller.abort();
    const probeJob = await api.createJob('audio');
    const transcription = await api.call('POST', `/api/jobs/${probeJob.id}/transcriptions`, {
      provider: 'groq',
      text_content: 'probe',
    });
    captionsAvailable =
      (await api.call('GET', `/api/transcriptions/${transcription.body.id}/captions?format=txt`)).status === 200;
    webhooksAvailable = (await api.call('GET', '/api/webhooks')).status === 200;
    await api.call('DELETE', `/api/jobs/${probeJob.id}`);
    console.log(
      `features on this server: event stream ${streamAvailable}, captions ${captionsAvailable}, webhooks ${webhooksAvailable}`,
    );
  });

  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    cspViolations = recordCspViolations(page);
  });

  afterEach(async () => {
    await page?.close();
    expect(cspViolations).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    if (service) await stopServiceProcess(service);
  });

  it('serves the page with no-cache, immutable hashed assets, pre-compressed, under 300 KB, under the CSP', async () => {
    const index = await fetch(`${service.baseUrl}/ui/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    const html = await index.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    expect(html).not.toMatch(/https?:\/\//); // nothing from elsewhere
    const assets = [...html.matchAll(/(?:src|href)="(\/ui\/assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    let compressedBytes = Buffer.byteLength(html);
    for (const asset of assets) {
      const res = await fetch(service.baseUrl + asset, { headers: { 'accept-encoding': 'br' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('content-encoding')).toBe('br');
      compressedBytes += Number(res.headers.get('content-length'));
    }
    console.log(`first load: ${assets.length + 1} files, ${compressedBytes} bytes compressed (brotli)`);
    expect(compressedBytes).toBeLessThan(300 * 1024);
    expect((await fetch(`${service.baseUrl}/ui`, { redirect: 'manual' })).headers.get('location')).toBe('/ui/');
  });

  it('overview: counts change live, without a reload, as jobs are created and fail', async () => {
    await page.goto(`${service.baseUrl}/ui/`);
    await page.getByRole('heading', { name: 'Queue overview' }).waitFor();
    const state = page.getByTestId('stream-state');
    const before = await overviewCount(page, 'document', 'pending');
    const failedBefore = await overviewCount(page, 'document', 'failed');
    if (streamAvailable) {
      await page.locator('[data-state="live"]').waitFor();
      const jobs = await Promise.all([1, 2, 3].map(() => api.createJob('document')));
      await api.failJob(jobs[0].id);
      // No poll runs while live (and no reload happens): the stream brought it.
      const statsReads: string[] = [];
      page.on('request', (request) => request.url().endsWith('/api/stats') && statsReads.push(request.url()));
      await waitForCount(page, 'document', 'pending', before + 2, EVENT_TIMEOUT_MS);
      await waitForCount(page, 'document', 'failed', failedBefore + 1, EVENT_TIMEOUT_MS);
      await page.locator('.feed').getByText('job.failed').first().waitFor();
      expect(await state.textContent()).toBe('Live');
      expect(statsReads.length).toBeGreaterThan(0); // read again because events arrived
    } else {
      await page.locator('[data-state="unavailable"]').waitFor();
      const jobs = await Promise.all([1, 2, 3].map(() => api.createJob('document')));
      await api.failJob(jobs[0].id);
      await waitForCount(page, 'document', 'pending', before + 2, 2 * POLL_MS + 2000);
      await waitForCount(page, 'document', 'failed', failedBefore + 1, 2 * POLL_MS + 2000);
    }
    expect(await page.getByRole('link', { name: /^document: \d+ pending$/ }).getAttribute('href')).toBe(
      '#/jobs?status=pending&job_type=document',
    );
    await screenshot(page, 'dashboard-overview', false);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('overview: falls back to polling /api/stats while the stream is unavailable', async () => {
    await page.route('**/api/events/stream', (route) =>
      route.fulfill({ status: 404, contentType: 'application/json', body: '{"statusCode":404}' }),
    );
    await page.goto(`${service.baseUrl}/ui/`);
    await page.locator('[data-state="unavailable"]').waitFor();
    expect(await page.getByTestId('stream-state').textContent()).toBe(
      'No live stream on this server: refreshing every 5 s',
    );
    const before = await overviewCount(page, 'video', 'pending');
    await api.createJob('video');
    await waitForCount(page, 'video', 'pending', before + 1, 2 * POLL_MS + 2000);
  });

  it('jobs: filters, cursor paging, and a job opened from the list', async () => {
    const created: string[] = [];
    for (let i = 0; i < 23; i++) created.push((await api.createJob('audio', { prompt: `paging ${i}` })).id);
    await page.goto(`${service.baseUrl}/ui/#/jobs`);
    await page.getByLabel('Type').selectOption('audio');
    await page.getByLabel('Status').selectOption('pending');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/job_type=audio/);
    const rows = page.locator('table.grid tbody tr');
    await page.getByRole('link', { name: `Job ${created[22]}` }).waitFor();
    expect(await rows.count()).toBe(20);
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByRole('link', { name: `Job ${created[0]}` }).waitFor();
    expect(await rows.count()).toBeGreaterThanOrEqual(3);
    expect(await page.getByRole('link', { name: `Job ${created[22]}` }).count()).toBe(0);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByRole('link', { name: `Job ${created[22]}` }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard-jobs');

    // Paste an id to jump to it.
    await page.getByLabel(/paste a job id/).fill(created[5]);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('heading', { name: new RegExp(created[5]) }).waitFor();
  });

  it('job: fields, children, transcript, captions preview and download, then retry and delete, each confirmed', async () => {
    const job = await api.createJob('video', { prompt: 'Summarise the key scenes' });
    await api.call('POST', `/api/jobs/${job.id}/assets`, {
      asset_type: 'original',
      file_path: 's3://bucket/ui.mp4',
      file_size_bytes: 1_572_864,
      mime_type: 'video/mp4',
    });
    const words = [
      { word: 'Hello', start: 0.0, end: 0.4 },
      { word: 'world.', start: 0.5, end: 0.9 },
      { word: 'Second', start: 2.0, end: 2.4 },
      { word: 'sentence.', start: 2.5, end: 3.1 },
    ];
    const transcription = await api.call('POST', `/api/jobs/${job.id}/transcriptions`, {
      provider: 'deepgram',
      language: 'en',
      text_content: 'Hello world. Second sentence.',
      word_timestamps: words,
    });
    expect(transcription.status).toBe(201);
    await api.call('POST', `/api/jobs/${job.id}/analysis-results`, {
      analysis_type: 'video',
      summary: 'Two scenes, one speaker.',
      model_used: 'gemini-2.5-pro',
      input_tokens: 12000,
      output_tokens: 800,
    });
    await api.failJob(job.id, 'decoder crashed');

    await page.goto(`${service.baseUrl}/ui/#/jobs/${job.id}`);
    await page.getByRole('heading', { name: new RegExp(job.id) }).waitFor();
    await page.locator('.error-text', { hasText: 'decoder crashed' }).waitFor();
    await page.getByText('1.5 MB').waitFor();
    await page.getByText('Two scenes, one speaker.').waitFor();
    await page.getByText('12,000 tokens in').waitFor();
    await page.getByText('Transcript', { exact: true }).click();
    await page.getByText('Hello world. Second sentence.').waitFor();
    if (streamAvailable) await page.locator('.timeline').getByText('job.failed').waitFor({ timeout: EVENT_TIMEOUT_MS });
    else await page.getByText('The event timeline is not available on this server yet.').waitFor();

    if (captionsAvailable) {
      await page.getByRole('button', { name: 'Preview captions' }).click();
      const preview = page.getByLabel('Captions preview');
      await preview.waitFor();
      expect(await preview.textContent()).toMatch(/^WEBVTT[\s\S]*00:00:00\.000 -->/);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download SRT captions' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`transcription-${transcription.body.id}.srt`);
      const srt = await readFile((await download.path())!, 'utf8');
      expect(srt).toMatch(/^1\r?\n00:00:00,000 --> /);
      expect(srt).toContain('Hello world.');
    } else {
      await page.getByRole('button', { name: 'Preview captions' }).click();
      await page.getByText('Captions are not available on this server yet.').waitFor();
    }
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard-job');

    // Retry: asked first; Cancel changes nothing.
    await page.getByRole('button', { name: 'Retry', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Retry this job?' });
    await dialog.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await api.call('GET', `/api/jobs/${job.id}`)).body.status).toBe('failed');
    await page.getByRole('button', { name: 'Retry', exact: true }).click();
    await dialog.getByRole('button', { name: 'Retry job' }).click();
    await page.getByText('Job retried: it is pending again.').waitFor();
    expect((await api.call('GET', `/api/jobs/${job.id}`)).body.status).toBe('pending');

    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const confirmDelete = page.getByRole('dialog', { name: 'Delete this job?' });
    await confirmDelete.getByText('(3 items)').waitFor();
    await confirmDelete.getByRole('button', { name: 'Delete job' }).click();
    await page.waitForURL(/#\/jobs$/);
    expect((await api.call('GET', `/api/jobs/${job.id}`)).status).toBe(404);
  });

  it('job: an unknown id is a plain sentence, not a crash', async () => {
    await page.goto(`${service.baseUrl}/ui/#/jobs/00000000-0000-4000-8000-000000000000`);
    await page
      .getByRole('alert')
      .getByText(/not found/i)
      .waitFor();
  });

  it('failed jobs: bulk retry shows how many will change, then retries them', async () => {
    const jobs = await Promise.all(Array.from({ length: 12 }, () => api.createJob('document')));
    for (const job of jobs) await api.failJob(job.id, 'provider timeout after 30 s');
    const other = await api.createJob('document');
    await api.failJob(other.id, 'unsupported codec');

    await page.goto(`${service.baseUrl}/ui/#/failed`);
    await page.getByLabel('Type').selectOption('document');
    await page.getByLabel('Error contains').fill('TIMEOUT');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('button', { name: 'Retry all matching…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Retry failed jobs?' });
    await dialog.waitFor();
    expect(await dialog.getByTestId('bulk-count').textContent()).toContain('12 failed jobs match');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard-bulk-retry', false);
    await dialog.getByRole('button', { name: 'Retry 12 jobs' }).click();
    await page.getByText('Retried 12 of 12 failed jobs.').waitFor();
    for (const job of jobs) expect((await api.call('GET', `/api/jobs/${job.id}`)).body.status).toBe('pending');
    expect((await api.call('GET', `/api/jobs/${other.id}`)).body.status).toBe('failed');
  });

  it('webhooks: subscriptions and deliveries, or a plain message while the server has none', async () => {
    await page.goto(`${service.baseUrl}/ui/#/webhooks`);
    await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
    if (webhooksAvailable) {
      await page
        .getByText(/No webhook subscriptions|https?:\/\//)
        .first()
        .waitFor();
    } else {
      await page.getByText('Webhooks are not available on this server yet.').waitFor();
    }
    expect(await seriousViolations(page)).toEqual([]);
  });
});

describe('the dashboard with API_KEYS set', () => {
  const KEY = 'ui-test-key-9f3a-0123456789abcdef01234567';
  let service: ServiceProcess;
  let browser: Browser;

  beforeAll(async () => {
    service = await startServiceProcess(
      { PORT: String(await freePort()), DATABASE_URL: await createTestDatabase(), API_KEYS: KEY },
      { inheritDatabase: true },
    );
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    if (service) await stopServiceProcess(service);
  });

  it('loads without a key, shows no data until one is entered, keeps it for the session only, sends it as a header', async () => {
    await apiClient(service.baseUrl, { 'x-api-key': KEY }).createJob('video');
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const keyed: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/') && request.headers()['x-api-key'] === KEY) keyed.push(request.url());
    });
    await page.goto(`${service.baseUrl}/ui/`);
    await page.getByText('This service needs an API key to show its data.').waitFor();
    expect(await page.locator('table').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard-key-prompt', false);

    await page.getByLabel('API key').fill('wrong-key');
    await page.getByRole('button', { name: 'Use key' }).click();
    await page.getByText('That API key was refused. Enter another one.').waitFor();
    expect(await page.locator('table').count()).toBe(0);

    await page.getByLabel('API key').fill(KEY);
    await page.getByRole('button', { name: 'Use key' }).click();
    await page.getByRole('link', { name: 'video: 1 pending' }).waitFor();
    expect(keyed.some((url) => url.endsWith('/api/stats'))).toBe(true);
    const storage = await page.evaluate(() => ({ session: { ...sessionStorage }, local: { ...localStorage } }));
    expect(Object.values(storage.session)).toContain(KEY);
    expect(JSON.stringify(storage.local)).not.toContain(KEY);
    expect((await page.context().cookies()).length).toBe(0);

    // A reload in the same tab keeps the key; a new tab (new session) asks again.
    await page.reload();
    await page.getByRole('link', { name: 'video: 1 pending' }).waitFor();
    const fresh = await browser.newPage();
    await fresh.goto(`${service.baseUrl}/ui/`);
    await fresh.getByText('This service needs an API key to show its data.').waitFor();
    await fresh.close();

    await page.getByRole('button', { name: 'Forget key' }).click();
    await page.getByText('This service needs an API key to show its data.').waitFor();
    await page.close();
  });
});
