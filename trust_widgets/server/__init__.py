"""The workshop server: Voilà configured for this app, plus a few small handlers."""
