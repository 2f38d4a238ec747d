"""cardbox: the telemarketer's callback card box, in the terminal."""

__version__ = "0.1.0"
