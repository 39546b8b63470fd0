"""Answering: turn retrieved passages into a short answer whose every sentence is cited."""
