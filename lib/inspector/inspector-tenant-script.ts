/**
 * The page's choice of tenant, a part of its script (`inspector-script.ts`, whose helpers it uses):
 * when the module serves tenants, a list of them in the header; choosing one loads the page again
 * on `?tenant=<id>`, which every request of the page then names. None chosen shows the module's
 * own store, which holds the tenant list.
 */
export const TENANT_SCRIPT = String.raw`
  /** Fills the list once, and again only when the tenants change: an operator may have it open. */
  function showTenants(tenants) {
    $('tenant-choice').hidden = !tenants;
    if (!tenants) return;
    var select = $('tenant');
    var choices = [''].concat(tenants);
    var shown = Array.prototype.map.call(select.options, function (option) { return option.value; });
    if (shown.join('\n') === choices.join('\n')) return;
    select.replaceChildren.apply(select, choices.map(function (id) {
      var option = document.createElement('option');
      option.value = id;
      option.textContent = id || '(none: the tenant list)';
      option.selected = id === (tenant || '');
      return option;
    }));
  }

  $('tenant').addEventListener('change', function () {
    var chosen = $('tenant').value;
    location.href = location.pathname + (chosen ? '?tenant=' + encodeURIComponent(chosen) : '');
  });
`;
