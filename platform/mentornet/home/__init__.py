"""The platform's front page and each tenant's home and team pages."""
