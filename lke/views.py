"""LKE pages."""
