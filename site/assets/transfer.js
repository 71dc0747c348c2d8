// Moving progress between browsers: the progress page's "Export progress"
// writes this site's ticks, review schedules and day log (the keys under its
// storage prefix; casebook.js and practice.js describe them) to a JSON file,
// and "Import progress" merges such a file into this browser:
//   {"format": "casebook-progress", "version": 1, "site": "<storage prefix>",
//    "exported": "<ISO time>", "ticks": ["step/clarify/objective/1a2b3c4d", ...],
//    "schedules": {"practice/step/data/1a2b3c4d": {"n":2,"ef":2.5,"i":6,
//                  "due":"2026-12-08","last":"2026-12-02"}, ...},
//    "days": ["2026-12-01", "2026-12-02"]}
// The theme choice and the search index cache are not progress and stay out.
// An import checks the whole file before it changes anything; the merge keeps
// a tick found in either, for a card the schedule with the later review
// (equal days: more repetitions), and the days of both.
(function () {
  'use strict';
  var section = document.querySelector('[data-transfer]');
  if (!section) return;
  var prefix = document.documentElement.getAttribute('data-storage') || 'casebook:';
  var FORMAT = 'casebook-progress';
  var VERSION = 1;
  var DAYS_KEY = 'practice/days';
  var MAX_DAYS = 400;
  var MAX_FILE = 5 * 1024 * 1024; // bytes; a whole guide's progress is far less
  var MAX_KEY = 300;              // characters in a key

  var TICK = /^(step|case)\/[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*\/[0-9a-f]{8}$/;
  var CARD = /^practice\/(step|case)\/[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*\/[0-9a-f]{8}$/;
  var DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

  var ui = {
    actions: section.querySelector('[data-transfer-actions]'),
    exportButton: section.querySelector('[data-export]'),
    input: section.querySelector('[data-import]'),
    status: section.querySelector('[data-transfer-status]'),
    noScript: section.querySelector('[data-transfer-nojs]'),
  };

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

  // The site's name in file names and messages: "casebook:guide:" -> "guide".
  function siteId(p) {
    var id = String(p).replace(/^casebook:/, '').replace(/:$/, '');
    return id || String(p);
  }

  function isDay(s) {
    var m = typeof s === 'string' && DAY.exec(s);
    if (!m) return false;
    var d = new Date(+m[1], +m[2] - 1, +m[3]);
    return d.getFullYear() === +m[1] && d.getMonth() === +m[2] - 1 && d.getDate() === +m[3];
  }
  function isInt(x, lo, hi) { return typeof x === 'number' && Math.floor(x) === x && x >= lo && x <= hi; }
  // A card's schedule as practice.js writes it, and nothing else.
  function isSchedule(s) {
    return s !== null && typeof s === 'object' && !Array.isArray(s) &&
      Object.keys(s).sort().join(' ') === 'due ef i last n' &&
      isInt(s.n, 0, 10000) && typeof s.ef === 'number' && s.ef >= 1.3 && s.ef <= 10 &&
      isInt(s.i, 0, 36500) && isDay(s.due) && isDay(s.last) && s.last <= s.due;
  }
  function today() {
    var d = new Date();
    function pad(n) { return (n < 10 ? '0' : '') + n; }
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate());
  }

  // What this browser holds, in the file's shape.
  function collect() {
    var out = { ticks: [], schedules: {}, days: [] };
    for (var i = 0; i < storage.length; i++) {
      var k = storage.key(i);
      if (k.indexOf(prefix) !== 0) continue;
      var key = k.slice(prefix.length), value = storage.getItem(k);
      if (TICK.test(key) && value === '1') out.ticks.push(key);
      else if (CARD.test(key)) {
        var s = parseOr(value, null);
        if (isSchedule(s)) out.schedules[key] = s;
      } else if (key === DAYS_KEY) {
        var list = parseOr(value, []);
        if (Array.isArray(list)) out.days = list.filter(isDay);
      }
      // Anything else (the theme, the search cache) is not progress.
    }
    out.ticks.sort();
    out.days.sort();
    return out;
  }
  function parseOr(text, fallback) {
    try { return JSON.parse(text); } catch (e) { return fallback; }
  }

  function say(text, refused) {
    ui.status.textContent = text;
    ui.status.classList.toggle('refused', !!refused);
  }
  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }

  function exportProgress() {
    var data = collect();
    var file = {
      format: FORMAT, version: VERSION, site: prefix, exported: new Date().toISOString(),
      ticks: data.ticks, schedules: data.schedules, days: data.days,
    };
    var name = siteId(prefix).replace(/[^A-Za-z0-9._-]+/g, '-') + '-progress-' + today() + '.json';
    var url = URL.createObjectURL(new Blob([JSON.stringify(file, null, 1) + '\n'], { type: 'application/json' }));
    var a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    say('Exported ' + plural(data.ticks.length, 'tick', 'ticks') + ' and ' +
      plural(Object.keys(data.schedules).length, 'schedule', 'schedules') + ' to ' + name + '.');
  }

  // The reason a parsed file cannot be imported, or '' when it can.
  function problem(file) {
    if (file === null || typeof file !== 'object' || Array.isArray(file) || file.format !== FORMAT) {
      return 'This is not a progress file exported from this guide.';
    }
    if (file.version !== VERSION) return 'This progress file has version ' + String(file.version) + '; this page reads version ' + VERSION + '.';
    if (typeof file.site !== 'string') return 'This progress file does not say which site it is from.';
    if (file.site !== prefix) {
      return 'This progress file is from another site, "' + siteId(file.site) + '", not "' + siteId(prefix) + '".';
    }
    var known = ['format', 'version', 'site', 'exported', 'ticks', 'schedules', 'days'];
    for (var f in file) if (known.indexOf(f) < 0) return 'Unknown field "' + f + '" in the progress file.';
    if (!Array.isArray(file.ticks)) return 'The file\'s ticks are not a list.';
    for (var i = 0; i < file.ticks.length; i++) {
      var t = file.ticks[i];
      if (typeof t !== 'string' || t.length > MAX_KEY || !TICK.test(t)) return 'Not a tick: ' + JSON.stringify(t).slice(0, 80) + '.';
    }
    if (file.schedules === null || typeof file.schedules !== 'object' || Array.isArray(file.schedules)) return 'The file\'s schedules are not a map.';
    for (var k in file.schedules) {
      if (k.length > MAX_KEY || !CARD.test(k)) return 'Not a card: ' + JSON.stringify(k).slice(0, 80) + '.';
      if (!isSchedule(file.schedules[k])) return 'The schedule of ' + k + ' is malformed.';
    }
    if (!Array.isArray(file.days)) return 'The file\'s days are not a list.';
    if (file.days.length > 10 * MAX_DAYS) return 'The file lists too many days.';
    for (var j = 0; j < file.days.length; j++) {
      if (!isDay(file.days[j])) return 'Not a day: ' + JSON.stringify(file.days[j]).slice(0, 40) + '.';
    }
    return '';
  }

  // The schedule to keep: the later review; on the same day, more repetitions.
  function better(a, b) {
    if (!a) return b;
    if (b.last !== a.last) return b.last > a.last ? b : a;
    return b.n > a.n ? b : a;
  }

  function importProgress(file) {
    var here = collect();
    var writes = []; // [key, value]
    var newTicks = 0, newSchedules = 0;
    file.ticks.forEach(function (t) {
      if (here.ticks.indexOf(t) < 0 && writes.every(function (w) { return w[0] !== t; })) {
        writes.push([t, '1']);
        newTicks += 1;
      }
    });
    Object.keys(file.schedules).forEach(function (k) {
      var mine = here.schedules[k], theirs = file.schedules[k];
      if (better(mine, theirs) !== mine) {
        writes.push([k, JSON.stringify(theirs)]);
        newSchedules += 1;
      }
    });
    var days = here.days.slice();
    file.days.forEach(function (d) { if (days.indexOf(d) < 0) days.push(d); });
    days.sort();
    days = days.slice(-MAX_DAYS);
    if (days.join() !== here.days.join()) writes.push([DAYS_KEY, JSON.stringify(days)]);

    // All or nothing: a write refused (storage full) undoes the others.
    var before = writes.map(function (w) { return [w[0], storage.getItem(prefix + w[0])]; });
    try {
      writes.forEach(function (w) { storage.setItem(prefix + w[0], w[1]); });
    } catch (e) {
      before.forEach(function (b) {
        try {
          if (b[1] === null) storage.removeItem(prefix + b[0]);
          else storage.setItem(prefix + b[0], b[1]);
        } catch (e2) { /* nothing more to do */ }
      });
      say('This browser has no room for the imported progress; nothing was changed.', true);
      return;
    }
    refreshCounts();
    say('Imported ' + plural(file.ticks.length, 'tick', 'ticks') + ' and ' +
      plural(Object.keys(file.schedules).length, 'schedule', 'schedules') + ' (' +
      newTicks + ' new ' + (newTicks === 1 ? 'tick' : 'ticks') + ' here, ' +
      newSchedules + ' ' + (newSchedules === 1 ? 'schedule' : 'schedules') + ' new or more recent).');
  }

  // The progress page's counts (casebook.js fills them on load).
  function refreshCounts() {
    var total = 0;
    document.querySelectorAll('[data-keys]').forEach(function (row) {
      var keys = row.getAttribute('data-keys').split(' ').filter(Boolean);
      var done = keys.filter(function (k) { return storage.getItem(prefix + k) === '1'; }).length;
      total += done;
      var out = row.querySelector('[data-done]');
      if (out) out.textContent = String(done);
    });
    var totalOut = document.querySelector('[data-total-done]');
    if (totalOut) totalOut.textContent = String(total);
  }

  function readFile(f) {
    if (f.size > MAX_FILE) {
      say('This file is too large to be a progress file; nothing was changed.', true);
      return;
    }
    var reader = new FileReader();
    reader.onload = function () {
      var file;
      try {
        file = JSON.parse(String(reader.result));
      } catch (e) {
        say('This file is not JSON, so not a progress file; nothing was changed.', true);
        return;
      }
      var why = problem(file);
      if (why) say(why + ' Nothing was changed.', true);
      else importProgress(file);
    };
    reader.onerror = function () { say('The file could not be read; nothing was changed.', true); };
    reader.readAsText(f);
  }

  if (ui.noScript) ui.noScript.hidden = true;
  if (storage === null) {
    say('This browser does not let the guide keep anything, so there is no progress to export or import.');
    return;
  }
  ui.exportButton.addEventListener('click', exportProgress);
  ui.input.addEventListener('change', function () {
    var f = ui.input.files && ui.input.files[0];
    if (f) readFile(f);
    ui.input.value = ''; // the same file can be chosen again
  });
  ui.actions.hidden = false;
})();
