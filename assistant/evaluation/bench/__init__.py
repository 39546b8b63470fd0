"""The bench: the sample documents as real PDFs (two producers, and scans), a three-language corpus
of real public documents, questions written for them, and the protocol that measures the product
on all of it, by held-out folds of documents (see eval/bench/README.md)."""
