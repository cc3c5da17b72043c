"""Benchmarks: print tables comparing cnnbook with torch (placeholder)."""
