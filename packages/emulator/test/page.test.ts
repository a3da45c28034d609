import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index.ts';
import { bridgeSecrets, destinationId, startBridge, type TestBridge } from './bridge.ts';
import { findChromium } from './browser.ts';
import { connectClient, credentials, disconnect, message, send, startChat } from './helpers.ts';

const screenshotPath = fileURLToPath(new URL('../test-results/page.png', import.meta.url));

let emulator: RunningEmulator;
let bridge: TestBridge;
const replyTopicArn = 'arn:aws:sns:us-east-1:123456789012:page-replies';

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    credentials: [credentials],
    simulator: { secrets: { twilioAuthToken: bridgeSecrets.twilioAuthToken, standardWebhookSecret: bridgeSecrets.standardWebhookSecret } },
  });
  bridge = await startBridge({
    emulatorUrl: emulator.url,
    providers: ['twilio', 'generic'],
    replies: { topicArn: replyTopicArn, resolveCertificate: emulator.snsCertificateResolver },
  });
  emulator.subscribe({ topicArn: replyTopicArn, endpoint: `${bridge.url}/webhooks/connect` });
});

afterAll(async () => {
  await bridge?.close();
  await emulator?.close();
});

describe('GET /', () => {
  it('serves the page with a policy that runs only its own script and style', async () => {
    const response = await fetch(`${emulator.url}/`);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toMatch(/^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/]+=*'; style-src 'sha256-[A-Za-z0-9+/]+=*'; connect-src 'self'/);
    expect(policy).toContain("frame-ancestors 'none'");
    // Nothing is loaded from elsewhere: the machine may have no network.
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//i);
    expect(html).not.toContain('innerHTML');
    expect(html).toContain('Play the customer');
  });
});

const browserLookup = findChromium();
// One visible line, so a skipped browser test is never mistaken for a passing one.
if (browserLookup.skipReason) console.warn(browserLookup.skipReason);

describe.skipIf(browserLookup.skipReason !== undefined)('the page in Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: browserLookup.executablePath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function openPage(): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'en-US', timezoneId: 'UTC' });
    const problems: string[] = [];
    // CSP violations and script errors surface here; the page must produce none.
    page.on('console', (entry) => {
      if (entry.type() === 'error') problems.push(entry.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${emulator.url}/?bridge=${encodeURIComponent(bridge.url)}`);
    await page.locator('#connection', { hasText: 'Live' }).waitFor();
    return { page, problems };
  }

  it('plays the customer through a real bridge and shows the chat live', { timeout: 60_000 }, async () => {
    const client = connectClient(emulator.url);
    const { page, problems } = await openPage();
    try {
      // Another customer's chat, sent straight to the emulator: it must appear without a reload.
      await send(client, message('Can I change my delivery address?', { SourceId: '+447700900123', DestinationId: destinationId }));
      await page.locator('#chat-list button', { hasText: '+447700900123' }).waitFor();

      expect(await page.locator('#sim-bridge').inputValue()).toBe(bridge.url);
      expect(await page.locator('#sim-to').inputValue()).toBe('+15550100');
      expect(await page.locator('#sim-provider option[value="whatsapp"]').isDisabled()).toBe(true);

      await page.locator('#sim-provider').selectOption('twilio');
      await page.locator('#sim-from').fill('+14155550123');
      await page.locator('#sim-to').fill('+15550100');
      await page.locator('#sim-text').fill('Hello from the browser! Where is order #1042?');
      await page.getByRole('button', { name: 'Send as the customer' }).click();

      await page.locator('#simulate-status', { hasText: 'HTTP 200' }).waitFor();
      expect(await page.locator('#simulate-where').textContent()).toBe(`POST ${bridge.url}/webhooks/twilio`);
      expect(await page.locator('#simulate-body').textContent()).toContain('<Response></Response>');
      await page.locator('#transcript .bubble', { hasText: 'Hello from the browser! Where is order #1042?' }).waitFor();

      const row = page.locator('#chat-list button', { hasText: '+14155550123' });
      await row.waitFor();
      expect(await row.getAttribute('aria-current')).toBe('true');
      expect(await row.textContent()).toContain('Active');
      expect(await row.textContent()).toContain('1 message');
      expect(await row.textContent()).toContain('connect:sms');
      const contactId = emulator.chats().find((chat) => chat.key.SourceId === '+14155550123')?.contactId;
      expect(contactId).toBeDefined();
      expect(await page.locator('#chat-details').textContent()).toContain(contactId);
      expect(await page.locator('#chat-details').textContent()).toContain(destinationId);

      // Markup in a message is shown as text, never run.
      const markup = '<img src=x onerror="document.title=\'pwned\'"> <b>bold?</b>';
      await page.locator('#sim-provider').selectOption('generic');
      await page.locator('#sim-text').fill(markup);
      await page.getByRole('button', { name: 'Send as the customer' }).click();
      await page.locator('#transcript .bubble', { hasText: markup }).waitFor();
      await row.locator('text=2 messages').waitFor();
      expect(await page.locator('#transcript img, #transcript b').count()).toBe(0);
      expect(await page.title()).toBe('Amazon Connect chat emulator');

      await mkdir(fileURLToPath(new URL('../test-results/', import.meta.url)), { recursive: true });
      await page.screenshot({ path: screenshotPath, fullPage: false });

      // Connect's DISCONNECT ends the chat: the row and the transcript say so.
      await send(client, disconnect({ SourceId: '+14155550123', DestinationId: destinationId }));
      await row.locator('.badge', { hasText: 'Ended' }).waitFor();
      await page.locator('#transcript li.disconnect', { hasText: 'chat ended' }).waitFor();

      expect(problems).toEqual([]);

      // A bad request to the simulator is shown as such, nothing is sent.
      await page.locator('#sim-from').fill('not-a-number');
      await page.getByRole('button', { name: 'Send as the customer' }).click();
      await page.locator('#simulate-status', { hasText: 'Not sent' }).waitFor();
      expect(await page.locator('#simulate-body').textContent()).toContain('from: expected an E.164 number');
      expect(problems).toEqual(['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    } finally {
      client.destroy();
      await page.close();
    }
  });

  it("shows each chat's transport and ends a chat with End chat", { timeout: 60_000 }, async () => {
    const client = connectClient(emulator.url);
    const { page, problems } = await openPage();
    try {
      await send(client, message('Integration event here', { SourceId: '+14155550601', DestinationId: destinationId }));
      const started = await startChat(client, { ParticipantDetails: { DisplayName: 'Ana' }, Attributes: { sourceId: '+14155550602' } });
      const eventRow = page.locator('#chat-list button', { hasText: '+14155550601' });
      const participantRow = page.locator('#chat-list button', { hasText: '+14155550602' });
      await eventRow.locator('.transport', { hasText: 'integration event' }).waitFor();
      await participantRow.locator('.transport', { hasText: 'participant' }).waitFor();

      await participantRow.click();
      expect(await page.locator('#chat-details').textContent()).toContain('participant (StartChatContact)');
      await page.getByRole('button', { name: 'End chat' }).click();
      await participantRow.locator('.badge', { hasText: 'Ended' }).waitFor();
      await page.locator('#transcript li.disconnect', { hasText: 'chat ended' }).waitFor();
      expect(await page.getByRole('button', { name: 'End chat' }).isHidden()).toBe(true);
      expect(emulator.chats().find((chat) => chat.contactId === started.ContactId)).toMatchObject({ active: false, transport: 'participant' });
      // The other chat is untouched, and still offers End chat.
      await eventRow.click();
      expect(await eventRow.locator('.badge').textContent()).toBe('Active');
      expect(await page.getByRole('button', { name: 'End chat' }).isVisible()).toBe(true);
      expect(problems).toEqual([]);
    } finally {
      client.destroy();
      await page.close();
    }
  });

  it("plays the customer, answers as the agent, and the real bridge's reply shows on the customer's phone", { timeout: 60_000 }, async () => {
    const customer = '+14155550777';
    const { page, problems } = await openPage();
    try {
      // The customer writes from the page, through the bridge, which streams the chat to the reply topic.
      await page.locator('#sim-provider').selectOption('twilio');
      await page.locator('#sim-from').fill(customer);
      await page.locator('#sim-to').fill('+15550100');
      await page.locator('#sim-text').fill('Is my parcel late?');
      await page.getByRole('button', { name: 'Send as the customer' }).click();
      await page.locator('#simulate-status', { hasText: 'HTTP 200' }).waitFor();
      const row = page.locator('#chat-list button', { hasText: customer });
      await row.click();
      await page.locator('#transcript li.message.customer .bubble', { hasText: 'Is my parcel late?' }).waitFor();
      // The agent answers; Connect's stream reaches the bridge, which sends it through Twilio to the phone.
      await page.getByLabel('Answer as the agent').fill('It arrives tomorrow morning.');
      await page.getByRole('button', { name: 'Send as the agent' }).click();
      await page.locator('#transcript li.message.agent .bubble', { hasText: 'It arrives tomorrow morning.' }).waitFor();
      await page.locator('#agent-result', { hasText: `Streamed to ${bridge.url}/webhooks/connect (HTTP 200, 1 attempt)` }).waitFor();
      const group = page.locator(`#phone-list .phone-group[data-to="${customer}"]`);
      await group.locator('.text', { hasText: 'It arrives tomorrow morning.' }).waitFor();
      expect(await group.locator('.to').textContent()).toBe(`To ${customer}`);
      expect(await group.locator('.via').textContent()).toContain('Twilio');
      // The customer's own message was streamed to the bridge too, and not echoed to the phone.
      expect(emulator.phoneMessages().filter((sent) => sent.to === customer)).toEqual([
        expect.objectContaining({ channel: 'twilio', from: '+15550100', text: 'It arrives tomorrow morning.' }),
      ]);
      expect(bridge.hits.filter((path) => path === '/webhooks/connect').length).toBeGreaterThanOrEqual(2);
      await mkdir(fileURLToPath(new URL('../test-results/', import.meta.url)), { recursive: true });
      await page.screenshot({ path: fileURLToPath(new URL('../test-results/page-agent.png', import.meta.url)), fullPage: false });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('starts over when the emulator is reset', { timeout: 60_000 }, async () => {
    const { page, problems } = await openPage();
    try {
      await page.locator('#chat-list li').first().waitFor();
      page.once('dialog', (dialog) => dialog.accept());
      await page.getByRole('button', { name: 'Reset' }).click();
      await page.locator('#chats-empty').waitFor({ state: 'visible' });
      expect(await page.locator('#chat-list li').count()).toBe(0);
      expect(await page.locator('#chat-details').isHidden()).toBe(true);
      expect(await page.locator('#transcript-empty').isVisible()).toBe(true);
      expect(emulator.chats()).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
