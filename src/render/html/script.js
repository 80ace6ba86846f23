// Filters for the findings: severity (at or above), resource kind, account
// (over several accounts), status since the last run, and text. They live in the URL's fragment
// (#severity=high&kind=role&status=new&q=alice), so a reload or a shared link
// shows the same view. Without this script every finding is shown and the
// filter form stays hidden.
(function () {
  'use strict';
  var form = document.getElementById('filters');
  if (!form) { return; }
  var order = ['info', 'low', 'medium', 'high', 'critical'];
  var articles = Array.prototype.slice.call(document.querySelectorAll('article.finding'));
  var groups = Array.prototype.slice.call(document.querySelectorAll('section.resource'));
  var accounts = Array.prototype.slice.call(document.querySelectorAll('section.account'));
  var fields = {
    severity: form.elements.namedItem('severity'),
    kind: form.elements.namedItem('kind'),
    account: form.elements.namedItem('account'),
    status: form.elements.namedItem('status'),
    q: form.elements.namedItem('q')
  };
  var shown = document.getElementById('shown');

  var kinds = {};
  groups.forEach(function (g) { kinds[g.getAttribute('data-kind')] = true; });
  Object.keys(kinds).sort().forEach(function (k) {
    var o = document.createElement('option');
    o.value = k;
    o.textContent = k;
    fields.kind.appendChild(o);
  });

  if (fields.account) {
    accounts.forEach(function (s) {
      var o = document.createElement('option');
      o.value = s.getAttribute('data-account');
      o.textContent = s.querySelector('h3 code').textContent;
      fields.account.appendChild(o);
    });
  }

  // A finding's kind is its resource's; its account, its section's.
  var kindOf = articles.map(function (a) {
    return a.closest('section.resource').getAttribute('data-kind');
  });
  var accountOf = articles.map(function (a) {
    var s = a.closest('section.account');
    return s ? s.getAttribute('data-account') : '';
  });

  var texts = null;
  function text(i) {
    if (texts === null) {
      texts = articles.map(function (a) {
        return (a.closest('section.resource').getAttribute('data-resource') + ' ' + a.textContent).toLowerCase();
      });
    }
    return texts[i];
  }

  function has(select, value) {
    return Array.prototype.some.call(select.options, function (o) { return o.value === value; });
  }

  // The fragment into the form; unknown values are ignored.
  function read() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ''));
    ['severity', 'kind', 'account', 'status'].forEach(function (name) {
      var v = params.get(name) || '';
      var field = fields[name];
      if (field) { field.value = has(field, v) ? v : ''; }
    });
    fields.q.value = params.get('q') || '';
  }

  // The form into the fragment, without a new history entry.
  function write() {
    var params = new URLSearchParams();
    ['severity', 'kind', 'account', 'status', 'q'].forEach(function (name) {
      var field = fields[name];
      if (field && field.value) { params.set(name, field.value); }
    });
    var hash = params.toString();
    var target = hash ? '#' + hash : location.pathname + location.search;
    if (('#' + hash) === location.hash || (!hash && !location.hash)) { return; }
    try {
      history.replaceState(null, '', target);
    } catch (e) {
      location.replace('#' + hash);
    }
  }

  function apply() {
    var min = order.indexOf(fields.severity.value);
    var kind = fields.kind.value;
    var account = fields.account ? fields.account.value : '';
    var status = fields.status ? fields.status.value : '';
    var q = fields.q.value.trim().toLowerCase();
    var count = 0;
    articles.forEach(function (a, i) {
      var ok = (min < 0 || order.indexOf(a.getAttribute('data-severity')) >= min) &&
        (kind === '' || kindOf[i] === kind) &&
        (account === '' || accountOf[i] === account) &&
        (status === '' || a.getAttribute('data-status') === status) &&
        (q === '' || text(i).indexOf(q) >= 0);
      a.hidden = !ok;
      if (ok) { count += 1; }
    });
    groups.forEach(function (g) {
      g.hidden = g.querySelector('article.finding:not([hidden])') === null;
    });
    accounts.forEach(function (s) {
      s.hidden = s.querySelector('section.resource:not([hidden])') === null;
    });
    shown.textContent = count + ' of ' + articles.length + ' finding' + (articles.length === 1 ? '' : 's') + ' shown';
  }

  function changed() {
    write();
    apply();
  }

  form.addEventListener('change', changed);
  form.addEventListener('input', changed);
  form.addEventListener('submit', function (e) { e.preventDefault(); changed(); });
  form.addEventListener('reset', function () { setTimeout(changed, 0); });
  window.addEventListener('hashchange', function () { read(); apply(); });
  read();
  apply();
  form.hidden = false;
  document.body.setAttribute('data-filters', 'ready');
})();
