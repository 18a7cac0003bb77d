"""The web: fetching (polite, bounded), feeds, article pages (docs/feeds.md).

Everything here imports the web stack (httpx, feedparser, trafilatura) itself, lazily: the
command line and the app import this package only when something is to be fetched.
"""
