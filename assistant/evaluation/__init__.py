"""Measuring retrieval: the QA evaluation and the speed benchmark, each against baselines."""
