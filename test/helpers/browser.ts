/**
 * A real browser for the web UI tests: Chromium (Debian's package) driven by playwright-core, and
 * the UI built into web/dist when its sources are newer than the build. Without Chromium the tests
 * are skipped with a message, except under CI, where they must run.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const chromiumPath = process.env.OPSLOOP_CHROMIUM ?? '/usr/bin/chromium';
const repo = fileURLToPath(new URL('../../', import.meta.url));
const webDir = path.join(repo, 'web');
const outputDir = path.join(repo, 'test-output', 'screenshots');

/** A reason to skip the browser tests, or false when they can run. Under CI a missing browser is an error. */
export function browserSkipReason(): string | false {
  if (existsSync(chromiumPath)) return false;
  if (process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false') {
    throw new Error(`Chromium is missing at ${chromiumPath}: the web UI tests must run under CI (apt-get install -y chromium)`);
  }
  return `Chromium is not installed (${chromiumPath}); skipping the web UI tests. Install it with: apt-get install -y chromium`;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds web/dist unless it is newer than every source file of the UI. */
export async function ensureWebBuilt(): Promise<void> {
  const index = path.join(webDir, 'dist', 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtime(webDir)) return;
  const { build } = await import('vite');
  await build({ configFile: path.join(webDir, 'vite.config.ts'), logLevel: 'warn' });
}

/**
 * How long a page waits for what a test expects. Generous: under the full suite two test files
 * share two cores with their servers and two Chromiums, and a step that takes 1 s alone can take 10.
 */
export const pageTimeoutMs = 30_000;

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'] });
}

/** Saves a full-page screenshot as test-output/screenshots/<name>.png for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(outputDir, `${name}.png`);
  // From the top, so sticky parts (navigation, bulk bar) sit where a person sees them.
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export interface ContrastProblem {
  text: string;
  ratio: number;
  color: string;
  background: string;
}

const pageChecks = readFileSync(new URL('./page-checks.js', import.meta.url), 'utf8');

/**
 * Text whose contrast with its background is below `minimum` (WCAG: 4.5:1 for normal text).
 * The background is the first opaque one among the element and its ancestors.
 */
export async function lowContrastText(page: Page, minimum = 4.5): Promise<ContrastProblem[]> {
  return (await page.evaluate(`${pageChecks}\nlowContrastText(${Number(minimum)})`)) as ContrastProblem[];
}

/** Controls (buttons, links, form fields) that have no accessible name. */
export async function unnamedControls(page: Page): Promise<string[]> {
  return (await page.evaluate(`${pageChecks}\nunnamedControls()`)) as string[];
}

/**
 * A new page of `browser` at `url`, signed in as `email`, waiting on the Inbox (where sign-in
 * lands); page errors are pushed to `errors`.
 */
export async function openSignedIn(browser: Browser, url: string, email: string, password: string, options: { viewport?: { width: number; height: number }; errors?: string[] } = {}): Promise<Page> {
  const page = await (await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 860 } })).newPage();
  page.setDefaultTimeout(pageTimeoutMs);
  if (options.errors !== undefined) {
    const errors = options.errors;
    page.on('pageerror', (error) => errors.push(error.message));
  }
  await signIn(page, url, email, password);
  return page;
}

/** Signs in on the sign-in page at `url` and waits for the Inbox. */
export async function signIn(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
}
