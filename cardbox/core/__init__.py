"""The card box core: plain Python that never imports Textual.

Everything here takes the current time as an argument, so the same code
serves the CLI, the app and the tests with a fixed clock.
"""
