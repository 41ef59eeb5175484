"""pingcheng-kg: a knowledge-graph builder for Chinese local news."""

__version__ = "0.1.0"
