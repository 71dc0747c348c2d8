// Checklist ticks persist in localStorage. Each checkbox's data-key names
// its page, item and a hash of the item's text, so rewording an item resets
// that item alone. Without JavaScript the boxes still work; they just forget.
(function () {
  'use strict';
  var prefix = document.documentElement.getAttribute('data-storage') || 'casebook:';

  function store() {
    try {
      var probe = prefix + 'probe';
      window.localStorage.setItem(probe, '1');
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (e) {
      return null; // storage disabled: ticks last for this visit only
    }
  }
  var storage = store();

  function isDone(key) {
    return storage !== null && storage.getItem(prefix + key) === '1';
  }

  function setDone(key, done) {
    if (storage === null) return;
    if (done) storage.setItem(prefix + key, '1');
    else storage.removeItem(prefix + key);
  }

  function refreshCounts() {
    document.querySelectorAll('[data-checklist]').forEach(function (list) {
      var done = list.querySelectorAll('input[data-key]:checked').length;
      var out = list.querySelector('[data-done]');
      if (out) out.textContent = String(done);
    });
    var total = 0;
    document.querySelectorAll('[data-keys]').forEach(function (row) {
      var keys = row.getAttribute('data-keys').split(' ').filter(Boolean);
      var done = keys.filter(isDone).length;
      total += done;
      var out = row.querySelector('[data-done]');
      if (out) out.textContent = String(done);
    });
    var totalOut = document.querySelector('[data-total-done]');
    if (totalOut) totalOut.textContent = String(total);
  }

  function clear(scope) {
    if (storage === null) return;
    var doomed = [];
    for (var i = 0; i < storage.length; i++) {
      var k = storage.key(i);
      if (k.indexOf(prefix + scope) === 0) doomed.push(k);
    }
    doomed.forEach(function (k) { storage.removeItem(k); });
  }

  document.querySelectorAll('input[data-key]').forEach(function (box) {
    box.checked = isDone(box.getAttribute('data-key'));
    box.addEventListener('change', function () {
      setDone(box.getAttribute('data-key'), box.checked);
      refreshCounts();
    });
  });

  document.querySelectorAll('button[data-reset]').forEach(function (button) {
    button.hidden = storage === null;
    button.addEventListener('click', function () {
      var scope = button.getAttribute('data-reset');
      var what = scope ? 'these ticks' : 'every tick in the guide';
      if (!window.confirm('Clear ' + what + '?')) return;
      clear(scope ? scope + '/' : '');
      document.querySelectorAll('input[data-key]').forEach(function (box) {
        box.checked = isDone(box.getAttribute('data-key'));
      });
      refreshCounts();
    });
  });

  // The table of contents starts folded, which suits a phone; where there
  // is room for it beside the text, unfold it.
  var toc = document.querySelector('details[data-toc]');
  if (toc && window.matchMedia('(min-width: 60rem)').matches) toc.open = true;

  // Paper shows every answer.
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details').forEach(function (d) { d.open = true; });
  });

  refreshCounts();
})();
