"""Self-service sign-up of organisations, and their getting-started checklist."""
