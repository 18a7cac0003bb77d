"""What the command line and the app share, without Textual: importing, search, where the library
and config live, an article's entities and the taxonomy, highlight marks."""
