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

  // ---- Tooltips ----
  // The CSS shows a term's tip on hover and focus. This adds what CSS
  // cannot: keep the tip inside the viewport (measured when it shows), hide
  // it on Esc until the pointer or focus leaves (WCAG 1.4.13: dismissible),
  // and on touch show it on the first tap, following the link on the second.
  var MARGIN = 8; // px kept free at the viewport's edges
  function tipOf(term) { return term.querySelector('.tip'); }
  function place(term) {
    var tip = tipOf(term);
    if (!tip) return;
    tip.style.transform = '';
    var rect = tip.getBoundingClientRect();
    if (rect.width === 0) return; // not shown
    var width = document.documentElement.clientWidth;
    var shift = 0;
    if (rect.right > width - MARGIN) shift = width - MARGIN - rect.right;
    if (rect.left + shift < MARGIN) shift = MARGIN - rect.left;
    if (shift !== 0) tip.style.transform = 'translateX(' + Math.round(shift) + 'px)';
  }
  function release(term) {
    term.classList.remove('hush');
  }
  var armed = null; // the term whose tip a first tap opened
  var lastPointer = 'mouse';
  function disarm() {
    if (armed) armed.classList.remove('show');
    armed = null;
  }
  document.querySelectorAll('.term').forEach(function (term) {
    var link = term.querySelector('a');
    term.addEventListener('mouseenter', function () { place(term); });
    term.addEventListener('mouseleave', function () { release(term); });
    term.addEventListener('focusin', function () { place(term); });
    term.addEventListener('focusout', function () {
      release(term);
      if (armed === term) disarm();
    });
    if (!link) return;
    link.addEventListener('pointerdown', function (e) { lastPointer = e.pointerType; });
    link.addEventListener('click', function (e) {
      if (lastPointer !== 'touch' || armed === term) return; // mouse, keyboard, second tap
      e.preventDefault();
      disarm();
      armed = term;
      term.classList.remove('hush');
      term.classList.add('show');
      place(term);
    });
  });
  document.addEventListener('pointerdown', function (e) {
    lastPointer = e.pointerType;
    if (armed && !armed.contains(e.target)) disarm();
  });
  document.addEventListener('keydown', function (e) {
    if (e.key !== 'Escape' && e.key !== 'Esc') return;
    document.querySelectorAll('.term').forEach(function (term) {
      var tip = tipOf(term);
      if (tip && tip.getBoundingClientRect().width > 0) term.classList.add('hush');
    });
    disarm();
  });
  window.addEventListener('resize', function () {
    document.querySelectorAll('.term').forEach(place);
  });
  // ---- end Tooltips ----

  refreshCounts();
})();
