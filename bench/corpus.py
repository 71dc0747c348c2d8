#!/usr/bin/env python3
"""Writes the benchmark corpus: N Markdown pages laid out for three tools.

    bench/corpus.py N OUTDIR

OUTDIR/casebook/  a casebook content folder (site.yaml, three framework steps,
                  a 30-term glossary, pages/index.md and the N pages as free
                  pages, pages/page-00001.md ...); builds with --strict.
OUTDIR/hugo/      a Hugo site with its own tiny layouts (no theme, no network)
                  and the same N pages as content/page-00001.md ...
OUTDIR/cmark/     the same N Markdown bodies, without front matter, for the
                  cmark-gfm floor.

Each page is 2-4 KB: an introduction, headings, paragraphs that name glossary
terms, a table, a task list, a fenced code block with a language, and links to
other pages. The only difference between the tools' copies of a page is the
link form each tool resolves: `page-00042.md` for casebook (its checked
relative link), `page-00042.html` for Hugo (uglyURLs) and the floor.

Deterministic: page i is drawn from random.Random("casebook-bench/<i>"), whose
string seeding does not depend on PYTHONHASHSEED, so the same N always writes
byte-identical files. Standard library only.
"""

import os
import random
import sys

# The glossary: (id, term, aliases, category, formula or None). The prose
# below names these terms, so casebook links them and fills "Used in".
TERMS = [
    ("precision", "Precision", ["positive predictive value"], "Classification", r"\frac{TP}{TP + FP}"),
    ("recall", "Recall", ["true positive rate"], "Classification", r"\frac{TP}{TP + FN}"),
    ("f1-score", "F1 score", [], "Classification", r"\frac{2PR}{P + R}"),
    ("roc-auc", "ROC AUC", [], "Classification", None),
    ("pr-auc", "PR AUC", [], "Classification", None),
    ("log-loss", "Log loss", ["cross-entropy loss"], "Classification", r"-\frac{1}{n}\sum_i y_i \log p_i"),
    ("calibration", "Calibration", [], "Classification", None),
    ("class-imbalance", "Class imbalance", [], "Classification", None),
    ("ndcg", "nDCG", ["normalized discounted cumulative gain"], "Ranking", r"\frac{DCG_k}{IDCG_k}"),
    ("mrr", "MRR", ["mean reciprocal rank"], "Ranking", r"\frac{1}{|Q|}\sum_q \frac{1}{r_q}"),
    ("hit-rate", "Hit rate", [], "Ranking", None),
    ("position-bias", "Position bias", [], "Ranking", None),
    ("catalog-coverage", "Catalog coverage", [], "Ranking", None),
    ("diversity", "Diversity", [], "Ranking", None),
    ("ctr", "CTR", ["click-through rate"], "Online metrics", r"\frac{clicks}{impressions}"),
    ("conversion-rate", "Conversion rate", [], "Online metrics", None),
    ("dwell-time", "Dwell time", [], "Online metrics", None),
    ("retention", "Retention", [], "Online metrics", None),
    ("p99-latency", "p99 latency", ["tail latency"], "Serving", None),
    ("throughput", "Throughput", [], "Serving", None),
    ("quantization", "Quantization", [], "Serving", None),
    ("knowledge-distillation", "Knowledge distillation", [], "Serving", None),
    ("shadow-deployment", "Shadow deployment", [], "Serving", None),
    ("feature-store", "Feature store", [], "Data", None),
    ("embedding", "Embedding", [], "Data", None),
    ("negative-sampling", "Negative sampling", [], "Data", None),
    ("cold-start", "Cold start", [], "Data", None),
    ("data-drift", "Data drift", ["covariate shift"], "Monitoring", None),
    ("concept-drift", "Concept drift", [], "Monitoring", None),
    ("holdout-set", "Holdout set", [], "Monitoring", r"n \geq \frac{z^2 p (1 - p)}{e^2}"),
]

SUBJECTS = ["the ranking service", "a fraud model", "the feed ranker", "an ads model",
            "the search backend", "a churn predictor", "the recommender", "a spam filter",
            "the candidate generator", "an image classifier", "the pricing model",
            "a query rewriter"]
VERBS = ["depends on", "is judged by", "trades off", "moves with", "is limited by",
         "should report", "drifts with", "is tuned against", "hides problems in",
         "is checked against"]
OBJECTS = ["a daily batch job", "the weekly retrain", "the online experiment",
           "a two-stage pipeline", "the labelling queue", "the offline replay",
           "the serving cache", "a streaming join", "the nightly backfill",
           "a fixed evaluation window"]
TAILS = ["before launch", "at peak traffic", "for new users", "on mobile",
         "in every region", "after each deploy", "when labels arrive late",
         "under a strict budget", "for the long tail", "week over week"]
TOPICS = ["ranking a home feed", "detecting payment fraud", "predicting ad clicks",
          "moderating uploads", "suggesting queries", "matching riders",
          "recommending videos", "forecasting demand", "blurring faces",
          "routing support tickets", "scoring search results", "pricing listings"]
HEADINGS = ["Problem framing", "Data and labels", "Model choice", "Offline evaluation",
            "Online evaluation", "Serving path", "Monitoring plan", "Failure modes",
            "Capacity estimate", "Trade-offs"]
LANGS = ["python", "go", "sql", "yaml", "bash", "cpp"]


def term_name(rng):
    """A term's name or alias as prose writes it: lower case unless it is
    written with two or more capitals (those match only as written)."""
    _, term, aliases, _, _ = rng.choice(TERMS)
    name = rng.choice([term] + aliases)
    return name if sum(c.isupper() for c in name) >= 2 else name.lower()


def sentence(rng):
    s = (f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {term_name(rng)} "
         f"and {rng.choice(OBJECTS)} {rng.choice(TAILS)}")
    return s[0].upper() + s[1:] + "."


def paragraph(rng, link=None):
    parts = [sentence(rng) for _ in range(rng.randint(3, 5))]
    if rng.random() < 0.4:
        parts[1] = parts[1][:-1] + f", measured with `{rng.choice(LANGS)}-job --window 7d`."
    if rng.random() < 0.3:
        parts[0] = f"**{parts[0][:-1]}**."
    if link:
        parts.insert(1, f"See {link} for a worked example.")
    return " ".join(parts)


def table(rng):
    rows = ["| Quantity | Value | Note |", "| --- | ---: | --- |"]
    for _ in range(rng.randint(4, 6)):
        rows.append(f"| {term_name(rng).capitalize()} | {rng.randint(1, 999)}.{rng.randint(0, 9)} "
                    f"| {rng.choice(['assumed', 'measured', 'from the paper', '~~guessed~~ measured'])} |")
    return "\n".join(rows)


def task_list(rng):
    return "\n".join(f"- [{'x' if rng.random() < 0.5 else ' '}] Check {term_name(rng)} "
                     f"{rng.choice(TAILS)}." for _ in range(rng.randint(4, 6)))


def code_block(rng, lang):
    lines = {
        "python": ["def score(batch, model):", "    feats = [f(x) for x in batch]",
                   "    return model.predict(feats)  # {n} rows", "", "THRESHOLD = 0.{n}"],
        "go": ["func Score(b []Item) float64 {", "\tsum := 0.0", "\tfor _, it := range b {",
               "\t\tsum += it.Weight * {n}", "\t}", "\treturn sum", "}"],
        "sql": ["SELECT user_id, COUNT(*) AS clicks", "FROM events", "WHERE day >= {n}",
                "GROUP BY user_id", "ORDER BY clicks DESC;"],
        "yaml": ["model:", "  name: ranker-v{n}", "  features: [age, country, history]",
                 "serving:", "  replicas: {n}", "  timeout_ms: 40"],
        "bash": ["#!/bin/sh", "set -eu", "for day in $(seq 1 {n}); do",
                 "  ./train --day \"$day\" --out models/", "done"],
        "cpp": ["#include <vector>", "double Score(const std::vector<double>& w) {",
                "  double s = 0;", "  for (double x : w) s += x * {n};", "  return s;", "}"],
    }[lang]
    n = rng.randint(2, 99)
    return f"```{lang}\n" + "\n".join(l.replace("{n}", str(n)) for l in lines) + "\n```"


def page_id(i):
    return f"page-{i:05d}"


def title(i, rng):
    return f"Note {i}: {rng.choice(TOPICS)}"


def page_body(i, n, link_ext):
    """The Markdown body of page i (1-based) of n, links ending in link_ext."""
    rng = random.Random(f"casebook-bench/{i}")
    _ = title(i, rng)  # keep the draw order identical to front_matter()
    summary = sentence(rng)

    def link():
        j = rng.randint(1, n)
        return f"[note {j}]({page_id(j)}{link_ext})"

    heads = rng.sample(HEADINGS, 3)
    lang = rng.choice(LANGS)
    out = [paragraph(rng, link()), "",
           f"## {heads[0]}", "", paragraph(rng), "", paragraph(rng, link()), "", table(rng), "",
           f"## {heads[1]}", "", paragraph(rng), "", task_list(rng), "",
           f"### A sketch in {lang}", "", code_block(rng, lang), "",
           f"## {heads[2]}", "", paragraph(rng), ""]
    while sum(len(x) + 1 for x in out) < 2300:  # pad short pages to the 2-4 KB band
        out += [paragraph(rng), ""]
    out += ["## Related notes", ""]
    out += [f"- {link()}: {sentence(rng)}" for _ in range(3)]
    out += ["- [An external reference](https://example.com/papers/" + str(i) + ")"]
    return "\n".join(out) + "\n", summary


def front_matter(i):
    rng = random.Random(f"casebook-bench/{i}")
    t = title(i, rng)
    return t, sentence(rng)


def yaml_str(s):
    return "'" + s.replace("'", "''") + "'"


def page_file(i, n, link_ext):
    body, summary = page_body(i, n, link_ext)
    t, _ = front_matter(i)
    return f"---\ntitle: {yaml_str(t)}\nsummary: {yaml_str(summary)}\n---\n{body}"


def home_body(n, link_ext):
    """The home page's introduction: names every term once, so no glossary
    term is unused (an error with --strict), and links a few pages."""
    names = ", ".join(t[1] for t in TERMS)
    links = ", ".join(f"[note {j}]({page_id(j)}{link_ext})" for j in sorted({1, (n + 1) // 2, n}))
    return (f"A generated corpus of {n} study notes for the casebook benchmark. "
            f"Its glossary covers {names}.\n\nStart with {links}.\n")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


STEPS = [
    ("01-clarify", "Clarify requirements", "Turn the prompt into numbers.",
     ["State the business objective.", "Estimate peak queries per second.",
      "Agree on a p99 latency budget."]),
    ("02-model", "Model development", "Pick a baseline, then improve it.",
     ["Name a simple baseline.", "Say how class imbalance is handled.",
      "Choose the offline metric, such as nDCG or PR AUC."]),
    ("03-monitor", "Monitoring", "Keep the system healthy after launch.",
     ["Alert on data drift.", "Watch calibration week over week.",
      "Plan a shadow deployment for the next model."]),
]


def glossary_yaml():
    out = []
    for tid, term, aliases, cat, formula in TERMS:
        out.append(f"- id: {tid}\n  term: {yaml_str(term)}")
        if aliases:
            out.append("  aliases: [" + ", ".join(yaml_str(a) for a in aliases) + "]")
        out.append(f"  category: {cat}")
        out.append(f"  definition: {yaml_str(term + ' is a quantity or practice that ML system design interviews ask about. This entry is generated for the benchmark.')}")
        if formula:
            out.append(f"  formula: {yaml_str(formula)}")
        out.append("  source: 'Generated for the casebook benchmark; see [example](https://example.com/glossary)'")
    return "\n".join(out) + "\n"


def write_casebook(root, n):
    write(f"{root}/site.yaml", "title: Casebook benchmark\n"
          "description: A generated corpus for timing casebook against Hugo.\n")
    for fname, t, summary, items in STEPS:
        checklist = "".join(f"  - id: item-{k + 1}\n    text: {yaml_str(x)}\n"
                            for k, x in enumerate(items))
        write(f"{root}/framework/{fname}.md",
              f"---\ntitle: {t}\nsummary: {summary}\nchecklist:\n{checklist}---\n"
              f"What the step {t.lower()} is for. Recall and precision come up here.\n")
    write(f"{root}/glossary.yaml", glossary_yaml())
    write(f"{root}/pages/index.md",
          "---\ntitle: Casebook benchmark\n---\n" + home_body(n, ".md"))
    for i in range(1, n + 1):
        write(f"{root}/pages/{page_id(i)}.md", page_file(i, n, ".md"))


HUGO_CONFIG = """\
baseURL = "https://example.org/"
title = "Casebook benchmark"
languageCode = "en"
uglyURLs = true
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
"""

# Highlighting off: fenced code stays <pre><code class="language-x">.
HUGO_NOHL = """\
[markup.highlight]
codeFences = false
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """\
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title></head>
<body>
<nav><a href="{{ "index.html" | relURL }}">{{ .Site.Title }}</a></nav>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "_default/single.html": """\
{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}
{{ .TableOfContents }}
{{ .Content }}
</article>
<nav>{{ with .Prev }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .Next }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
{{ end }}
""",
    "_default/list.html": """\
{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}
""",
    "index.html": """\
{{ define "main" }}<h1>{{ .Site.Title }}</h1>
{{ .Content }}
<ul>{{ range .Site.RegularPages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.summary }}</li>{{ end }}
</ul>{{ end }}
""",
}


def write_hugo(root, n):
    write(f"{root}/config.toml", HUGO_CONFIG)
    write(f"{root}/nohl.toml", HUGO_NOHL)
    for name, text in HUGO_LAYOUTS.items():
        write(f"{root}/layouts/{name}", text)
    write(f"{root}/content/_index.md",
          "---\ntitle: Casebook benchmark\n---\n" + home_body(n, ".html"))
    for i in range(1, n + 1):
        write(f"{root}/content/{page_id(i)}.md", page_file(i, n, ".html"))


def write_cmark(root, n):
    for i in range(1, n + 1):
        write(f"{root}/{page_id(i)}.md", page_body(i, n, ".html")[0])


def main(argv):
    if len(argv) != 3 or not argv[1].isdigit() or int(argv[1]) < 1:
        sys.exit("usage: corpus.py N OUTDIR")
    n, out = int(argv[1]), argv[2]
    write_casebook(f"{out}/casebook", n)
    write_hugo(f"{out}/hugo", n)
    write_cmark(f"{out}/cmark", n)
    sizes = [len(page_file(i, n, ".md").encode()) for i in range(1, n + 1)]
    print(f"corpus: {n} pages in {out} (casebook, hugo, cmark); page size "
          f"min {min(sizes)} B, mean {sum(sizes) // n} B, max {max(sizes)} B")


if __name__ == "__main__":
    main(sys.argv)
