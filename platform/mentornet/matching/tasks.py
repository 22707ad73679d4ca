"""Batch matching as a background job."""
