"""What the command line and the app share, without Textual: importing, search, where the library
and config live, an article's entities and the taxonomy, highlight marks. Neither reader.cli nor
reader.tui is imported from here (lint-imports checks)."""
