/** The page's stylesheet: no external fonts or assets, the machine may have no network. */
export const pageStyle = `
:root {
  color-scheme: light;
  --bg: #f4f6f8; --panel: #ffffff; --line: #dde2e8; --ink: #16191f; --muted: #5f6b7a;
  --accent: #0972d3; --accent-soft: #e8f2fc; --ok: #037f0c; --ok-soft: #e9f6ea;
  --bad: #b3261e; --bad-soft: #fdecea; --ended: #6b7280; --ended-soft: #eef0f2;
  --bubble: #eef2f6; --radius: 10px;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html, body { height: 100%; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: var(--bg); display: flex; flex-direction: column; }
header.bar { display: flex; align-items: center; gap: 16px; padding: 12px 20px; background: #232f3e; color: #fff; }
header.bar h1 { font-size: 17px; margin: 0; font-weight: 600; letter-spacing: .1px; }
header.bar .sub { color: #c6ccd4; font-size: 13px; }
header.bar .spacer { flex: 1; }
.pill { display: inline-flex; align-items: center; gap: 6px; padding: 2px 10px; border-radius: 999px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.pill::before { content: ""; width: 7px; height: 7px; border-radius: 50%; background: currentColor; }
.pill.live { background: #1d4d2a; color: #8ee59b; }
.pill.connecting { background: #4d3d12; color: #ffd36b; }
header.bar button { background: transparent; color: #fff; border: 1px solid #5c6b7d; border-radius: 6px; padding: 4px 12px; font: inherit; cursor: pointer; }
header.bar button:hover { background: #33475b; }
main { flex: 1; min-height: 0; display: grid; grid-template-columns: minmax(260px, 340px) minmax(0, 1fr) minmax(280px, 360px); gap: 16px; padding: 16px 20px 20px; }
section.panel { background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); display: flex; flex-direction: column; min-height: 0; overflow: hidden; }
section.panel > h2 { margin: 0; padding: 12px 16px; font-size: 14px; font-weight: 600; border-bottom: 1px solid var(--line); display: flex; align-items: center; gap: 8px; }
.count { color: var(--muted); font-weight: 500; }
.scroll { overflow-y: auto; min-height: 0; flex: 1; }
.empty { color: var(--muted); padding: 24px 16px; text-align: center; }
.empty code { white-space: nowrap; font-family: var(--mono); font-size: 12px; background: var(--ended-soft); padding: 1px 4px; border-radius: 4px; }
ul.chats { list-style: none; margin: 0; padding: 0; }
ul.chats li { border-bottom: 1px solid var(--line); }
ul.chats button { all: unset; box-sizing: border-box; display: block; width: 100%; padding: 10px 14px 10px 12px; border-left: 4px solid transparent; cursor: pointer; }
ul.chats button:hover { background: #f8fafc; }
ul.chats button:focus-visible { outline: 2px solid var(--accent); outline-offset: -2px; }
ul.chats button[aria-current="true"] { background: var(--accent-soft); border-left-color: var(--accent); }
.row { display: flex; align-items: center; gap: 8px; }
.row .grow { flex: 1; min-width: 0; }
.source { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.dest { color: var(--muted); font-size: 12px; font-family: var(--mono); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; margin: 2px 0; }
.meta { color: var(--muted); font-size: 12px; }
.badge { font-size: 11px; font-weight: 600; padding: 1px 8px; border-radius: 999px; white-space: nowrap; }
.badge.active { background: var(--ok-soft); color: var(--ok); }
.badge.ended { background: var(--ended-soft); color: var(--ended); }
.transport { font-size: 11px; padding: 1px 6px; border-radius: 4px; white-space: nowrap; border: 1px solid var(--line); color: var(--muted); }
.transport.participant { border-color: var(--accent); color: var(--accent); }
.actions { padding: 0 16px; }
.actions button { margin: 8px 0; background: var(--bad-soft); color: var(--bad); border: 1px solid var(--bad); border-radius: 6px; padding: 3px 12px; font: inherit; font-size: 13px; cursor: pointer; }
.actions button:disabled { opacity: .6; cursor: default; }
.chip { font-size: 11px; font-family: var(--mono); background: var(--ended-soft); color: #364152; padding: 1px 6px; border-radius: 4px; white-space: nowrap; }
dl.details { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 4px 14px; margin: 0; padding: 12px 16px; border-bottom: 1px solid var(--line); font-size: 13px; }
dl.details dt { color: var(--muted); }
dl.details dd { margin: 0; overflow-wrap: anywhere; }
dl.details dd.mono { font-family: var(--mono); font-size: 12px; }
ol.transcript { list-style: none; margin: 0; padding: 16px; display: flex; flex-direction: column; gap: 10px; }
ol.transcript li.message { align-self: flex-start; max-width: 78%; }
ol.transcript li.message.agent { align-self: flex-end; }
ol.transcript li.message.agent .bubble { background: #dbeafe; border-radius: 14px 4px 14px 14px; }
ol.transcript li.message.agent .stamp { text-align: right; }
.agent-reply { border-top: 1px solid var(--line); padding: 10px 16px 14px; display: flex; flex-direction: column; gap: 6px; font-size: 13px; }
.agent-reply .reply-row { display: flex; gap: 8px; align-items: flex-end; }
.agent-reply textarea { flex: 1; font: inherit; padding: 6px 8px; border: 1px solid var(--line); border-radius: 6px; resize: vertical; }
.phone { margin-top: 16px; border-top: 1px solid var(--line); padding: 8px 16px 16px; }
.phone h3 { font-size: 14px; margin: 4px 0 8px; }
.phone-list .to { font-weight: 600; font-size: 13px; margin: 10px 0 4px; }
.phone-list ol { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 6px; }
.phone-list li .text { background: #dcfce7; border-radius: 14px 14px 14px 4px; padding: 6px 10px; white-space: pre-wrap; overflow-wrap: anywhere; }
.phone-list li .via { font-size: 11px; opacity: .7; }
ol.transcript .bubble { background: var(--bubble); border-radius: 4px 14px 14px 14px; padding: 8px 12px; white-space: pre-wrap; overflow-wrap: anywhere; }
ol.transcript .stamp { font-size: 11px; color: var(--muted); margin: 0 0 2px 4px; }
ol.transcript li.event { align-self: center; font-size: 12px; color: var(--muted); background: var(--ended-soft); border-radius: 999px; padding: 2px 12px; }
ol.transcript li.disconnect { align-self: stretch; text-align: center; font-size: 12px; color: var(--ended); border-top: 1px dashed var(--line); padding-top: 6px; margin-top: 4px; }
form.simulator { padding: 14px 16px 4px; display: flex; flex-direction: column; gap: 10px; }
form.simulator p.intro { margin: 0; color: var(--muted); font-size: 13px; }
label { min-width: 0; display: flex; flex-direction: column; gap: 4px; font-size: 12px; font-weight: 600; color: #364152; }
label .hint { font-weight: 400; color: var(--muted); }
input, select, textarea { width: 100%; min-width: 0; font: inherit; font-weight: 400; color: var(--ink); border: 1px solid #b6bec9; border-radius: 6px; padding: 6px 8px; background: #fff; }
input:focus, select:focus, textarea:focus { outline: 2px solid var(--accent); outline-offset: -1px; border-color: var(--accent); }
textarea { resize: vertical; min-height: 64px; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; }
button.primary { background: var(--accent); color: #fff; border: 0; border-radius: 6px; padding: 8px 14px; font: inherit; font-weight: 600; cursor: pointer; }
button.primary:hover { background: #075fb0; }
button.primary:disabled { background: #9fb7cf; cursor: progress; }
.note { font-size: 12px; color: #7a4f01; background: #fff6e0; border-radius: 6px; padding: 6px 8px; margin: 0; }
.result { margin: 8px 16px 16px; border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
.result .head { display: flex; align-items: center; gap: 8px; padding: 6px 10px; font-size: 12px; border-bottom: 1px solid var(--line); background: #fafbfc; }
.result .head .where { color: var(--muted); font-family: var(--mono); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.status { font-weight: 700; padding: 1px 8px; border-radius: 999px; font-size: 12px; white-space: nowrap; }
.status.ok { background: var(--ok-soft); color: var(--ok); }
.status.bad { background: var(--bad-soft); color: var(--bad); }
.result pre { margin: 0; padding: 8px 10px; font-family: var(--mono); font-size: 12px; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 180px; overflow-y: auto; }
@media (max-width: 1000px) {
  html, body { height: auto; }
  main { grid-template-columns: 1fr; }
  .scroll { max-height: 60vh; }
}
`;
