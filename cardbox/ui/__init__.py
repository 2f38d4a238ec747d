"""The Textual app. Everything that knows about the screen lives here."""
