"""rubdown: a training log for runners who use massage."""

__version__ = "0.1.0"
