// The search box. casebook writes every section of the guide into
// assets/search-index.js and copies lunr (Debian's libjs-lunr) to
// assets/lunr.js. Both are plain scripts, loaded when a reader first goes
// to the box, so search works from file://, a local server and a project
// path alike (fetch() fails on file://), and a page read without searching
// never pays for them. Without JavaScript the box stays hidden.
//
// The query language is this field's: "recall@k", "nDCG@10", "two-tower",
// "A/B", "p99". Words are split on white space only and keep their inner
// punctuation; a word with inner - / @ . also counts as its parts, so
// "nDCG@10" finds nDCG and "two-tower" finds "two tower" (and a hyphenated
// word its joined form: "trade-off", "tradeoff"). A page must hold
// every word of the query (the last one may be a prefix, for typing), else
// the box says so and shows pages with some of them; glossary terms whose
// name or alias matches come first.
(function () {
  'use strict';
  var form = document.querySelector('form[data-search]');
  if (!form) return;
  var root = form.getAttribute('data-search');
  var input = form.querySelector('input[type="search"]');
  var panel = form.querySelector('.search-panel');
  var list = form.querySelector('.search-results');
  var status = form.querySelector('.search-status');  // shown in the panel
  // Read out by screen readers: a live region outside the panel, because
  // one that appears as it changes is often not announced.
  var live = form.querySelector('#search-status');
  function say(text) {
    status.textContent = text;
    live.textContent = text;
  }

  var MAX_RESULTS = 10;
  var MAX_WORDS = 12;      // of a query; the rest is ignored
  var MAX_WORD = 40;       // characters of a query word: a pasted hash or URL is cut
  var MAX_FUZZY = 24;      // lunr's edit-distance search grows fast with length
  var MAX_KEPT = 1500000;  // characters of index kept in localStorage (ticks need room)
  var PER_PAGE = 3;     // sections of one page among the results
  var SNIPPET = 150;    // characters of text shown under a result
  var BEFORE = 40;      // of them, before the first match

  // ---- Words ----
  // A word is a run of characters that are not white space or sentence
  // punctuation; punctuation at its ends is trimmed (a final "%" kept) and
  // a possessive "'s" dropped. Positions are kept for highlighting. A plain
  // loop over character codes: a regular expression per word made indexing
  // the guide take several times longer.
  var SEPARATORS = ' \t\n\r\f\v\u00a0"“”‘’()[]{},;:!?«»…–—|·';
  var INNER = '-/@.';
  var sep = {};
  for (var si = 0; si < SEPARATORS.length; si++) sep[SEPARATORS.charCodeAt(si)] = true;

  // Letters and digits: ASCII ones, and every character past ASCII that is
  // not a separator (letters of other scripts).
  function isWordChar(c) {
    return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c > 127 && !sep[c]);
  }

  function word(text, from, to) {
    while (from < to && !isWordChar(text.charCodeAt(from))) from++;
    var end = to;
    if (end - from > 2 && text.charCodeAt(end - 1) === 115 /* s */) {
      var q = text.charCodeAt(end - 2);
      if (q === 39 || q === 8217) end -= 2;  // ' or ’
    }
    while (end > from && !isWordChar(text.charCodeAt(end - 1)) && text.charCodeAt(end - 1) !== 37 /* % */) end--;
    if (end <= from) return null;
    var w = text.slice(from, end);
    var parts = [];
    var partStart = -1;
    var inner = false;
    var afterAt = false;  // "ndcg@10": the part after @ is a parameter
    for (var i = from; i <= end; i++) {
      var split = i === end || INNER.indexOf(text.charAt(i)) >= 0;
      if (split && i < end) inner = true;
      if (split) {
        if (partStart >= 0) parts.push({ text: text.slice(partStart, i).toLowerCase(), start: partStart, length: i - partStart, head: !afterAt });
        partStart = -1;
        if (text.charAt(i) === '@') afterAt = true;
      } else if (partStart < 0) {
        partStart = i;
      }
    }
    return { text: w.toLowerCase(), start: from, length: end - from, parts: inner ? parts : [] };
  }

  function words(text) {
    var out = [];
    var n = text.length;
    var i = 0;
    while (i < n) {
      while (i < n && sep[text.charCodeAt(i)]) i++;
      var from = i;
      while (i < n && !sep[text.charCodeAt(i)]) i++;
      if (i > from) {
        var w = word(text, from, i);
        if (w) out.push(w);
      }
    }
    return out;
  }

  // lunr's tokenizer, replaced: the whole word and its parts, each with
  // its position in the field.
  function tokenizer(value, metadata) {
    if (value === null || value === undefined) return [];
    var tokens = [];
    function push(text, start, length) {
      var meta = lunr.utils.clone(metadata) || {};
      meta.position = [start, length];
      meta.index = tokens.length;
      tokens.push(new lunr.Token(text, meta));
    }
    words(String(value)).forEach(function (w) {
      push(w.text, w.start, w.length);
      w.parts.forEach(function (p) { push(p.text, p.start, p.length); });
      // "trade-off" is also found as "tradeoff".
      if (w.parts.length > 1 && /^[^/@.]*$/.test(w.text)) {
        push(w.parts.map(function (p) { return p.text; }).join(''), w.start, w.length);
      }
    });
    return tokens;
  }

  // ---- Index ----
  var engine = null;
  var loading = null;

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement('script');
      s.src = src;
      s.onload = resolve;
      s.onerror = function () { reject(new Error('cannot load ' + src)); };
      document.head.appendChild(s);
    });
  }

  // lunr's stemmer, remembering its answers: the guide has about a tenth
  // as many distinct words as words. Registered, so that a stored index
  // can name it.
  var stems = new Map();
  function stemmer(token) {
    return token.update(function (s) {
      var r = stems.get(s);
      if (r === undefined) {
        r = lunr.stemmer(new lunr.Token(s)).toString();
        stems.set(s, r);
      }
      return r;
    });
  }

  // The index is built once per version of the guide and kept in
  // localStorage (a quarter of a second to build, a few hundredths to
  // load); older versions are dropped. Without storage, or when the index
  // would take more than MAX_KEPT of the few million characters a site's
  // storage holds (the checklist ticks live there too), it is built on
  // each page.
  var prefix = (document.documentElement.getAttribute('data-storage') || 'casebook:') + 'search:';
  function cacheKey(data) { return prefix + lunr.version + ':' + data.version; }
  function cached(data) {
    try {
      var json = window.localStorage.getItem(cacheKey(data));
      return json ? lunr.Index.load(JSON.parse(json)) : null;
    } catch (e) {
      return null;
    }
  }
  function keep(data, index) {
    try {
      var storage = window.localStorage;
      for (var i = storage.length - 1; i >= 0; i--) {
        var k = storage.key(i);
        if (k.indexOf(prefix) === 0 && k !== cacheKey(data)) storage.removeItem(k);
      }
      var json = JSON.stringify(index);
      if (json.length <= MAX_KEPT) storage.setItem(cacheKey(data), json);
    } catch (e) {
      // Full or disabled: the next page builds the index again.
    }
  }

  function build() {
    var data = window.casebookSearchData;
    var docs = data.sections.map(function (s, i) {
      var page = data.pages[s[0]];
      return { id: i, url: page[0], page: page[1], kind: page[2], anchor: s[1], heading: s[2], text: s[3], names: s[4] };
    });
    lunr.Pipeline.registerFunction(stemmer, 'casebookStemmer');
    var index = cached(data);
    if (index) return { index: index, docs: docs, cached: true };
    index = lunr(function () {
      this.tokenizer = tokenizer;
      this.pipeline.reset();
      this.pipeline.add(lunr.stopWordFilter, stemmer);
      this.searchPipeline.reset();
      this.searchPipeline.add(stemmer);
      this.ref('id');
      this.field('names', { boost: 20 });
      this.field('heading', { boost: 4 });
      this.field('text');
      docs.forEach(function (d) { this.add(d); }, this);
    });
    setTimeout(function () { keep(data, index); }, 0);
    return { index: index, docs: docs, cached: false };
  }

  // Loads and indexes once; resolves to the engine.
  function ready() {
    if (!loading) {
      loading = Promise.all([loadScript(root + 'assets/lunr.js'), loadScript(root + 'assets/search-index.js')])
        .then(function () {
          if (window.performance && performance.mark) performance.mark('casebook-search-loaded');
          engine = build();
          if (window.performance && performance.mark) performance.mark('casebook-search-ready');
          return engine;
        }, function (e) {
          loading = null;  // the next keystroke tries again
          throw e;
        });
    }
    return loading;
  }

  // ---- Query ----
  function stem(word) {
    var out = engine.index.pipeline.runString(word);
    return out.length ? out[0] : word;
  }
  function isStopWord(word) { return lunr.stopWordFilter(new lunr.Token(word)) === undefined; }

  // The query's words, each with what can stand for it in the index.
  function queryWords(q) {
    var ws = words(q).slice(0, MAX_WORDS).map(function (w) {
      if (w.text.length <= MAX_WORD) return w;
      var text = w.text.slice(0, MAX_WORD);
      return { text: text, start: w.start, length: MAX_WORD, parts: w.parts.filter(function (p) { return p.start - w.start + p.length <= MAX_WORD; }) };
    });
    return ws.map(function (w, i) {
      return {
        text: w.text,
        stem: stem(w.text),
        parts: w.parts.map(function (p) { return p.text; }).filter(function (p) { return !isStopWord(p); }),
        // "ndcg@10" is nDCG at a cut-off: the part after @ may be missing.
        heads: w.parts.filter(function (p) { return p.head; }).map(function (p) { return p.text; })
          .filter(function (p) { return !isStopWord(p); }),
        partStems: null,
        last: i === ws.length - 1 && !/\s$/.test(q),
      };
    }).filter(function (w) { return !isStopWord(w.text) || w.parts.length > 0; }).map(function (w) {
      w.partStems = w.heads.map(stem);
      return w;
    });
  }

  // One lunr query with every word's clauses, all optional: which words a
  // result must hold is decided afterwards (holds). `fuzzy` is for typos:
  // the index holds stems, so a misspelt word is looked up by its first
  // letters as a prefix and, stemmed, within one edit.
  function run(ws, fuzzy) {
    var TRAILING = lunr.Query.wildcard.TRAILING;
    return engine.index.query(function (query) {
      ws.forEach(function (w) {
        if (fuzzy) {
          if (w.text.length < 5 || w.text.length > MAX_FUZZY) return;
          query.term(w.stem, { usePipeline: false, editDistance: 1 });
          query.term(w.text.slice(0, Math.max(4, Math.ceil(w.text.length * 0.6))),
                     { usePipeline: false, wildcard: TRAILING });
          return;
        }
        query.term(w.text, { boost: 10 });
        w.parts.forEach(function (p) { query.term(p, { boost: 1 }); });
        if (w.last && w.text.length >= 2) {
          query.term(w.text, { boost: 2, usePipeline: false, wildcard: TRAILING });
        }
      });
    });
  }

  // Whether a result holds word w, in any field or in `field`.
  function holds(meta, w, field) {
    function has(term) { return meta[term] !== undefined && (!field || meta[term][field] !== undefined); }
    if (has(w.stem) || has(w.text)) return true;
    if (w.partStems.length > 0 && w.partStems.every(has)) return true;
    if (w.last) {
      for (var term in meta) {
        if (term.indexOf(w.text) === 0 && (!field || meta[term][field] !== undefined)) return true;
      }
    }
    return false;
  }

  // Results for query text q: [{url, page, heading, kind, text, names,
  // nameMatch, positions}], best first, and how they matched: 'all' (every
  // word), 'some' or 'fuzzy'.
  function search(q) {
    var ws = queryWords(q);
    if (ws.length === 0) return { mode: 'none', results: [] };
    var hits = run(ws, false);
    var mode = 'all';
    var chosen = hits.filter(function (h) { return ws.every(function (w) { return holds(h.matchData.metadata, w); }); });
    if (chosen.length === 0 && hits.length > 0) { chosen = hits; mode = 'some'; }
    // Only words of 5 to MAX_FUZZY letters are retried for typos; with
    // none, lunr's empty query would return every page.
    var fuzzable = ws.some(function (w) { return w.text.length >= 5 && w.text.length <= MAX_FUZZY; });
    if (chosen.length === 0) {
      chosen = fuzzable ? run(ws, true) : [];
      mode = 'fuzzy';
    }
    var ranked = chosen.map(function (h) {
      var meta = h.matchData.metadata;
      return {
        hit: h,
        nameMatch: ws.every(function (w) { return holds(meta, w, 'names'); }),
      };
    });
    ranked.sort(function (a, b) {
      if (a.nameMatch !== b.nameMatch) return a.nameMatch ? -1 : 1;
      return b.hit.score - a.hit.score || Number(a.hit.ref) - Number(b.hit.ref);
    });
    var perPage = {};
    var results = [];
    for (var i = 0; i < ranked.length && results.length < MAX_RESULTS; i++) {
      var d = engine.docs[Number(ranked[i].hit.ref)];
      perPage[d.url] = (perPage[d.url] || 0) + 1;
      if (perPage[d.url] > PER_PAGE) continue;
      results.push({
        url: d.url + (d.anchor ? '#' + d.anchor : ''),
        page: d.page,
        heading: d.heading,
        kind: d.kind,
        text: d.text,
        nameMatch: ranked[i].nameMatch,
        positions: textPositions(d.text, ranked[i].hit.matchData.metadata),
      });
    }
    return { mode: mode, results: results };
  }

  // Where in `text` the index terms a result matched occur: its words (and
  // their parts) are tokenized again and stemmed as the index did. Cheaper
  // than keeping every position in the index, which doubled its size.
  function textPositions(text, meta) {
    var spans = [];
    words(text).forEach(function (w) {
      var hit = meta[stem(w.text)] !== undefined;
      if (hit) spans.push([w.start, w.start + w.length]);
      w.parts.forEach(function (p) {
        if (!hit && meta[stem(p.text)] !== undefined) spans.push([p.start, p.start + p.length]);
      });
    });
    return spans;  // in order, not overlapping
  }

  // ---- Showing results ----
  // The text around the first match, with every match in it marked. Built
  // from text nodes: the content's text is never parsed as HTML.
  function snippet(text, spans) {
    var out = document.createElement('span');
    out.className = 'search-snippet';
    var from = 0;
    if (spans.length > 0 && spans[0][0] > BEFORE) {
      from = text.lastIndexOf(' ', spans[0][0] - BEFORE) + 1;
    }
    var to = Math.min(text.length, from + SNIPPET);
    if (to < text.length) {
      var space = text.lastIndexOf(' ', to);
      if (space > from) to = space;
    }
    if (from > 0) out.appendChild(document.createTextNode('… '));
    var at = from;
    spans.forEach(function (s) {
      if (s[1] <= from || s[0] >= to) return;
      var a = Math.max(s[0], at);
      var b = Math.min(s[1], to);
      if (a > at) out.appendChild(document.createTextNode(text.slice(at, a)));
      var mark = document.createElement('mark');
      mark.textContent = text.slice(a, b);
      out.appendChild(mark);
      at = b;
    });
    if (at < to) out.appendChild(document.createTextNode(text.slice(at, to)));
    if (to < text.length) out.appendChild(document.createTextNode(' …'));
    return out;
  }

  function item(r) {
    var li = document.createElement('li');
    var a = document.createElement('a');
    a.href = root + r.url;
    var kind = document.createElement('span');
    kind.className = 'search-kind';
    kind.textContent = r.kind;
    var where = document.createElement('span');
    where.className = 'search-where';
    where.textContent = r.page + (r.heading ? ' › ' + r.heading : '');
    a.appendChild(kind);
    a.appendChild(where);
    if (r.text) a.appendChild(snippet(r.text, r.positions));
    li.appendChild(a);
    return li;
  }

  function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }

  function show(q) {
    var found = search(q);
    list.textContent = '';
    found.results.forEach(function (r) { list.appendChild(item(r)); });
    var n = found.results.length;
    if (found.mode === 'none') say('Type a word to search the guide.');
    else if (n === 0) say('Nothing found for “' + q.trim() + '”.');
    else if (found.mode === 'all') say(plural(n, 'result') + '. Arrow keys move, Enter opens.');
    else if (found.mode === 'some') say('No section has every word; ' + plural(n, 'result') + ' with some of them.');
    else say('No exact match; ' + plural(n, 'result') + ' for similar words.');
    open(true);
  }

  function open(yes) {
    panel.hidden = !yes;
  }

  // Each keystroke takes a ticket; only the newest one, if still current
  // when the index is ready, shows anything.
  var pending = 0;
  function update() {
    var q = input.value;
    var ticket = ++pending;
    if (q.trim() === '') {
      list.textContent = '';
      say('');
      open(false);
      return;
    }
    if (!engine) {
      say('Loading the index…');
      open(true);
    }
    ready().then(function () {
      if (ticket === pending) show(input.value);
    }, function () {
      if (ticket !== pending) return;
      say('The search index could not be loaded; type again to retry.');
      open(true);
    });
  }

  // ---- Keys ----
  function links() { return Array.prototype.slice.call(list.querySelectorAll('a')); }

  // Whether the reader is typing: casebook.js, loaded first, knows (a
  // template without it still keeps "/" for the box's own text).
  var typing = (window.casebook && window.casebook.takesKeys) || function (el) { return el === input; };

  document.addEventListener('keydown', function (e) {
    if (e.key !== '/' || e.altKey || e.ctrlKey || e.metaKey || e.defaultPrevented) return;
    if (typing(document.activeElement)) return;
    e.preventDefault();
    input.focus();
    input.select();
  });

  form.addEventListener('keydown', function (e) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (e.key === 'ArrowDown') {
      if (all.length === 0) return;
      e.preventDefault();
      open(true);
      all[Math.min(at + 1, all.length - 1)].focus();
    } else if (e.key === 'ArrowUp') {
      if (at < 0) return;
      e.preventDefault();
      if (at === 0) input.focus();
      else all[at - 1].focus();
    } else if (e.key === 'Escape' || e.key === 'Esc') {
      e.preventDefault();
      if (!panel.hidden) open(false);
      else input.value = '';
      input.focus();
    }
  });

  // Enter in the box opens the first result, once there are results: the
  // search a keystroke started before the index was ready runs first.
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    if (input.value.trim() === '') return;
    ready().then(function () {
      var first = links()[0];
      if (first) window.location.href = first.href;
    }, function () {});
  });

  input.addEventListener('input', update);
  input.addEventListener('focus', function () {
    ready().catch(function () {});
    if (input.value.trim() !== '' && list.firstChild) open(true);
  });
  document.addEventListener('pointerdown', function (e) {
    if (!form.contains(e.target)) open(false);
  });
  form.addEventListener('focusout', function (e) {
    if (e.relatedTarget && !form.contains(e.relatedTarget)) open(false);
  });

  // For the browser tests and benchmarks: the same search the box runs.
  window.casebookSearch = {
    ready: ready,
    query: function (q) { return search(q).results; },
    mode: function (q) { return search(q).mode; },
  };

  form.hidden = false;
})();
