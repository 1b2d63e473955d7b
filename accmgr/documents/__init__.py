"""Offers and contracts as PDF: templates, the document languages, the safe fetcher, the pool.

Pure Python over Jinja2, Babel and WeasyPrint: nothing here imports textual, tinydb or the
store. WeasyPrint is imported only where a PDF is written (≈0.5 s), never at start-up.
"""
