"""Derived meaning: the knowledge graph (topics, people, Q&A, usefulness, expertise) from Content."""
