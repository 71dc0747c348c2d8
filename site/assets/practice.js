// Spaced-repetition review on the practice page. The page lists every
// question with its answer (that works without JavaScript); this script
// shows them one at a time as flash cards and schedules them with SM-2
// (P. A. Wozniak, 1990, "Optimization of learning", the algorithm of
// SuperMemo 2: super-memory.com/english/ol/sm2.htm).
//
// Each card's schedule is JSON under <storage prefix><card key>, e.g.
//   casebook:guide:practice/step/data/1a2b3c4d =
//   {"n":2,"ef":2.5,"i":6,"due":"2026-12-08","last":"2026-12-02"}
// n: repetitions in a row graded 3 or more, ef: E-Factor, i: the last
// interval in days, due/last: the reader's local calendar days. The key
// ends in a hash of the question's text, so rewording a question makes it a
// new card and leaves the others alone. The days with at least one review
// are kept under <prefix>practice/days (a JSON array, the last 400 days),
// for the streak.
//
// Grades and SM-2's quality q: Again = 1, Hard = 3, Good = 4, Easy = 5.
// A card's first grade of the day moves its schedule; a card graded below 4
// comes back later in the same session (SM-2's step 7: repeat the day's
// items that scored below four until they score four), and those repeats
// only take it out of the session, without moving the schedule again.
(function () {
  'use strict';
  var section = document.querySelector('[data-review]');
  if (!section) return;
  var prefix = document.documentElement.getAttribute('data-storage') || 'casebook:';
  var DAYS_KEY = 'practice/days';
  var MAX_DAYS = 400;
  var GRADES = [
    { name: 'Again', q: 1 }, { name: 'Hard', q: 3 }, { name: 'Good', q: 4 }, { name: 'Easy', q: 5 },
  ];

  // ---- Storage (may be disabled: then the review lasts for this visit) ----
  function store() {
    try {
      var probe = prefix + 'probe';
      window.localStorage.setItem(probe, '1');
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (e) {
      return null;
    }
  }
  var storage = store();
  var memory = {}; // what could not be stored, for this visit
  function read(key) {
    if (Object.prototype.hasOwnProperty.call(memory, key)) return memory[key];
    if (storage === null) return null;
    try { return storage.getItem(prefix + key); } catch (e) { return null; }
  }
  function write(key, value) {
    memory[key] = value;
    if (storage === null) return;
    try {
      storage.setItem(prefix + key, value);
      delete memory[key];
    } catch (e) {
      // Storage full: kept in memory for this visit.
    }
  }

  // ---- Calendar days (local), as YYYY-MM-DD ----
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function format(d) { return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()); }
  function parse(s) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
    return m ? new Date(+m[1], +m[2] - 1, +m[3]) : null;
  }
  function today() { return format(new Date()); }
  function addDays(day, n) {
    var d = parse(day);
    return format(new Date(d.getFullYear(), d.getMonth(), d.getDate() + n));
  }
  // Whole days from a to b (a DST change makes a day 23 or 25 hours long).
  function daysBetween(a, b) { return Math.round((parse(b) - parse(a)) / 86400000); }

  // ---- SM-2 ----
  // A stored schedule, or null for a new card (also for anything malformed).
  function schedule(key) {
    var s;
    try { s = JSON.parse(read(key)); } catch (e) { return null; }
    if (!s || typeof s !== 'object') return null;
    if (!(s.n >= 0 && s.ef >= 1.3 && s.i >= 0 && parse(s.due) && parse(s.last))) return null;
    return s;
  }

  // The schedule after grading quality q on `day`.
  function next(s, q, day) {
    var n = s ? s.n : 0, ef = s ? s.ef : 2.5, i = s ? s.i : 0;
    if (q < 3) {
      n = 0;
      i = 1; // start again from the first interval
    } else {
      n += 1;
      if (n === 1) i = 1;
      else if (n === 2) i = 6;
      else i = Math.round(i * ef);
    }
    ef = ef + (0.1 - (5 - q) * (0.08 + (5 - q) * 0.02));
    if (ef < 1.3) ef = 1.3;
    ef = Math.round(ef * 1000) / 1000; // keep the stored number short
    return { n: n, ef: ef, i: i, due: addDays(day, i), last: day };
  }

  // ---- The streak: consecutive days with a review ----
  function days() {
    var list;
    try { list = JSON.parse(read(DAYS_KEY)); } catch (e) { list = null; }
    return Array.isArray(list) ? list.filter(function (d) { return typeof d === 'string' && parse(d); }) : [];
  }
  function logDay(day) {
    var list = days();
    if (list.indexOf(day) >= 0) return;
    list.push(day);
    list.sort();
    write(DAYS_KEY, JSON.stringify(list.slice(-MAX_DAYS)));
  }
  function streak() {
    var list = days(), day = today(), n = 0;
    if (list.indexOf(day) < 0) day = addDays(day, -1); // none yet today
    while (list.indexOf(day) >= 0) {
      n += 1;
      day = addDays(day, -1);
    }
    return n;
  }

  // ---- The cards, from the list of every question ----
  var cards = Array.prototype.map.call(document.querySelectorAll('.question[data-card]'), function (el) {
    return {
      key: el.getAttribute('data-card'),
      decks: (el.getAttribute('data-decks') || '').split(' ').filter(Boolean),
      q: el.querySelector('.q'),
      a: el.querySelector('.answer'),
    };
  });

  var ui = {
    deck: section.querySelector('[data-deck]'),
    stats: section.querySelector('[data-stats]'),
    card: section.querySelector('[data-card-view]'),
    where: section.querySelector('[data-where]'),
    q: section.querySelector('[data-q]'),
    reveal: section.querySelector('[data-reveal]'),
    a: section.querySelector('[data-a]'),
    grades: section.querySelector('[data-grades]'),
    hint: section.querySelector('[data-grades-hint]'),
    empty: section.querySelector('[data-empty]'),
    emptyText: section.querySelector('[data-empty-text]'),
    practiseNew: section.querySelector('[data-new]'),
    ahead: section.querySelector('[data-ahead]'),
    live: section.querySelector('[data-live]'),
    note: section.querySelector('[data-storage-note]'),
  };

  // The session: the cards still to show, in order, and what they are.
  var queue = [];
  var mode = 'due'; // 'due', 'new' or 'ahead'
  var current = null;

  function inDeck(card) {
    var deck = ui.deck.value;
    return deck === '' || card.decks.indexOf(deck) >= 0;
  }
  function deckCards() { return cards.filter(inDeck); }
  function isDue(card, day) {
    var s = schedule(card.key);
    return s !== null && s.due <= day;
  }
  function isNew(card) { return schedule(card.key) === null; }

  // Due cards, the most overdue first (then in page order).
  function dueCards() {
    var day = today();
    return deckCards().filter(function (c) { return isDue(c, day); })
      .sort(function (a, b) { return schedule(a.key).due < schedule(b.key).due ? -1 : schedule(a.key).due > schedule(b.key).due ? 1 : 0; });
  }
  function newCards() { return deckCards().filter(isNew); }
  // Scheduled for a later day and not graded today, soonest first.
  function laterCards() {
    var day = today();
    return deckCards().filter(function (c) { var s = schedule(c.key); return s !== null && s.due > day && s.last !== day; })
      .sort(function (a, b) { return schedule(a.key).due < schedule(b.key).due ? -1 : 1; });
  }

  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }
  function showStats() {
    var d = streak();
    ui.stats.textContent = plural(dueCards().length, 'due today', 'due today') + ' · ' +
      plural(newCards().length, 'new', 'new') + ' · streak ' + plural(d, 'day', 'days');
  }

  // "in 6 d", "tomorrow", "on 2026-12-08" for a due day.
  function when(day) {
    var n = daysBetween(today(), day);
    if (n <= 0) return 'today';
    if (n === 1) return 'tomorrow';
    return 'in ' + n + ' days (' + day + ')';
  }

  // A copy of a question's or answer's content, ids dropped (kept unique).
  function copy(from, to) {
    to.textContent = '';
    Array.prototype.forEach.call(from.childNodes, function (node) {
      var c = node.cloneNode(true);
      if (c.nodeType === 1) {
        if (c.id) c.removeAttribute('id');
        Array.prototype.forEach.call(c.querySelectorAll('[id]'), function (e) { e.removeAttribute('id'); });
      }
      to.appendChild(c);
    });
  }

  // Was this card already graded today (so this showing is a repeat)?
  function repeat(card) {
    var s = schedule(card.key);
    return s !== null && s.last === today();
  }

  function gradeLabels(card) {
    var s = schedule(card.key), day = today(), again = repeat(card);
    Array.prototype.forEach.call(ui.grades.querySelectorAll('button[data-grade]'), function (b) {
      var q = +b.getAttribute('data-grade');
      var name = b.getAttribute('data-name');
      var what;
      // A repeat in the session moves no schedule: it comes back or is done.
      if (again) what = q < 4 ? 'again' : 'done';
      else what = next(s, q, day).i + ' d';
      b.querySelector('[data-interval]').textContent = what;
      // The name starts with the visible words ("Good · 6 d"), then says them in full.
      b.setAttribute('aria-label', name + ' · ' + what + ': ' + (again ? (q < 4 ? 'again in this session' : 'done for today')
        : 'next in ' + plural(next(s, q, day).i, 'day', 'days')) + (!again && q < 4 ? ', and again in this session' : ''));
    });
  }

  function showCard(announce) {
    current = queue[0] || null;
    if (!current) return finish(announce);
    ui.empty.hidden = true;
    ui.card.hidden = false;
    var left = queue.length;
    ui.where.textContent = (mode === 'new' ? 'New card' : mode === 'ahead' ? 'Ahead of time' : 'Due') +
      ' · ' + plural(left, 'card', 'cards') + ' left';
    copy(current.q, ui.q);
    ui.a.textContent = '';
    ui.a.hidden = true;
    ui.grades.hidden = true;
    ui.hint.hidden = true;
    ui.reveal.hidden = false;
    showStats();
    if (announce) {
      say(plural(left, 'card', 'cards') + ' left. ' + ui.q.textContent);
      ui.reveal.focus();
    }
  }

  function revealAnswer() {
    if (!current || !ui.a.hidden) return;
    copy(current.a, ui.a);
    ui.a.hidden = false;
    gradeLabels(current);
    ui.grades.hidden = false;
    ui.hint.hidden = false;
    ui.reveal.hidden = true;
    ui.a.focus(); // a screen reader reads the answer; Tab goes on to the grades
  }

  function grade(q) {
    if (!current || ui.a.hidden) return;
    var card = current, day = today();
    queue.shift();
    if (!repeat(card)) {
      write(card.key, JSON.stringify(next(schedule(card.key), q, day)));
      logDay(day);
    }
    if (q < 4) queue.push(card); // back later in this session
    showCard(true);
  }

  function finish(announce) {
    current = null;
    ui.card.hidden = true;
    ui.empty.hidden = false;
    var later = laterCards(), fresh = newCards().length;
    var upcoming = deckCards().map(function (c) { return schedule(c.key); })
      .filter(function (s) { return s !== null && s.due > today(); })
      .map(function (s) { return s.due; }).sort();
    var text;
    if (dueCards().length === 0) {
      text = 'Nothing is due today in this deck.';
      if (upcoming.length) text += ' The next card is due ' + when(upcoming[0]) + '.';
    } else {
      text = plural(dueCards().length, 'card is', 'cards are') + ' due.';
    }
    if (fresh) text += ' ' + plural(fresh, 'new card has', 'new cards have') + ' not been practised yet.';
    ui.emptyText.textContent = text;
    ui.practiseNew.hidden = fresh === 0;
    ui.practiseNew.textContent = 'Practise new cards (' + fresh + ')';
    ui.ahead.hidden = later.length === 0;
    ui.ahead.textContent = 'Review ahead (' + later.length + ')';
    showStats();
    if (announce) {
      say(text);
      ui.emptyText.focus();
    }
  }

  function start(which, announce) {
    mode = which;
    queue = which === 'new' ? newCards() : which === 'ahead' ? laterCards() : dueCards();
    showCard(announce);
  }

  var saying = 0;
  function say(text) {
    // Cleared first, so that the same words are announced again.
    ui.live.textContent = '';
    window.clearTimeout(saying);
    saying = window.setTimeout(function () { ui.live.textContent = text; }, 50);
  }

  ui.reveal.addEventListener('click', revealAnswer);
  Array.prototype.forEach.call(ui.grades.querySelectorAll('button[data-grade]'), function (b) {
    b.addEventListener('click', function () { grade(+b.getAttribute('data-grade')); });
  });
  ui.practiseNew.addEventListener('click', function () { start('new', true); });
  ui.ahead.addEventListener('click', function () { start('ahead', true); });
  ui.deck.addEventListener('change', function () { start('due', false); });

  // Space or Enter reveals, 1-4 grade: while the reader is in the review
  // (or nowhere in particular) and not typing; keys on a button are the
  // button's own.
  document.addEventListener('keydown', function (e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    var t = e.target, active = document.activeElement;
    var takesKeys = window.casebook && window.casebook.takesKeys;
    if (takesKeys && (takesKeys(t) || takesKeys(active))) return;
    if (!(active === document.body || active === null || section.contains(active))) return;
    if (!current) return;
    var onControl = t && t.closest && t.closest('button, a, summary');
    if ((e.key === ' ' || e.key === 'Enter') && ui.a.hidden && !onControl) {
      e.preventDefault();
      revealAnswer();
    } else if (/^[1-4]$/.test(e.key) && !ui.a.hidden) {
      e.preventDefault();
      grade(GRADES[+e.key - 1].q);
    }
  });

  // Another tab reviewed or imported: start over with what it stored.
  window.addEventListener('storage', function (e) {
    if (e.key === null || e.key.indexOf(prefix + 'practice/') === 0) {
      if (current === null || ui.a.hidden) start(mode, false);
    }
  });

  // A guide without case studies has an empty group of decks.
  Array.prototype.forEach.call(ui.deck.querySelectorAll('optgroup'), function (g) {
    if (!g.querySelector('option')) g.parentNode.removeChild(g);
  });
  if (ui.note) ui.note.hidden = storage !== null;
  section.hidden = false;
  start('due', false);

  // For the tests and the curious: the scheduler, without the page.
  window.casebook = window.casebook || {};
  window.casebook.sm2 = next;
})();
