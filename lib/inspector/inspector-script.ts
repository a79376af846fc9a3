/**
 * The page's script, plain ES2017 for any current browser, no build step. Everything shown is
 * set through textContent (never innerHTML): event data is user data and stays text.
 */
export const INSPECTOR_SCRIPT = String.raw`'use strict';
(function () {
  var base = document.body.getAttribute('data-base').replace(/\/$/, '');
  var $ = function (id) { return document.getElementById(id); };
  var state = { prefix: '', after: undefined, stream: undefined, from: 1 };

  function api(path, params) {
    var query = new URLSearchParams();
    Object.keys(params || {}).forEach(function (key) { if (params[key] !== undefined) query.set(key, String(params[key])); });
    return fetch(base + '/api/' + path + '?' + query, { headers: { accept: 'application/json' } }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) throw new Error(body.message || response.statusText);
        return body;
      });
    });
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
      $('head').textContent = overview.head;
      $('live').textContent = overview.node.liveAggregates;
      var body = $('subscriptions').tBodies[0];
      body.replaceChildren.apply(body, overview.subscriptions.map(function (s) {
        var tr = row([cell(s.name), cell(s.position, 'num'), cell(s.lag, 'num' + (s.lag > 0 ? ' lagging' : '')),
          cell(s.here || 'not here'), cell(ago(s.updatedAt)), cell(s.lastError)]);
        tr.setAttribute('data-subscription', s.name);
        return tr;
      }));
      var members = overview.members || [];
      $('cluster').hidden = members.length === 0;
      var memberBody = $('members').tBodies[0];
      memberBody.replaceChildren.apply(memberBody, members.map(function (m) {
        return row([cell(m.name), cell(m.host + ':' + m.port), cell(new Date(m.startedAt).toISOString()), cell((m.heartbeatAgeMs / 1000).toFixed(1) + 's ago')]);
      }));
      setStatus('updated ' + new Date().toLocaleTimeString(), false);
    }).catch(function (error) { setStatus('refresh failed: ' + error.message, true); });
  }

  function loadStreams(append) {
    return api('streams', { prefix: state.prefix || undefined, after: append ? state.after : undefined, limit: 20 }).then(function (page) {
      var body = $('streams').tBodies[0];
      if (!append) body.replaceChildren();
      page.streams.forEach(function (s) {
        var open = document.createElement('button');
        open.className = 'link';
        open.textContent = s.streamId;
        open.addEventListener('click', function () { showStream(s.streamId); });
        var first = document.createElement('td');
        first.appendChild(open);
        body.appendChild(row([first, cell(s.version, 'num'), cell(s.lastPosition, 'num'), cell(ago(s.updatedAt))]));
      });
      state.after = page.next;
      $('more-streams').hidden = page.next === undefined;
    }).catch(function (error) { setStatus('streams: ' + error.message, true); });
  }

  function showStream(streamId) {
    state.stream = streamId;
    state.from = 1;
    $('stream-title').textContent = streamId;
    $('events').tBodies[0].replaceChildren();
    return loadEvents();
  }

  function loadEvents() {
    return api('events', { stream: state.stream, from: state.from, limit: 20 }).then(function (page) {
      var body = $('events').tBodies[0];
      page.events.forEach(function (e) {
        var data = document.createElement('pre');
        data.textContent = JSON.stringify(e.data, null, 2);
        var dataCell = cell(undefined, 'data');
        dataCell.appendChild(data);
        body.appendChild(row([cell(e.streamVersion, 'num'), cell(e.globalPosition, 'num'), cell(e.eventType), cell(new Date(e.createdAt).toISOString()), dataCell]));
      });
      state.from = page.next;
      $('more-events').hidden = page.next === undefined;
    }).catch(function (error) { setStatus('events: ' + error.message, true); });
  }

  $('search').addEventListener('submit', function (event) {
    event.preventDefault();
    state.prefix = $('prefix').value;
    loadStreams(false);
  });
  $('more-streams').addEventListener('click', function () { loadStreams(true); });
  $('more-events').addEventListener('click', function () { loadEvents(); });

  function poll() { refreshOverview().then(function () { setTimeout(poll, 1000); }); }
  poll();
  loadStreams(false);
})();
`;
