"""Views of filings: pages.py (lists and read-only pages), editor.py (the form), files.py (downloads)."""
