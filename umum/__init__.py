"""Small helpers every app may use (no models, no app imports)."""
