/** Escapes text for an HTML attribute or element body. */
const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1d2330; background: #f5f6f8; }
  header { background: #1d2330; color: #fff; padding: 10px 20px; display: flex; gap: 24px; align-items: baseline; }
  header h1 { font-size: 17px; margin: 0; }
  main { padding: 12px 20px; display: grid; gap: 16px; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); }
  section { background: #fff; border: 1px solid #dde0e6; border-radius: 6px; padding: 10px 14px; }
  section.wide { grid-column: 1 / -1; }
  h2 { font-size: 15px; margin: 0 0 8px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid #eceef2; vertical-align: top; white-space: nowrap; }
  td.data { white-space: normal; width: 100%; }
  th { font-weight: 600; color: #5a6273; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  .lagging { color: #b3261e; font-weight: 600; }
  td.deleted { color: #b3261e; }
  .muted { color: #7a8191; }
  .forgotten { color: #8a4b00; font-style: italic; }
  pre { margin: 0; white-space: pre-wrap; word-break: break-all; font-size: 12px; }
  a { color: #1a5fd0; }
  td.actions button { margin-right: 4px; }
  form { display: flex; gap: 8px; margin-bottom: 8px; }
  input { flex: 1; padding: 4px 6px; }
  .error { color: #b3261e; }
`;

/**
 * The inspector's page: static markup, styled inline, filled by its one script (served beside it,
 * so the Content-Security-Policy can forbid every inline script). `base` is the path it was
 * requested at; the script finds the endpoints under it.
 */
export function inspectorPage(base: string): string {
  const root = escapeHtml(base.replace(/\/+$/, '') || '/');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Event store inspector</title>
<style>${STYLE}</style>
</head>
<body data-base="${root}">
<header>
  <h1>Event store inspector</h1>
  <span id="tenant-choice" hidden><label for="tenant">tenant</label> <select id="tenant"></select></span>
  <span>node <b id="node">…</b></span>
  <span>head position <b id="head">…</b></span>
  <span id="books" hidden>books closed before <b id="books-cut">…</b></span>
  <span>live aggregates here <b id="live">…</b></span>
  <span id="status" class="muted"></span>
</header>
<main>
  <section class="wide">
    <h2>Subscriptions</h2>
    <table id="subscriptions"><thead><tr><th>name</th><th>position</th><th>lag</th><th>on this node</th><th>parked</th><th>updated</th><th>last error</th><th id="actions-head" hidden>actions</th></tr></thead><tbody></tbody></table>
  </section>
  <section class="wide" id="cluster" hidden>
    <h2>Cluster members</h2>
    <table id="members"><thead><tr><th>name</th><th>address</th><th>state</th><th>started</th><th>last heartbeat</th></tr></thead><tbody></tbody></table>
  </section>
  <section>
    <h2>Streams</h2>
    <form id="search"><input id="prefix" placeholder="stream id prefix, e.g. account-" autocomplete="off"><button>Search</button></form>
    <table id="streams"><thead><tr><th>stream</th><th>version</th><th>last position</th><th>updated</th><th>state</th></tr></thead><tbody></tbody></table>
    <button id="more-streams" hidden>More streams</button>
  </section>
  <section>
    <h2>Events <span id="stream-title" class="muted"></span></h2>
    <form id="as-of" hidden><input id="at" placeholder="as of a version or an ISO time, e.g. 3 or 2026-03-01T08:00:00Z" autocomplete="off"><button>Show</button><button type="button" id="now">Now</button></form>
    <div id="until" class="muted"></div>
    <table id="events"><thead><tr><th>version</th><th>position</th><th>type</th><th>created</th><th>data</th></tr></thead><tbody></tbody></table>
    <button id="more-events" hidden>More events</button>
  </section>
  <section class="wide" id="state-section" hidden>
    <h2>State <span id="state-title" class="muted"></span></h2>
    <div id="state"></div>
  </section>
  <section class="wide" id="event-section" hidden>
    <h2>Event</h2>
    <table id="event-details"></table>
  </section>
</main>
<script src="${root === '/' ? '' : root}/inspector.js"></script>
</body>
</html>
`;
}
