"""Reports: each programme's success measures as figures, charts, CSV and a yearly page.

``filters`` reads the period and office, ``queries`` counts in SQL (aggregates only, never
a row per participant), ``figures`` shapes the counts into tables, ``charts`` draws them
as SVG, ``exports`` writes CSV, ``federation`` compares programmes that opted in, and
``views`` serves the pages. ``labels`` holds the words, in the reader's language.
"""
