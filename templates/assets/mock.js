// The practice page's mock interview: a case-study prompt, the framework's
// steps one at a time with their time budgets for the chosen interview
// length, each step's checklist (short form) as prompts to tick, and at the
// end a summary per step: time used against the budget, the items covered
// and missed, and a link to the case study's own section for the step.
//
// The run lives in localStorage under <prefix>practice/mock, so that a
// reload (or closing the page) loses nothing. Time is measured with
// Date.now() from stored timestamps, never by counting ticks: a step's time
// is what it had when it was left plus, while the run is not paused, the
// time since it was entered. So the clock keeps running while the page is
// closed, as it would in an interview; Pause stops it. The 1 s interval
// only redraws the clocks. Without storage the run lasts for the visit.
// Without JavaScript the section stays hidden.
(function () {
  'use strict';
  var root = document.querySelector('[data-mock]');
  if (!root) return;
  var prefix = document.documentElement.getAttribute('data-storage') || 'casebook:';
  var KEY = prefix + 'practice/mock';
  var MINUTE = 60000;

  function $(sel, from) { return (from || root).querySelector(sel); }
  function $$(sel, from) { return Array.prototype.slice.call((from || root).querySelectorAll(sel)); }

  // ---- Storage: one JSON record, {run, result}; null when unusable ----
  var storage = (function () {
    try {
      var probe = prefix + 'probe';
      window.localStorage.setItem(probe, '1');
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (e) {
      return null; // disabled: the run lasts for this visit only
    }
  })();
  var memory = { run: null, result: null }; // the record when storage is off

  function load() {
    if (storage === null) return memory;
    try {
      var data = JSON.parse(storage.getItem(KEY) || 'null');
      if (data && typeof data === 'object') {
        return { run: valid(data.run) ? data.run : null, result: data.result || null };
      }
    } catch (e) {
      // unreadable: start afresh
    }
    return { run: null, result: null };
  }
  function save(data) {
    memory = data;
    if (storage === null) return;
    try {
      if (!data.run && !data.result) storage.removeItem(KEY);
      else storage.setItem(KEY, JSON.stringify(data));
    } catch (e) {
      // storage full: the run still works for this visit
    }
  }

  // ---- What the page offers ----
  var steps = $$('[data-mock-step]').map(function (el) {
    var budget = {};
    (el.getAttribute('data-budget') || '').split(' ').forEach(function (pair) {
      var p = pair.split(':');
      if (p.length === 2) budget[p[0]] = Number(p[1]);
    });
    return { id: el.getAttribute('data-mock-step'), title: el.getAttribute('data-title'), el: el, budget: budget };
  });
  var stepIds = steps.map(function (s) { return s.id; }).join(' ');
  var caseSelect = $('[data-mock-case]');
  var cases = $$('option', caseSelect).filter(function (o) { return o.value; }).map(function (o) {
    return {
      id: o.value, title: o.textContent, url: o.getAttribute('data-url'),
      summary: o.getAttribute('data-summary') || '',
      sections: (o.getAttribute('data-sections') || '').split(' ').filter(Boolean),
    };
  });
  var lengths = $$('input[name="mock-length"]');
  function caseById(id) { return cases.filter(function (c) { return c.id === id; })[0] || null; }
  function lengthOk(minutes) {
    return lengths.some(function (r) { return Number(r.value) === minutes; });
  }
  // A stored run fits this page: same steps, a case and a length it has.
  function valid(run) {
    return !!run && typeof run === 'object' && run.steps === stepIds && !!caseById(run.caseId) &&
      lengthOk(run.length) && Array.isArray(run.elapsed) && run.elapsed.length === steps.length &&
      typeof run.step === 'number' && run.step >= 0 && run.step < steps.length;
  }

  // ---- Time ----
  function now() { return Date.now(); }
  // Milliseconds spent on step i so far.
  function stepTime(run, i, at) {
    var t = run.elapsed[i] || 0;
    if (i === run.step && !run.paused && run.since) t += Math.max(0, at - run.since);
    return t;
  }
  function totalTime(run, at) {
    var t = 0;
    for (var i = 0; i < steps.length; i++) t += stepTime(run, i, at);
    return t;
  }
  function budgetMs(run, i) { return (steps[i].budget[run.length] || 0) * MINUTE; }
  // "4:05", "1:02:03"
  function clock(ms) {
    var s = Math.floor(Math.max(0, ms) / 1000);
    var h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, sec = s % 60;
    var mm = h ? (m < 10 ? '0' : '') + m : String(m);
    return (h ? h + ':' : '') + mm + ':' + (sec < 10 ? '0' : '') + sec;
  }
  function minutes(n) { return n + (n === 1 ? ' minute' : ' minutes'); }
  // Overrun in minutes, counting a started minute as one: 10 s over is "by 1 minute".
  function overBy(ms) { return minutes(Math.max(1, Math.ceil(ms / MINUTE))); }
  // Closes the running stretch of the current step into its elapsed time.
  function settle(run, at) {
    if (!run.paused && run.since) run.elapsed[run.step] += Math.max(0, at - run.since);
    run.since = run.paused ? null : at;
  }

  // ---- Views ----
  var setupView = $('[data-mock-setup]'), runView = $('[data-mock-run]'), resultView = $('[data-mock-result]');
  var status = $('[data-mock-status]');
  var warning = $('[data-mock-warning]');
  var buttons = {
    start: $('[data-mock-start]'), prev: $('[data-mock-prev]'), next: $('[data-mock-next]'),
    pause: $('[data-mock-pause]'), end: $('[data-mock-end]'), again: $('[data-mock-again]'),
  };
  var timer = 0;

  function announce(text) {
    // A new text node each time, so that a repeated message is read again.
    status.textContent = '';
    status.appendChild(document.createTextNode(text));
  }
  function show(view) {
    setupView.hidden = view !== setupView;
    runView.hidden = view !== runView;
    resultView.hidden = view !== resultView;
  }
  // A checklist item's text without its box or tooltips, for the summary.
  function itemContent(box) {
    var label = box.parentNode, frag = document.createDocumentFragment();
    Array.prototype.forEach.call(label.childNodes, function (n) {
      if (n !== box) frag.appendChild(n.cloneNode(true));
    });
    Array.prototype.forEach.call(frag.querySelectorAll('.tip'), function (t) { t.remove(); });
    return frag;
  }

  // The clocks, and the overrun warning: shown while the step is over its
  // budget and announced once per step (run.warned), never every second.
  function tick() {
    var data = load(), run = data.run;
    if (!run) return;
    var at = now(), i = run.step, used = stepTime(run, i, at), budget = budgetMs(run, i);
    $('[data-mock-step-time]').textContent = clock(used);
    $('[data-mock-step-left]').textContent = used <= budget ? '(' + clock(budget - used) + ' left)' : '(' + clock(used - budget) + ' over)';
    $('[data-mock-total-time]').textContent = clock(totalTime(run, at));
    var over = used > budget;
    runView.classList.toggle('mock-over', over);
    warning.hidden = !over;
    if (over) {
      var text = 'Over budget on ' + steps[i].title + ' by ' + overBy(used - budget);
      warning.textContent = text;
      run.warned = run.warned || {};
      if (!run.warned[steps[i].id]) {
        run.warned[steps[i].id] = true;
        save(data);
        announce(text);
      }
    }
  }

  function renderRun(run, focus) {
    var c = caseById(run.caseId);
    $('[data-mock-case-title]').textContent = c.title;
    $('[data-mock-case-summary]').textContent = c.summary;
    var total = 0;
    steps.forEach(function (s, i) {
      s.el.hidden = i !== run.step;
      total += budgetMs(run, i);
      $('[data-mock-budget]', s.el).textContent = '· ' + minutes(s.budget[run.length] || 0);
    });
    $('[data-mock-step-budget]').textContent = clock(budgetMs(run, run.step));
    $('[data-mock-total-budget]').textContent = clock(total);
    $('[data-mock-state]').textContent = run.paused ? '(paused)' : '';
    $$('[data-mock-item]').forEach(function (box) {
      box.checked = !!(run.ticks && run.ticks[box.getAttribute('data-mock-item')]);
    });
    buttons.prev.disabled = run.step === 0;
    buttons.next.disabled = run.step === steps.length - 1;
    buttons.pause.textContent = run.paused ? 'Resume' : 'Pause';
    runView.classList.toggle('mock-paused', !!run.paused);
    show(runView);
    tick();
    window.clearInterval(timer);
    timer = window.setInterval(tick, 1000);
    if (focus) $('h3', steps[run.step].el).focus();
  }

  function renderResult(result, focus) {
    window.clearInterval(timer);
    var c = caseById(result.caseId);
    $('[data-mock-result-case]').textContent = c ? c.title : result.caseTitle || '';
    var used = 0, budget = 0;
    var list = $('[data-mock-summary]');
    list.textContent = '';
    steps.forEach(function (s, i) {
      var ms = result.elapsed[i] || 0, b = (s.budget[result.length] || 0) * MINUTE;
      used += ms;
      budget += b;
      var li = document.createElement('li');
      var h = document.createElement('h4');
      h.textContent = s.title;
      li.appendChild(h);
      var time = document.createElement('p');
      time.className = ms > b ? 'mock-time-line mock-over-line' : 'mock-time-line';
      time.textContent = clock(ms) + ' of ' + minutes(b / MINUTE) +
        (ms > b ? ': over by ' + overBy(ms - b) : '');
      li.appendChild(time);
      var covered = [], missed = [];
      $$('[data-mock-item]', s.el).forEach(function (box) {
        (result.ticks && result.ticks[box.getAttribute('data-mock-item')] ? covered : missed).push(box);
      });
      [['Covered', covered, 'mock-covered'], ['Missed', missed, 'mock-missed']].forEach(function (part) {
        if (!part[1].length) return;
        var p = document.createElement('p');
        p.className = 'mock-list-title';
        p.textContent = part[0] + ' (' + part[1].length + ')';
        var ul = document.createElement('ul');
        ul.className = part[2];
        part[1].forEach(function (box) {
          var item = document.createElement('li');
          item.appendChild(itemContent(box));
          ul.appendChild(item);
        });
        li.appendChild(p);
        li.appendChild(ul);
      });
      if (c && c.sections.indexOf(s.id) >= 0) {
        var more = document.createElement('p');
        var a = document.createElement('a');
        a.href = c.url + '#' + s.id;
        a.textContent = c.title + ': ' + s.title;
        more.appendChild(document.createTextNode('How the case study does it: '));
        more.appendChild(a);
        li.appendChild(more);
      }
      list.appendChild(li);
    });
    $('[data-mock-result-total]').textContent = 'The whole run: ' + clock(used) + ' of ' + minutes(budget / MINUTE) +
      ' for the steps (' + minutes(result.length) + ' interview).';
    show(resultView);
    if (focus) $('h3', resultView).focus();
  }

  function renderSetup(focus) {
    window.clearInterval(timer);
    show(setupView);
    if (focus) caseSelect.focus();
  }

  function render(focus) {
    var data = load();
    if (data.run) renderRun(data.run, focus);
    else if (data.result) renderResult(data.result, focus);
    else renderSetup(focus);
  }

  // ---- Actions ----
  // Each one reads the stored run, changes it, stores it and redraws, so a
  // second tab of the page cannot leave a stale copy behind.
  function change(fn, focus) {
    var data = load();
    if (!data.run) return render(false);
    fn(data.run, now(), data);
    save(data);
    render(focus);
  }

  buttons.start.addEventListener('click', function () {
    var id = caseSelect.value || cases[Math.floor(Math.random() * cases.length)].id;
    var picked = lengths.filter(function (r) { return r.checked; })[0] || lengths[0];
    var at = now();
    var elapsed = steps.map(function () { return 0; });
    // A new run replaces the last result.
    save({
      run: { steps: stepIds, caseId: id, length: Number(picked.value), step: 0, elapsed: elapsed,
             since: at, started: at, paused: false, ticks: {}, warned: {} },
      result: null,
    });
    render(true);
    announce('Started: ' + caseById(id).title + '. ' + steps[0].title + '.');
  });
  function go(delta) {
    change(function (run, at) {
      var to = run.step + delta;
      if (to < 0 || to >= steps.length) return;
      settle(run, at);
      run.step = to;
    }, true);
  }
  buttons.prev.addEventListener('click', function () { go(-1); });
  buttons.next.addEventListener('click', function () { go(1); });
  buttons.pause.addEventListener('click', function () {
    change(function (run, at) {
      settle(run, at);
      run.paused = !run.paused;
      run.since = run.paused ? null : at;
      announce(run.paused ? 'Paused' : 'Resumed');
    }, false);
  });
  buttons.end.addEventListener('click', function () {
    change(function (run, at, data) {
      settle(run, at);
      data.result = { caseId: run.caseId, caseTitle: caseById(run.caseId).title, length: run.length,
                      elapsed: run.elapsed, ticks: run.ticks || {}, started: run.started, ended: at };
      data.run = null;
    }, true);
  });
  buttons.again.addEventListener('click', function () { renderSetup(true); });
  $$('[data-mock-item]').forEach(function (box) {
    box.addEventListener('change', function () {
      var data = load();
      if (!data.run) return;
      data.run.ticks = data.run.ticks || {};
      if (box.checked) data.run.ticks[box.getAttribute('data-mock-item')] = true;
      else delete data.run.ticks[box.getAttribute('data-mock-item')];
      save(data);
    });
  });

  // N: next step, P: previous, while a run shows, not while typing or
  // using a control that takes keys (window.casebook.takesKeys), and not
  // with a modifier held.
  document.addEventListener('keydown', function (e) {
    if (runView.hidden || e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    var takes = window.casebook && window.casebook.takesKeys;
    if (takes && (takes(e.target) || takes(document.activeElement))) return;
    var key = e.key.toLowerCase();
    if (key === 'n' && !buttons.next.disabled) { e.preventDefault(); buttons.next.click(); }
    else if (key === 'p' && !buttons.prev.disabled) { e.preventDefault(); buttons.prev.click(); }
  });

  // Another tab of the page changed the run.
  window.addEventListener('storage', function (e) {
    if (e.key === KEY || e.key === null) render(false);
  });
  // A tab in the background may have had its interval slowed: redraw on return.
  document.addEventListener('visibilitychange', function () { if (!document.hidden) tick(); });

  // ---- Setup ----
  // "11 minutes for the two steps": the count in words, as prose has it.
  var WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];
  var count = steps.length < WORDS.length ? WORDS[steps.length] : String(steps.length);
  $$('[data-mock-count]').forEach(function (el) { el.textContent = count + (steps.length === 1 ? ' step' : ' steps'); });
  if (lengths.length && !lengths.some(function (r) { return r.checked; })) lengths[0].checked = true;
  $('[data-mock-nostore]').hidden = storage !== null;
  root.hidden = false;
  render(false);
})();
