import { createHash } from 'node:crypto';
import { pageScript } from './page-script.ts';
import { pageStyle } from './page-style.ts';

function sha256Source(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Amazon Connect chat emulator</title>
<link rel="icon" href="data:,">
<style>${pageStyle}</style>
</head>
<body>
<header class="bar">
  <h1>Amazon Connect chat emulator</h1>
  <span class="sub">SendChatIntegrationEvent and the participant service on your machine</span>
  <span class="spacer"></span>
  <span id="connection" class="pill connecting" role="status">Connecting\u2026</span>
  <button id="reset" type="button" title="Forget every chat and clear every fault">Reset</button>
</header>
<main>
  <section class="panel" aria-labelledby="chats-title">
    <h2 id="chats-title">Chats <span id="chat-count" class="count"></span></h2>
    <div class="scroll">
      <p id="chats-empty" class="empty">No chats yet. Send an event to <code>POST /chat-integration-event</code> or play the customer.</p>
      <ul id="chat-list" class="chats" aria-label="Chats, newest first"></ul>
    </div>
  </section>
  <section class="panel" aria-labelledby="transcript-title">
    <h2 id="transcript-title">Transcript</h2>
    <dl id="chat-details" class="details" hidden></dl>
    <div class="actions"><button id="end-chat" type="button" title="End this chat as the agent would" hidden>End chat</button></div>
    <div class="scroll">
      <p id="transcript-empty" class="empty">Select a chat to read its transcript.</p>
      <ol id="transcript" class="transcript" aria-live="polite" aria-label="Transcript"></ol>
    </div>
    <form id="agent-reply" class="agent-reply" novalidate hidden>
      <label for="agent-text">Answer as the agent</label>
      <div class="reply-row">
        <textarea id="agent-text" name="text" rows="2" placeholder="Type the agent's reply; it is streamed to the chat's SNS topic"></textarea>
        <button id="agent-send" class="primary" type="submit">Send as the agent</button>
      </div>
      <p id="agent-result" class="note" role="status" aria-live="polite" hidden></p>
    </form>
  </section>
  <section class="panel" aria-labelledby="simulator-title">
    <h2 id="simulator-title">Play the customer</h2>
    <div class="scroll">
      <form id="simulator" class="simulator" novalidate>
        <p class="intro">Signs the webhook a provider would send and posts it to your bridge, which forwards it here through Amazon Connect's API.</p>
        <label>Provider
          <select id="sim-provider" name="provider">
            <option value="twilio">Twilio (SMS)</option>
            <option value="whatsapp">WhatsApp Cloud API</option>
            <option value="sns">Amazon SNS (End User Messaging SMS)</option>
            <option value="generic">Generic (Standard Webhooks)</option>
          </select>
        </label>
        <p id="sim-note" class="note" hidden></p>
        <div class="pair">
          <label>Customer number <input id="sim-from" name="from" value="+14155550100" autocomplete="off" spellcheck="false"></label>
          <label>Written to <input id="sim-to" name="to" autocomplete="off" spellcheck="false"></label>
        </div>
        <label>Message <textarea id="sim-text" name="text" rows="3">Hi! Where is my order?</textarea></label>
        <label>Bridge URL <span class="hint">Messages go to &lt;bridge&gt;/webhooks/&lt;provider&gt;; only this machine.</span>
          <input id="sim-bridge" name="bridgeUrl" placeholder="http://127.0.0.1:3000" autocomplete="off" spellcheck="false">
        </label>
        <button id="sim-send" class="primary" type="submit">Send as the customer</button>
      </form>
      <div id="simulate-result" class="result" role="status" aria-live="polite" hidden>
        <div class="head"><span id="simulate-status" class="status"></span><span id="simulate-where" class="where"></span></div>
        <pre id="simulate-body"></pre>
      </div>
      <section class="phone" aria-labelledby="phone-title">
        <h3 id="phone-title">Customer's phone <span id="phone-count" class="count"></span></h3>
        <p id="phone-empty" class="empty">Nothing delivered yet. Replies your bridge sends through Twilio, WhatsApp, End User Messaging or the generic webhook at this emulator's URL land here.</p>
        <div id="phone-list" class="phone-list" aria-live="polite"></div>
      </section>
    </div>
  </section>
</main>
<script>${pageScript}</script>
</body>
</html>
`;

// Only this page's own script and style may run: content from chats can never become markup that executes.
const contentSecurityPolicy = [
  "default-src 'none'",
  `script-src ${sha256Source(pageScript)}`,
  `style-src ${sha256Source(pageStyle)}`,
  "connect-src 'self'",
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The emulator's web page, served at `GET /`: the chats (with their transport) and the selected
 * chat's transcript, live from `GET /_emulator/events`, an "End chat" button
 * (`POST /_emulator/chats/:contactId/end`), an "Answer as the agent" box
 * (`POST /_emulator/chats/:contactId/reply`), a panel that plays the customer through
 * `POST /_emulator/simulate`, and the customer's phone (`phone.received`). Plain HTML with an inline script and style, no external resources.
 */
export const emulatorPage = {
  html,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'content-length': String(Buffer.byteLength(html)),
    'content-security-policy': contentSecurityPolicy,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  },
} as const;
