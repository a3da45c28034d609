/**
 * The page's script, run by the browser as is (no build step). It renders every value with
 * `textContent`, never as markup: chat content comes from whoever can reach the emulator.
 * Plain strings and `+` only inside: this file is itself a template literal.
 */
export const pageScript = `
'use strict';
(function () {
  var chats = new Map();
  var selected = null;
  var pinned = false;
  var pending = null;
  var phone = [];

  function $(id) { return document.getElementById(id); }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function time(iso) {
    if (!iso) return '';
    var date = new Date(iso);
    return isNaN(date.getTime()) ? String(iso) : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }
  function stamp(iso) {
    if (!iso) return '';
    var date = new Date(iso);
    return isNaN(date.getTime()) ? String(iso) : date.toLocaleDateString([], { month: 'short', day: 'numeric' }) + ', ' + time(iso);
  }
  function messageCount(chat) {
    return chat.transcript.filter(function (item) { return item.type === 'MESSAGE'; }).length;
  }
  function newestFirst() {
    return Array.from(chats.values()).sort(function (a, b) { return a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0; });
  }

  var eventLabels = {
    'application/vnd.amazonaws.connect.event.typing': 'Customer is typing',
    'application/vnd.amazonaws.connect.event.message.delivered': 'Delivered receipt',
    'application/vnd.amazonaws.connect.event.message.read': 'Read receipt',
    'application/vnd.amazonaws.connect.event.connection.acknowledged': 'Connection acknowledged'
  };

  function transportLabel(chat) {
    return chat.transport === 'participant' ? 'participant' : 'integration event';
  }

  function renderChats() {
    var list = $('chat-list');
    var ordered = newestFirst();
    $('chat-count').textContent = ordered.length ? '(' + ordered.length + ')' : '';
    $('chats-empty').hidden = ordered.length > 0;
    list.replaceChildren.apply(list, ordered.map(function (chat) {
      var item = el('li');
      var button = el('button');
      button.type = 'button';
      button.dataset.contactId = chat.contactId;
      button.setAttribute('aria-current', chat.contactId === selected ? 'true' : 'false');
      var top = el('div', 'row');
      top.append(
        el('span', 'source grow', chat.key.SourceId),
        el('span', 'transport ' + (chat.transport === 'participant' ? 'participant' : 'integration-event'), transportLabel(chat)),
        el('span', 'badge ' + (chat.active ? 'active' : 'ended'), chat.active ? 'Active' : 'Ended')
      );
      var dest = el('div', 'dest', chat.key.DestinationId);
      dest.title = chat.key.DestinationId;
      var bottom = el('div', 'row');
      var count = messageCount(chat);
      var when = chat.active ? 'started ' + time(chat.startedAt) : 'ended ' + time(chat.endedAt);
      bottom.append(el('span', 'meta grow', count + (count === 1 ? ' message' : ' messages') + ' \\u00b7 ' + when));
      if (chat.key.Subtype) bottom.append(el('span', 'chip', chat.key.Subtype));
      button.append(top, dest, bottom);
      button.addEventListener('click', function () {
        pinned = true;
        select(chat.contactId);
      });
      item.append(button);
      return item;
    }));
  }

  function detail(list, label, value, mono) {
    if (value === undefined || value === null || value === '') return;
    list.append(el('dt', '', label), el('dd', mono ? 'mono' : '', value));
  }

  function renderTranscript() {
    var chat = selected === null ? undefined : chats.get(selected);
    $('transcript-empty').hidden = chat !== undefined;
    $('transcript-title').textContent = chat ? 'Transcript \\u2014 ' + chat.key.SourceId : 'Transcript';
    var details = $('chat-details');
    var transcript = $('transcript');
    details.hidden = !chat;
    $('end-chat').hidden = !chat || !chat.active;
    $('agent-reply').hidden = !chat || !chat.active;
    if (!chat) {
      details.replaceChildren();
      transcript.replaceChildren();
      return;
    }
    details.replaceChildren();
    detail(details, 'Customer (SourceId)', chat.key.SourceId, true);
    detail(details, 'DestinationId', chat.key.DestinationId, true);
    detail(details, 'Subtype', chat.key.Subtype || '(none)', true);
    detail(details, 'Contact ID', chat.contactId, true);
    detail(details, 'Transport', chat.transport === 'participant' ? 'participant (StartChatContact)' : 'integration event (SendChatIntegrationEvent)');
    detail(details, 'Started', stamp(chat.startedAt));
    detail(details, 'Ended', chat.endedAt ? stamp(chat.endedAt) : 'still active');
    var session = chat.newSessionDetails || {};
    if (session.ParticipantDetails) detail(details, 'Display name', session.ParticipantDetails.DisplayName);
    if (session.Attributes) {
      detail(details, 'Attributes', Object.keys(session.Attributes).map(function (name) { return name + '=' + session.Attributes[name]; }).join(', '));
    }
    var atBottom = transcript.parentElement.scrollHeight - transcript.parentElement.scrollTop - transcript.parentElement.clientHeight < 40;
    transcript.replaceChildren.apply(transcript, chat.transcript.map(function (item) {
      if (item.type === 'MESSAGE') {
        var agent = item.participantRole && item.participantRole !== 'CUSTOMER';
        var li = el('li', 'message ' + (agent ? 'agent' : 'customer'));
        var who = agent ? (item.displayName || item.participantRole) + (item.visibility && item.visibility !== 'ALL' ? ' (' + item.visibility + ' only)' : '') + ' \\u00b7 ' : '';
        var meta = who + time(item.at) + (item.contentType && item.contentType !== 'text/plain' ? ' \\u00b7 ' + item.contentType : '');
        var stampLine = el('div', 'stamp', meta);
        stampLine.title = item.at;
        li.append(stampLine, el('div', 'bubble', item.content || ''));
        return li;
      }
      if (item.type === 'DISCONNECT') return el('li', 'disconnect', 'Disconnected \\u00b7 chat ended ' + time(item.at));
      return el('li', 'event', (eventLabels[item.contentType] || item.contentType || 'Event') + ' \\u00b7 ' + time(item.at));
    }));
    if (atBottom) transcript.parentElement.scrollTop = transcript.parentElement.scrollHeight;
  }

  function select(contactId) {
    selected = contactId;
    renderChats();
    renderTranscript();
  }

  function render() {
    renderPhone();
    if (selected !== null && !chats.has(selected)) selected = null;
    if (selected === null && !pinned) {
      var newest = newestFirst()[0];
      if (newest) selected = newest.contactId;
    }
    renderChats();
    renderTranscript();
  }

  var channelLabels = { twilio: 'Twilio', whatsapp: 'WhatsApp', sms: 'End User Messaging SMS', generic: 'generic webhook' };

  // The customer's phone: what the bridge delivered, grouped by recipient.
  function renderPhone() {
    var list = $('phone-list');
    $('phone-empty').hidden = phone.length > 0;
    $('phone-count').textContent = phone.length ? '(' + phone.length + ')' : '';
    var groups = new Map();
    phone.forEach(function (message) {
      if (!groups.has(message.to)) groups.set(message.to, []);
      groups.get(message.to).push(message);
    });
    var nodes = [];
    groups.forEach(function (messages, to) {
      var group = el('div', 'phone-group');
      group.dataset.to = to;
      var items = el('ol');
      items.append.apply(items, messages.map(function (message) {
        var li = el('li');
        li.append(el('div', 'via', (channelLabels[message.channel] || message.channel) + ' \\u00b7 from ' + message.from + ' \\u00b7 ' + time(message.at)), el('div', 'text', message.text));
        return li;
      }));
      group.append(el('div', 'to', 'To ' + to), items);
      nodes.push(group);
    });
    list.replaceChildren.apply(list, nodes);
  }

  function receive(message) {
    if (!phone.some(function (known) { return known.id === message.id && known.channel === message.channel; })) phone.push(message);
  }

  function apply(event) {
    if (event.type === 'phone.received') {
      if (event.phoneMessage) receive(event.phoneMessage);
      return;
    }
    if (event.type === 'emulator.reset') {
      phone = [];
      chats.clear();
      selected = null;
      pinned = false;
      return;
    }
    if (!event.chat) return;
    var summary = event.chat;
    var chat = chats.get(summary.contactId);
    if (!chat) {
      chat = { transcript: [] };
      chats.set(summary.contactId, chat);
    }
    chat.key = summary.key;
    chat.contactId = summary.contactId;
    chat.transport = summary.transport;
    chat.active = summary.active;
    chat.startedAt = summary.startedAt;
    chat.endedAt = summary.endedAt;
    chat.newSessionDetails = summary.newSessionDetails;
    var item = event.item;
    if (item && !chat.transcript.some(function (known) { return known.id === item.id; })) chat.transcript.push(item);
    // Follow the conversation that is moving unless the reader chose one.
    if (!pinned) selected = summary.contactId;
  }

  async function load() {
    pending = [];
    try {
      var response = await fetch('/_emulator/chats', { headers: { accept: 'application/json' } });
      if (!response.ok) throw new Error('HTTP ' + response.status);
      var list = await response.json();
      chats.clear();
      list.forEach(function (chat) { chats.set(chat.contactId, chat); });
      var delivered = await fetch('/_emulator/phone', { headers: { accept: 'application/json' } });
      if (delivered.ok) phone = await delivered.json();
      var queued = pending;
      pending = null;
      queued.forEach(apply);
    } catch (error) {
      pending = null;
      $('chats-empty').textContent = 'Could not load the chats: ' + (error && error.message ? error.message : String(error));
    }
    render();
  }

  function connect() {
    var status = $('connection');
    var source = new EventSource('/_emulator/events');
    // Every (re)connection may have missed events: start again from the full list.
    source.addEventListener('open', function () {
      status.textContent = 'Live';
      status.className = 'pill live';
      load();
    });
    source.addEventListener('error', function () {
      status.textContent = 'Reconnecting\\u2026';
      status.className = 'pill connecting';
    });
    ['chat.created', 'chat.updated', 'chat.ended', 'phone.received', 'emulator.reset'].forEach(function (type) {
      source.addEventListener(type, function (message) {
        var event;
        try { event = JSON.parse(message.data); } catch (error) { return; }
        if (pending) { pending.push(event); return; }
        apply(event);
        render();
      });
    });
  }

  $('reset').addEventListener('click', async function () {
    if (!window.confirm('Forget every chat and clear every fault?')) return;
    await fetch('/_emulator/reset', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  });

  // Ends the selected chat as the agent would; the chat.ended event updates the page.
  $('end-chat').addEventListener('click', async function () {
    if (selected === null) return;
    var button = $('end-chat');
    button.disabled = true;
    try {
      await fetch('/_emulator/chats/' + encodeURIComponent(selected) + '/end', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    } finally {
      button.disabled = false;
    }
  });

  // Answers the selected chat as the agent; the chat.updated event shows the reply.
  $('agent-reply').addEventListener('submit', async function (event) {
    event.preventDefault();
    if (selected === null) return;
    var text = $('agent-text').value;
    if (!text.trim()) return;
    var send = $('agent-send');
    var note = $('agent-result');
    send.disabled = true;
    try {
      var response = await fetch('/_emulator/chats/' + encodeURIComponent(selected) + '/reply', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: text })
      });
      var answer = await response.json();
      if (response.ok) {
        $('agent-text').value = '';
        var deliveries = answer.deliveries || [];
        note.textContent = deliveries.length === 0
          ? 'Sent. Not streamed: the chat has no streaming topic, or no endpoint subscribes to it.'
          : 'Sent. Streamed to ' + deliveries.map(function (d) { return d.endpoint + ' (HTTP ' + d.status + ', ' + d.attempts + ' attempt' + (d.attempts === 1 ? '' : 's') + ')'; }).join(', ');
      } else {
        note.textContent = 'Not sent: ' + (answer && answer.error ? answer.error.message : 'HTTP ' + response.status);
      }
    } catch (error) {
      note.textContent = 'Not sent: ' + (error && error.message ? error.message : String(error));
    } finally {
      note.hidden = false;
      send.disabled = false;
    }
  });
  $('agent-text').addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) $('agent-reply').requestSubmit();
  });

  // The "Play the customer" panel.
  var form = $('simulator');
  var result = $('simulate-result');
  function showResult(ok, statusText, where, body) {
    var status = $('simulate-status');
    status.textContent = statusText;
    status.className = 'status ' + (ok ? 'ok' : 'bad');
    $('simulate-where').textContent = where;
    $('simulate-where').title = where;
    $('simulate-body').textContent = body === '' ? '(empty body)' : body;
    result.hidden = false;
  }

  var providerNotes = {
    twilio: 'TWILIO_AUTH_TOKEN', whatsapp: 'WHATSAPP_APP_SECRET', sns: 'SNS_TOPIC_ARNS', generic: 'STANDARD_WEBHOOK_SECRET'
  };

  async function configure() {
    var config = { bridgeUrl: null, defaultNumber: '+15550100', providers: {} };
    try {
      var response = await fetch('/_emulator/simulator');
      if (response.ok) config = await response.json();
    } catch (error) { /* keep the defaults */ }
    var fromQuery = new URLSearchParams(window.location.search).get('bridge');
    $('sim-bridge').value = fromQuery || config.bridgeUrl || '';
    if (!$('sim-to').value) $('sim-to').value = config.defaultNumber;
    var missing = [];
    var firstConfigured = null;
    Array.from($('sim-provider').options).forEach(function (option) {
      var ready = config.providers[option.value] === true;
      option.disabled = !ready;
      if (!ready) {
        option.textContent = option.textContent + ' (no secret)';
        missing.push(providerNotes[option.value]);
      } else if (firstConfigured === null) firstConfigured = option.value;
    });
    if (firstConfigured !== null) $('sim-provider').value = firstConfigured;
    var note = $('sim-note');
    if (missing.length) {
      note.textContent = firstConfigured === null
        ? 'No provider secret is configured. Start the emulator with ' + missing.join(', ') + ' set, the same values your bridge uses.'
        : 'Set ' + missing.join(', ') + ' when starting the emulator to simulate the other providers.';
      note.hidden = false;
    }
    $('sim-send').disabled = firstConfigured === null;
  }

  form.addEventListener('submit', async function (event) {
    event.preventDefault();
    var send = $('sim-send');
    send.disabled = true;
    send.textContent = 'Sending\\u2026';
    var request = {
      provider: $('sim-provider').value,
      from: $('sim-from').value.trim(),
      to: $('sim-to').value.trim(),
      text: $('sim-text').value
    };
    var bridge = $('sim-bridge').value.trim();
    if (bridge) request.bridgeUrl = bridge;
    try {
      var response = await fetch('/_emulator/simulate', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request)
      });
      var answer = await response.json();
      if (response.ok) {
        showResult(answer.status >= 200 && answer.status < 300, 'HTTP ' + answer.status, 'POST ' + answer.url, answer.body);
      } else {
        var error = answer && answer.error ? answer.error : { code: 'HTTP ' + response.status, message: '' };
        showResult(false, 'Not sent', error.code, error.message);
      }
    } catch (error) {
      showResult(false, 'Not sent', 'emulator', error && error.message ? error.message : String(error));
    } finally {
      send.disabled = false;
      send.textContent = 'Send as the customer';
    }
  });
  $('sim-text').addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) form.requestSubmit();
  });

  configure();
  connect();
})();
`;
