/**
 * The page's time travel, a part of its script (`inspector-script.ts`, whose helpers and state it
 * uses): a stream's events up to a version or time, and its aggregate's state there, as the link
 * `#/streams/<id>?at=<version or ISO time>` names them; without `at`, the state now.
 */
export const HISTORY_SCRIPT = String.raw`
  /** The stream's aggregate as it was at the point shown (or now); for a stream of no aggregate, why there is none. */
  function loadState() {
    var streamId = state.stream;
    var at = state.at;
    return api('state', { stream: streamId, at: at }).then(function (loaded) {
      if (state.stream !== streamId || state.at !== at) return;
      $('state-title').textContent = loaded.aggregate + ' at version ' + loaded.version + (at ? ' (as of ' + at + ')' : '');
      $('state').className = '';
      $('state').replaceChildren(pre(loaded.state));
    }).catch(function (error) {
      if (state.stream !== streamId || state.at !== at) return;
      $('state-title').textContent = '';
      $('state').className = 'muted';
      $('state').textContent = error.message;
    }).then(function () { $('state-section').hidden = false; });
  }

  $('as-of').addEventListener('submit', function (event) {
    event.preventDefault();
    location.hash = streamHref(state.stream, undefined, $('at').value.trim() || undefined);
  });
  $('now').addEventListener('click', function () { location.hash = streamHref(state.stream); });
`;
