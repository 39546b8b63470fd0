"""The entity catalogue: agencies, funds, agreements, programmes and countries the corpus names."""
