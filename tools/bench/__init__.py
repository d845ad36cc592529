"""`make bench`: build speed at scale and page weight, measured side by side.

- :mod:`tools.bench.synthetic` writes a synthetic site of N briefs in two
  languages, in the project's own content model, into a temporary folder;
- :mod:`tools.bench.child` runs one build in a fresh process and reports its
  time, peak memory, what it parsed and which charts it rendered;
- :mod:`tools.bench.run` runs every scenario side by side, prints the table
  and the budget verdicts and writes them to ``bench/results/``;
- :mod:`tools.bench.reader_side` measures page weight and Lighthouse scores
  on the real site.
"""
