import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { freePort } from '../utils/free-port';
import { REPO_ROOT, startServiceProcess, stopServiceProcess, type ServiceProcess } from '../utils/service-process';
import { createTestDatabase } from '../utils/test-database';
import { launchChromium } from './browser-kit';

describe('Swagger UI in a real browser', () => {
  let service: ServiceProcess;
  let browser: Browser;

  beforeAll(async () => {
    service = await startServiceProcess(
      { PORT: String(await freePort()), DATABASE_URL: await createTestDatabase() },
      { inheritDatabase: true },
    );
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    if (service) await stopServiceProcess(service);
  });

  it('creates a video job with "Try it out" on POST /api/media/video', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
    await page.goto(`${service.baseUrl}/docs`);
    const operation = page.locator('.opblock-post').filter({ has: page.locator('[data-path="/api/media/video"]') });
    await operation.locator('.opblock-summary').click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    await operation
      .locator('textarea.body-param__text')
      .fill(JSON.stringify({ media_url: 'https://cdn.example.com/browser.mp4', prompt: 'from the browser' }));
    await operation.getByRole('button', { name: 'Execute' }).click();

    const status = operation.locator('.live-responses-table .response .response-col_status').first();
    await status.waitFor();
    expect((await status.textContent())?.trim()).toBe('201');
    const body = await operation.locator('.live-responses-table .response-col_description pre').first().textContent();
    const job = JSON.parse(body ?? '{}') as { id: string; status: string; media_url: string };
    expect(job).toMatchObject({ status: 'pending', media_url: 'https://cdn.example.com/browser.mp4' });

    // The job is really there.
    const stored = await fetch(`${service.baseUrl}/api/jobs/${job.id}`);
    expect(stored.status).toBe(200);

    const artifacts = path.join(REPO_ROOT, 'test', 'artifacts');
    await mkdir(artifacts, { recursive: true });
    await page.screenshot({ path: path.join(artifacts, 'swagger-try-it-out.png'), fullPage: false });
  });
});
