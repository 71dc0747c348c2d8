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
    try {
      if (done) storage.setItem(prefix + key, '1');
      else storage.removeItem(prefix + key);
    } catch (e) {
      // Storage full: the tick lasts for this visit only.
    }
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
      // Ticks only: their keys name a page ("step/...", "case/..."). The
      // reader's settings (the theme) have no '/', and the practice page's
      // schedules and mock interview ("practice/...") are not ticks: all
      // outlive a clear.
      var rest = k.slice(prefix.length);
      if (k.indexOf(prefix + scope) === 0 && rest.indexOf('/') !== -1 &&
          rest.indexOf('practice/') !== 0) doomed.push(k);
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

  // A formula wider than its column scrolls sideways; one that does takes
  // keyboard focus, so that it can be scrolled without a pointer (axe
  // scrollable-region-focusable). Checked again when the window changes.
  function focusScrollingFormulas() {
    document.querySelectorAll('.math-display').forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1) el.tabIndex = 0;
      else el.removeAttribute('tabindex');
    });
  }
  focusScrollingFormulas();
  var resizing = 0;
  window.addEventListener('resize', function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(focusScrollingFormulas, 150);
  });

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

// ---------------------------------------------------------------------------
// TOC and keyboard navigation. The contents list marks the section being
// read (aria-current) and keeps that entry in view inside its own scroll;
// "Back to top" floats in a corner on long pages once the reader has
// scrolled; the left and right arrow keys follow the rel=prev / rel=next
// links. Without JavaScript the contents are plain links, "Back to top" is
// a plain link at the end of the page and the pager links work as they are.
(function () {
  'use strict';

  var nav = document.querySelector('nav.toc');
  var links = nav ? Array.prototype.slice.call(nav.querySelectorAll('a[href^="#"]')) : [];
  var targets = links.map(function (a) {
    return document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)));
  });
  var current = null;

  // The section being read: the last one whose top has passed a line near
  // the top of the window (where following an entry puts it); at the very
  // bottom of the page, the last one on screen.
  function sectionIndex() {
    var line = Math.min(100, window.innerHeight / 5), found = -1;
    var atEnd = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2;
    for (var i = 0; i < targets.length; i++) {
      if (!targets[i]) continue;
      var top = targets[i].getBoundingClientRect().top;
      if (top <= line || (atEnd && top < window.innerHeight)) found = i;
    }
    return found;
  }

  // Keep `a` visible in the contents' own scroll without moving the page.
  function revealInToc(a) {
    if (nav.scrollHeight <= nav.clientHeight) return;
    var box = nav.getBoundingClientRect(), r = a.getBoundingClientRect();
    if (r.top < box.top + 8) nav.scrollTop -= box.top + 8 - r.top;
    else if (r.bottom > box.bottom - 8) nav.scrollTop += r.bottom - (box.bottom - 8);
  }

  function highlight() {
    var i = sectionIndex();
    var next = i >= 0 ? links[i] : null;
    if (next === current) return;
    if (current) current.removeAttribute('aria-current');
    current = next;
    if (current) {
      current.setAttribute('aria-current', 'true');
      revealInToc(current);
    }
  }

  var toTop = document.querySelector('[data-to-top]');
  var holder = toTop ? toTop.parentNode : null;
  // Long: more than two screens. Shorter pages do without the control.
  function placeToTop() {
    if (!holder) return;
    var long = document.documentElement.scrollHeight > 2 * window.innerHeight;
    holder.hidden = !long;
    // It floats once the reader is a screen down, and goes back to its
    // place above the pager when that comes into view, so it never covers
    // the "Next" link.
    var pager = document.querySelector('.pager');
    var pagerShown = pager && pager.getBoundingClientRect().top < window.innerHeight;
    holder.classList.toggle('floating', long && window.scrollY > window.innerHeight && !pagerShown);
  }

  var queued = false;
  function update() {
    queued = false;
    if (links.length) highlight();
    placeToTop();
  }
  function queue() {
    if (!queued) {
      queued = true;
      window.requestAnimationFrame(update);
    }
  }
  window.addEventListener('scroll', queue, { passive: true });
  window.addEventListener('resize', queue);
  window.addEventListener('hashchange', queue);
  document.addEventListener('toggle', queue, true);  // opened answers make pages longer
  update();

  // Arrow keys turn the page, but never while the reader types or uses a
  // control that takes keys itself, nor with a modifier held (Alt+Left is
  // the browser's Back). search.js asks the same question for "/".
  function takesKeys(el) {
    for (; el && el !== document.body; el = el.parentElement) {
      if (el.isContentEditable) return true;
      var tag = el.tagName;
      if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return true;
    }
    return false;
  }
  window.casebook = window.casebook || {};
  window.casebook.takesKeys = takesKeys;
  document.addEventListener('keydown', function (e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    if (takesKeys(e.target) || takesKeys(document.activeElement)) return;
    var link = document.querySelector(e.key === 'ArrowLeft' ? 'a[rel="prev"]' : 'a[rel="next"]');
    if (!link) return;
    e.preventDefault();
    window.location.href = link.href;
  });
})();

// ---------------------------------------------------------------------------
// Theme switch. The header's button cycles auto -> light -> dark and its
// text, its accessible name, says the current choice ("Theme: dark").
// "auto" leaves <html> without data-theme, so the system chooses; "light"
// and "dark" set it, and are stored under the site's storage prefix, where
// layout.html's head script reads them before the first paint of the next
// page. Without storage the choice lasts for this page; without JavaScript
// the button stays hidden and the system chooses. Paper is always light
// (casebook.css).
(function () {
  'use strict';
  var button = document.querySelector('[data-theme-switch]');
  if (!button) return;
  var root = document.documentElement;
  var key = (root.getAttribute('data-storage') || 'casebook:') + 'theme';
  var CHOICES = ['auto', 'light', 'dark'];

  function valid(choice) { return CHOICES.indexOf(choice) >= 0 ? choice : 'auto'; }

  function show(choice) {
    if (choice === 'auto') root.removeAttribute('data-theme');
    else root.setAttribute('data-theme', choice);
    // "Theme: " is its own span so that a phone can show the choice alone;
    // the name stays "Theme: dark".
    var label = document.createElement('span');
    label.className = 'theme-label';
    label.textContent = 'Theme: ';
    button.textContent = '';
    button.appendChild(label);
    button.appendChild(document.createTextNode(choice));
  }

  function save(choice) {
    try {
      if (choice === 'auto') window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, choice);
    } catch (e) {
      // storage disabled: the choice holds for this page only
    }
  }

  button.addEventListener('click', function () {
    var now = valid(root.getAttribute('data-theme'));
    var next = CHOICES[(CHOICES.indexOf(now) + 1) % CHOICES.length];
    show(next);
    save(next);
  });
  // Another tab of the site chose.
  window.addEventListener('storage', function (e) {
    if (e.key === key || e.key === null) show(valid(e.newValue));
  });
  show(valid(root.getAttribute('data-theme')));
  button.hidden = false;
})();
