import { HISTORY_SCRIPT } from './inspector-history-script.js';
import { TENANT_SCRIPT } from './inspector-tenant-script.js';

/**
 * The page's script, plain ES2017 for any current browser, no build step. Everything shown is
 * set through textContent (never innerHTML): event data is user data and stays text.
 */
export const INSPECTOR_SCRIPT = String.raw`'use strict';
(function () {
  var base = document.body.getAttribute('data-base').replace(/\/$/, '');
  var $ = function (id) { return document.getElementById(id); };
  var state = { prefix: '', after: undefined, stream: undefined, from: 1, at: undefined };
  /** The tenant whose store the page shows (?tenant=), named by every request; none: the module's own store. */
  var tenant = new URLSearchParams(location.search).get('tenant') || undefined;

  function api(path, params) {
    var query = new URLSearchParams();
    Object.keys(params || {}).forEach(function (key) { if (params[key] !== undefined) query.set(key, String(params[key])); });
    if (tenant) query.set('tenant', tenant);
    return fetch(base + '/api/' + path + '?' + query, { headers: { accept: 'application/json' } }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) throw new Error(body.message || response.statusText);
        return body;
      });
    });
  }

  function act(name, path, body) {
    return fetch(base + '/api/subscriptions/' + encodeURIComponent(name) + '/' + path + (tenant ? '?tenant=' + encodeURIComponent(tenant) : ''), {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json', 'x-inspector-action': '1' },
      body: JSON.stringify(body || {}),
    }).then(function (response) {
      return response.json().then(function (answer) {
        if (!response.ok) throw new Error(answer.message || response.statusText);
        setStatus(path + ' of ' + name + ' done', false);
        return refreshOverview();
      });
    }).catch(function (error) { setStatus(path + ' of ' + name + ' refused: ' + error.message, true); });
  }

  /** One action button; nothing is sent unless the operator confirms in the page. */
  function actionButton(label, ask) {
    var button = document.createElement('button');
    button.textContent = label;
    button.addEventListener('click', ask);
    return button;
  }

  function actionsCell(s) {
    var td = cell(undefined, 'actions');
    var name = s.name;
    td.appendChild(s.paused
      ? actionButton('Resume', function () { if (confirm("Resume subscription '" + name + "'?")) act(name, 'resume'); })
      : actionButton('Pause', function () { if (confirm("Pause subscription '" + name + "' on whichever node owns it?")) act(name, 'pause'); }));
    td.appendChild(actionButton('Reset', function () {
      var to = prompt("Reset subscription '" + name + "': move its checkpoint to origin, current (the head) or a global position", 'origin');
      if (to) act(name, 'reset', { to: to });
    }));
    if (s.parked > 0) {
      td.appendChild(actionButton('Retry parked', function () {
        if (confirm("Retry the parked events of '" + name + "' (" + s.parked + ')?')) act(name, 'parked/retry');
      }));
      td.appendChild(actionButton('Discard parked', function () {
        if (confirm("Discard the parked events of '" + name + "' (" + s.parked + ')? They will never be delivered.')) act(name, 'parked/discard');
      }));
    }
    return td;
  }

  function link(text, href) {
    var a = document.createElement('a');
    a.textContent = text;
    a.href = href;
    return a;
  }

  /** A deep link to a stream, one of its events, and the point in its history it is shown at. */
  function streamHref(streamId, version, at) {
    return '#/streams/' + encodeURIComponent(streamId) + (version === undefined ? '' : '/' + version) + (at ? '?at=' + encodeURIComponent(at) : '');
  }

  function cell(text, className) {
    var td = document.createElement('td');
    td.textContent = text === undefined || text === null ? '' : String(text);
    if (className) td.className = className;
    return td;
  }

  function row(cells) {
    var tr = document.createElement('tr');
    cells.forEach(function (c) { tr.appendChild(c); });
    return tr;
  }

  function ago(iso) {
    var seconds = Math.max(0, (Date.now() - new Date(iso).getTime()) / 1000);
    return seconds < 60 ? seconds.toFixed(0) + 's ago' : (seconds / 60).toFixed(0) + 'm ago';
  }

  function setStatus(text, isError) {
    $('status').textContent = text;
    $('status').className = isError ? 'error' : 'muted';
  }

  function refreshOverview() {
    return api('overview').then(function (overview) {
      $('node').textContent = overview.node.name;
      showTenants(overview.tenants);
      $('head').textContent = overview.head;
      $('books').hidden = !overview.booksClosedBefore;
      $('books-cut').textContent = overview.booksClosedBefore || '';
      $('live').textContent = overview.node.liveAggregates;
      var body = $('subscriptions').tBodies[0];
      body.replaceChildren.apply(body, overview.subscriptions.map(function (s) {
        var cells = [cell(s.name), cell(s.position, 'num'), cell(s.lag, 'num' + (s.lag > 0 ? ' lagging' : '')),
          cell(s.paused ? 'paused' : s.here || 'not here'), cell(s.parked, 'num parked'), cell(ago(s.updatedAt)), cell(s.lastError)];
        if (overview.actions) cells.push(actionsCell(s));
        var tr = row(cells);
        tr.setAttribute('data-subscription', s.name);
        return tr;
      }));
      $('actions-head').hidden = !overview.actions;
      var members = overview.members || [];
      $('cluster').hidden = members.length === 0;
      var memberBody = $('members').tBodies[0];
      memberBody.replaceChildren.apply(memberBody, members.map(function (m) {
        return row([cell(m.name), cell(m.host + ':' + m.port), cell(m.alive === false ? 'gone' : 'alive'), cell(new Date(m.startedAt).toISOString()), cell((m.heartbeatAgeMs / 1000).toFixed(1) + 's ago')]);
      }));
      setStatus('updated ' + new Date().toLocaleTimeString(), false);
    }).catch(function (error) { setStatus('refresh failed: ' + error.message, true); });
  }

  function loadStreams(append) {
    return api('streams', { prefix: state.prefix || undefined, after: append ? state.after : undefined, limit: 20 }).then(function (page) {
      var body = $('streams').tBodies[0];
      if (!append) body.replaceChildren();
      page.streams.forEach(function (s) {
        var first = document.createElement('td');
        first.appendChild(link(s.streamId, streamHref(s.streamId)));
        var deleted = s.deleted ? cell('deleted', 'deleted') : cell('');
        body.appendChild(row([first, cell(s.version, 'num'), cell(s.lastPosition, 'num'), cell(ago(s.updatedAt)), deleted]));
      });
      state.after = page.next;
      $('more-streams').hidden = page.next === undefined;
    }).catch(function (error) { setStatus('streams: ' + error.message, true); });
  }

  function showStream(streamId, at) {
    state.stream = streamId;
    state.at = at;
    state.from = 1;
    $('stream-title').textContent = streamId;
    $('at').value = at || '';
    $('as-of').hidden = false;
    $('until').textContent = '';
    $('events').tBodies[0].replaceChildren();
    $('event-section').hidden = true;
    return Promise.all([loadEvents(), loadState()]);
  }

  function pre(value) {
    var shown = document.createElement('pre');
    shown.textContent = JSON.stringify(value, null, 2);
    return shown;
  }

  /** Names the personal fields of an event whose subject was forgotten: they show their placeholder. */
  function markForgotten(target, e) {
    if (!e.forgottenFields || !e.forgottenFields.length) return;
    var note = document.createElement('div');
    note.className = 'forgotten';
    note.textContent = 'forgotten: ' + e.forgottenFields.join(', ') + ' (personal data, key destroyed)';
    target.appendChild(note);
  }

  /** One event with its envelope and metadata, as a deep link shows it. */
  function showEvent(streamId, version) {
    return api('events', { stream: streamId, from: version, limit: 1 }).then(function (page) {
      var e = page.events[0];
      var details = $('event-details');
      if (!e || e.streamVersion !== version) {
        details.replaceChildren(cell('no event ' + version + ' in ' + streamId));
      } else {
        var fields = [['event id', e.eventId], ['type', e.eventType], ['stream', e.streamId], ['version', e.streamVersion],
          ['position', e.globalPosition], ['created', new Date(e.createdAt).toISOString()],
          ['correlation id', e.correlationId], ['causation id', e.causationId]];
        var rows = fields.map(function (f) { return row([cell(f[0]), cell(f[1] === undefined ? '-' : f[1], 'data')]); });
        var then = cell(undefined, 'data');
        then.appendChild(link('events and state up to here', streamHref(streamId, undefined, String(version))));
        rows.push(row([cell('as of it'), then]));
        var metadata = cell(undefined, 'data');
        metadata.appendChild(pre(e.metadata));
        var data = cell(undefined, 'data');
        data.appendChild(pre(e.data));
        markForgotten(data, e);
        details.replaceChildren.apply(details, rows.concat([row([cell('metadata'), metadata]), row([cell('data'), data])]));
      }
      $('event-section').hidden = false;
    }).catch(function (error) { setStatus('event: ' + error.message, true); });
  }

  /** Deep links: #/streams/<id> opens a stream, #/streams/<id>/<version> one of its events too, ?at=<version or time> as it was then. */
  function route() {
    var match = /^#\/streams\/([^/?]+)(?:\/(\d+))?(?:\?at=([^&]*))?$/.exec(location.hash);
    if (!match) return;
    var streamId = decodeURIComponent(match[1]);
    var at = match[3] ? decodeURIComponent(match[3]) : undefined;
    var opened = state.stream === streamId && state.at === at ? Promise.resolve() : showStream(streamId, at);
    if (match[2]) opened.then(function () { showEvent(streamId, Number(match[2])); });
  }

  function loadEvents() {
    return api('events', { stream: state.stream, from: state.from, limit: 20, at: state.at }).then(function (page) {
      $('until').textContent = page.until === undefined ? '' : 'as of ' + state.at + ': up to version ' + page.until;
      var body = $('events').tBodies[0];
      page.events.forEach(function (e) {
        var data = document.createElement('pre');
        data.textContent = JSON.stringify(e.data, null, 2);
        var dataCell = cell(undefined, 'data');
        dataCell.appendChild(data);
        markForgotten(dataCell, e);
        var version = cell(undefined, 'num');
        version.appendChild(link(String(e.streamVersion), streamHref(e.streamId, e.streamVersion, state.at)));
        body.appendChild(row([version, cell(e.globalPosition, 'num'), cell(e.eventType), cell(new Date(e.createdAt).toISOString()), dataCell]));
      });
      state.from = page.next;
      $('more-events').hidden = page.next === undefined;
    }).catch(function (error) {
      $('until').textContent = error.message;
      setStatus('events: ' + error.message, true);
    });
  }
${HISTORY_SCRIPT}
${TENANT_SCRIPT}
  $('search').addEventListener('submit', function (event) {
    event.preventDefault();
    state.prefix = $('prefix').value;
    loadStreams(false);
  });
  $('more-streams').addEventListener('click', function () { loadStreams(true); });
  $('more-events').addEventListener('click', function () { loadEvents(); });

  window.addEventListener('hashchange', route);

  function poll() { refreshOverview().then(function () { setTimeout(poll, 1000); }); }
  poll();
  loadStreams(false);
  route();
})();
`;
